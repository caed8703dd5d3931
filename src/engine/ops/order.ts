// Commands whose result depends on row order: sort, head, dedup. When rows arrive oldest first but Splunk
// would see them newest first (`reversed`), each answers as Splunk would: head keeps the newest N, dedup keeps
// the newest per key, and sort breaks ties newest first.
import type { Stage } from '../stage.js';
import { asNumber, firstScalar, orderScalars, scalarToString, valuesOf, type Row, type Scalar } from '../value.js';
import type { SortKey } from '../../spl/ast.js';
import { parseIp } from '../../util/cidr.js';

function sortValue(row: Row, key: SortKey): Scalar | undefined {
  const v = firstScalar(row[key.field]);
  if (v === undefined) return undefined;
  if (key.mode === 'num') return asNumber(v);
  if (key.mode === 'str') return scalarToString(v).toLowerCase();
  if (key.mode === 'ip') {
    const b = parseIp(scalarToString(v));
    return b ? Buffer.from(b).toString('hex') : scalarToString(v);
  }
  return v;
}

export function compareRows(a: Row, b: Row, keys: SortKey[]): number {
  for (const k of keys) {
    const va = sortValue(a, k), vb = sortValue(b, k);
    // Rows without the field go last in either direction.
    if (va === undefined || vb === undefined) {
      if (va === vb) continue;
      return va === undefined ? 1 : -1;
    }
    const c = k.mode === 'str' ? (va < vb ? -1 : va > vb ? 1 : 0) : orderScalars(va, vb);
    if (c !== 0) return k.desc ? -c : c;
  }
  return 0;
}

/**
 * sort: stable; with the default limit of 10000 rows, as Splunk's sort. With a limit, only the best rows seen so
 * far are kept (the buffer is cut back to the limit whenever it reaches twice that), so memory stays bounded
 * however many rows arrive; `sort 0` keeps them all. Ties go in Splunk's order: arrival order, or newest first
 * when rows arrive oldest first.
 */
export class SortStage implements Stage {
  private held: { row: Row; seq: number }[] = [];
  private seq = 0;
  /**
   * `selectOnly`: pass on the rows the sort would keep, but in the order they came (for a range of a split
   * input, split.ts: the sort that gets every range's rows then orders them as it would have all of them).
   */
  constructor(private readonly keys: SortKey[], private readonly limit: number, private readonly reversed: boolean, private readonly next: Stage, private readonly selectOnly = false) {}

  push(row: Row): void {
    this.held.push({ row, seq: this.seq++ });
    if (this.held.length >= this.limit * 2) this.cut(); // never for `sort 0` (limit Infinity)
  }

  private order(): void {
    const keys = this.keys, tie = this.reversed ? -1 : 1;
    this.held.sort((a, b) => compareRows(a.row, b.row, keys) || (a.seq - b.seq) * tie);
  }

  private cut(): void {
    this.order();
    this.held.length = this.limit;
  }

  end(): void {
    this.order();
    const n = Math.min(this.held.length, this.limit);
    if (this.selectOnly) { this.held.length = n; this.held.sort((a, b) => a.seq - b.seq); }
    for (let i = 0; i < n; i++) this.next.push(this.held[i]!.row);
    this.held = [];
    this.next.end();
  }
}

/** head N: streams the first N rows, or (oldest-first input) keeps the newest N and passes them newest first. */
export class HeadStage implements Stage {
  private seen = 0;
  private ring: Row[] = [];
  constructor(private readonly limit: number, private readonly reversed: boolean, private readonly next: Stage) {}
  push(row: Row): void {
    if (!this.reversed) {
      if (this.seen++ < this.limit) this.next.push(row);
      return;
    }
    this.ring.push(row);
    if (this.ring.length > this.limit * 2 + 16) this.ring.splice(0, this.ring.length - this.limit);
  }
  end(): void {
    if (this.reversed) {
      const keep = this.ring.slice(-this.limit).reverse();
      for (const r of keep) this.next.push(r);
      this.ring = [];
    }
    this.next.end();
  }
}

/** dedup: keeps the first N rows (in Splunk's order) for each combination of the fields. */
export class DedupStage implements Stage {
  private counts = new Map<string, number>();
  private held = new Map<string, Row[]>();
  private order: string[] = [];
  private lastKey: string | undefined;
  private keptEmpty: Row[] = [];

  constructor(
    private readonly fields: string[],
    private readonly limit: number,
    private readonly keepEmpty: boolean,
    private readonly consecutive: boolean,
    private readonly sortBy: SortKey[],
    private readonly reversed: boolean,
    private readonly next: Stage,
  ) {}

  private keyOf(row: Row): string | undefined {
    const parts: string[] = [];
    for (const f of this.fields) {
      const v = row[f];
      if (v === undefined) return undefined;
      parts.push(valuesOf(v).map(scalarToString).join('\u0001'));
    }
    return parts.join('\u0000');
  }

  push(row: Row): void {
    const key = this.keyOf(row);
    if (key === undefined) {
      if (this.keepEmpty) { if (this.reversed || this.sortBy.length) this.keptEmpty.push(row); else this.next.push(row); }
      return;
    }
    if (this.consecutive) {
      if (key !== this.lastKey) { this.lastKey = key; this.hold(row, key, true); }
      return;
    }
    if (!this.reversed && this.sortBy.length === 0) {
      const n = this.counts.get(key) ?? 0;
      if (n < this.limit) { this.counts.set(key, n + 1); this.next.push(row); }
      return;
    }
    this.hold(row, key, false);
  }

  private hold(row: Row, key: string, consecutive: boolean): void {
    if (!this.reversed && this.sortBy.length === 0 && consecutive) { this.next.push(row); return; }
    const k = consecutive ? `${this.order.length}\u0002${key}` : key;
    let list = this.held.get(k);
    if (!list) { list = []; this.held.set(k, list); this.order.push(k); }
    list.push(row);
    // Oldest-first input: the newest N are the last N read.
    if (list.length > this.limit * 2 + 16) list.splice(0, list.length - this.limit);
  }

  end(): void {
    let out: Row[] = [];
    const keys = this.reversed ? [...this.order].reverse() : this.order;
    for (const k of keys) {
      const list = this.held.get(k)!;
      out.push(...(this.reversed ? list.slice(-this.limit).reverse() : list.slice(0, this.limit)));
    }
    if (this.reversed) {
      // Newest first overall, as Splunk would emit them.
      out.sort((a, b) => (asNumber(b._time) ?? 0) - (asNumber(a._time) ?? 0));
      out.push(...this.keptEmpty.reverse());
    } else out.push(...this.keptEmpty);
    if (this.sortBy.length) out = out.sort((a, b) => compareRows(a, b, this.sortBy));
    for (const r of out) this.next.push(r);
    this.held.clear();
    this.next.end();
  }
}
