// Commands whose result depends on row order: sort, head, dedup. When rows arrive oldest first but Splunk
// would see them newest first (`reversed`), each answers as Splunk would: head keeps the newest N, dedup keeps
// the newest per key, and sort breaks ties newest first.
import type { Stage } from '../stage.js';
import { asNumber, firstScalar, orderScalars, scalarToString, valuesOf, type Row, type Scalar } from '../value.js';
import type { SortKey } from '../../spl/ast.js';
import { parseIp } from '../../util/cidr.js';
import { RowSpool } from '../row-spool.js';

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
 * however many rows arrive. Where that does not bound it (`sort 0`, or a limit over half of RUN_ROWS), every
 * RUN_ROWS rows are sorted and written out as a run (row-spool.ts), and the end merges the runs. Ties go in
 * Splunk's order: arrival order, or newest first when rows arrive oldest first.
 */
export class SortStage implements Stage {
  private held: Held[] = [];
  private seq = 0;
  private runs: RowSpool<Held> | undefined;
  private runCount = 0;
  private readonly tie: number;
  /**
   * `selectOnly`: pass on the rows the sort would keep, but in the order they came (for a range of a split
   * input, split.ts: the sort that gets every range's rows then orders them as it would have all of them).
   */
  constructor(private readonly keys: SortKey[], private readonly limit: number, reversed: boolean, private readonly next: Stage, private readonly selectOnly = false, private readonly runRows = RUN_ROWS, private readonly warn?: (message: string) => void) {
    this.tie = reversed ? -1 : 1;
  }

  push(row: Row): void {
    this.held.push({ row, seq: this.seq++ });
    if (this.held.length >= this.limit * 2) this.cut(); // never for `sort 0` (limit Infinity)
    else if (this.held.length >= this.runRows && !this.selectOnly) this.spill();
  }

  private readonly compare = (a: Held, b: Held): number => compareRows(a.row, b.row, this.keys) || (a.seq - b.seq) * this.tie;

  private cut(): void {
    this.held.sort(this.compare);
    this.held.length = this.limit;
  }

  /** The rows held, sorted, become a run on disk (at most `limit` of them: no more can be passed on). */
  private spill(): void {
    this.held.sort(this.compare);
    if (this.held.length > this.limit) this.held.length = this.limit;
    this.runs ??= new RowSpool<Held>(0, this.warn);
    const run = String(this.runCount++);
    for (let i = 0; i < this.held.length; i += SPILL_CHUNK) this.runs.add(run, this.held.slice(i, i + SPILL_CHUNK));
    this.held = [];
  }

  end(): void {
    if (this.runs) this.endRuns(this.runs);
    else {
      this.held.sort(this.compare);
      const n = Math.min(this.held.length, this.limit);
      if (this.selectOnly) { this.held.length = n; this.held.sort((a, b) => a.seq - b.seq); }
      for (let i = 0; i < n; i++) this.next.push(this.held[i]!.row);
    }
    this.held = [];
    this.next.end();
  }

  /** After end() (Stage.reset): nothing held, ties numbered from 0 again. */
  reset(): void {
    this.runs?.close();
    this.runs = undefined;
    this.runCount = 0;
    this.held = [];
    this.seq = 0;
  }

  /** Merges the runs and what is held: the smallest head first, ties to the earlier row as the sort has them. */
  private endRuns(runs: RowSpool<Held>): void {
    this.held.sort(this.compare);
    const sources: Array<Iterator<Held[]>> = [];
    for (let r = 0; r < this.runCount; r++) sources.push(runs.take(String(r))[Symbol.iterator]());
    sources.push([this.held][Symbol.iterator]());
    const heads = new MergeHeap(this.compare);
    for (const src of sources) heads.add(src);
    for (let n = 0; n < this.limit; n++) {
      const h = heads.pop();
      if (h === undefined) break;
      this.next.push(h.row);
    }
    runs.close();
    this.runs = undefined;
  }
}

interface Held { row: Row; seq: number }

/** Rows a `sort` holds before it writes them out as a sorted run. */
export const RUN_ROWS = 20_000;
const SPILL_CHUNK = 2000;

/** The next row of several sorted sources, each read a chunk at a time. */
class MergeHeap {
  private readonly heap: Array<{ chunk: Held[]; at: number; src: Iterator<Held[]> }> = [];
  constructor(private readonly compare: (a: Held, b: Held) => number) {}

  add(src: Iterator<Held[]>): void {
    for (let c = src.next(); !c.done; c = src.next()) {
      if (c.value.length === 0) continue;
      this.heap.push({ chunk: c.value, at: 0, src });
      this.up(this.heap.length - 1);
      return;
    }
  }

  pop(): Held | undefined {
    const top = this.heap[0];
    if (!top) return undefined;
    const out = top.chunk[top.at++]!;
    if (top.at === top.chunk.length) {
      let c = top.src.next();
      while (!c.done && c.value.length === 0) c = top.src.next();
      if (c.done) {
        const last = this.heap.pop()!;
        if (this.heap.length === 0) return out;
        this.heap[0] = last;
      } else { top.chunk = c.value; top.at = 0; }
    }
    this.down(0);
    return out;
  }

  private less(i: number, j: number): boolean {
    const a = this.heap[i]!, b = this.heap[j]!;
    return this.compare(a.chunk[a.at]!, b.chunk[b.at]!) < 0;
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) return;
      [this.heap[i], this.heap[p]] = [this.heap[p]!, this.heap[i]!];
      i = p;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < this.heap.length && this.less(l, m)) m = l;
      if (r < this.heap.length && this.less(r, m)) m = r;
      if (m === i) return;
      [this.heap[i], this.heap[m]] = [this.heap[m]!, this.heap[i]!];
      i = m;
    }
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
