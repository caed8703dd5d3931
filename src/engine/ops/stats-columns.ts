// A `stats` by binned _time and client whose search takes gin lines as they are (Splunk's Endpoint Scan:
// `"[GIN]" | bin _time span=5m | stats count, values(…) by _time, src, host`), run for those lines as a loop
// over arrays instead of through the stage. Such a stats puts most lines of a busy log in a group of their
// own bin and client (115,000 groups a million bench lines): finding each in maps, making it an array,
// feeding its slots one event at a time and testing it when its bin closed was most of the detection's time.
// Here a bin's groups are numbers: a line finds its group by its client's slot in the byte reader's cache
// (BareGinColumns.client), adds one to a count, ORs a bit per distinct value into a mask and adds a number
// per sum (what an eval computes from one field of the line is worked out once per value: API
// Reconnaissance From External Source's endpoint tests; stats-columns-values.ts). A bin the
// columns have moved past is held as it is until the stage takes its bins: then only the groups its having
// test keeps (`where count > 120`: a few hundred) become the stage's groups (StatsStage.beforeTake), fed
// their counts and values once, and the stage passes on the rows it would have made from the events one by one.
//
// What the columns take is exactly what the stage would have taken the same way: a gin event whose leading
// search is sure to pass (the caller's word; with a rex, a bare plain gin line the rex answers from its
// spans), of a bin newer than any the stage has seen, and whose values are strings or numbers the masks have
// room for. So the stage holds no group of a bin the columns hold; an event for such a bin that goes through
// the stage (late, or one the columns leave) has that bin's groups made the stage's first, all of them, and
// the bin is the stage's from then on.
import type { Stage } from '../stage.js';
import type { Row, Scalar, Value } from '../value.js';
import { asNumber } from '../value.js';
import { feedGroup, forget, learnValue, valueField, VALUE_BITS, type Feed, type Held, type ValueField } from './stats-columns-values.js';
import type { BareGinColumns } from '../span-rex.js';
import type { BinWatch } from '../split.js';
import type { StatsStage } from './stats.js';
import { NOT_ANSWERED, type RexStage } from './rex.js';
import { whereTest } from '../stage-builder.js';
import type { StageContext } from '../stage.js';
import type { ColumnsShape } from './stats-columns-shape.js';
import { generated } from '../generated-code.js';
import { compileExpr } from '../eval-compiler.js';
import { CLIENT_SLOTS } from '../../parse/gin-bytes.js';

/** Groups the arrays are first made for; they double as a bin needs more. */
const FIRST_CAPACITY = 1024;

/** A bare line's client for the stats, when it comes from a rex (RexStage.spanValue). */
type KeyOf = (ev: Row, at: number) => Value | undefined | typeof NOT_ANSWERED;

/** The take function's view of the columns (generated per stats, its fields' names written in). */
type Take = (ev: Row, at: number) => boolean;

export class StatsColumns implements Stage {
  /** The current bin: its start, and the range of _time the fast path takes (within the search's time range). */
  binStart = -Infinity;
  lo = Infinity;
  hi = -Infinity;
  /** The host of the current bin's groups (when the stats is by host): a line of another host starts a new set. */
  host: Scalar | undefined;
  /** The current bin's groups: `n`, each one's client, order number, count, and masks (in `fields`). */
  n = 0;
  srcs: string[] = [];
  seqs: Float64Array = new Float64Array(FIRST_CAPACITY);
  counts: Int32Array = new Int32Array(FIRST_CAPACITY);
  /** Per client slot, the group it found in the set stamped `epoch` (stamps of other sets are stale). */
  readonly slotEpoch = new Int32Array(CLIENT_SLOTS);
  readonly slotGroup = new Int32Array(CLIENT_SLOTS);
  epoch = 1;
  readonly fields: ValueField[];
  /** Lines the columns took: what the tests are told. */
  taken = 0;
  private readonly byHost: boolean;
  /** Per aggregate, what feeds it. */
  private readonly feeds: Feed[];
  /** Per sum (or avg), per group: how many numbers it has had, and their sum in the order read. */
  sumN: Int32Array[];
  sumX: Float64Array[];
  /** The aggregates the stage's having test reads. */
  private readonly havingFeeds: readonly Feed[];
  /** The rex the client comes from (undefined: the line's field `key`), once usable; see useRex. */
  private keyOf: KeyOf | undefined;
  private usable: boolean;
  /** Whether the client comes from a rex, whose answer from spans only a bare plain gin line has (takesAnyGin). */
  get needsBare(): boolean { return this.keyOf !== undefined; }
  private readonly bare: BareGinColumns;
  private made: Take | undefined;
  /** The current set's groups by client. */
  private ids = new Map<string, number>();
  /** Sets of groups the columns have moved past, oldest first, each of one bin and host. */
  private held: Held[] = [];
  /** Arrays of sets made the stage's, to be filled again. */
  private readonly spare: Held[] = [];
  /** The `where` after the search (ColumnsShape.where), and its answer per client slot for the client kept there. */
  private readonly where: ((row: Row) => boolean) | undefined;
  private readonly whereKey = new Array<string | undefined>(CLIENT_SLOTS).fill(undefined);
  private readonly whereAnswer = new Int8Array(CLIENT_SLOTS);

  constructor(
    private readonly stats: StatsStage,
    private readonly next: Stage,
    bare: BareGinColumns,
    private readonly earliest: number,
    private readonly latest: number,
    private readonly watch: BinWatch | undefined,
    private readonly shape: ColumnsShape,
    ctx: StageContext,
  ) {
    this.usable = !shape.rex;
    this.where = shape.where && whereTest(shape.where, ctx);
    this.bare = bare;
    this.byHost = stats.by.length === 3;
    // The line's fields read: those the aggregates read as they are, and those the evals compute from (every
    // eval's, read or not: one that fails or gives what an eval may not store leaves the line to the stage).
    const derived = shape.derived;
    const isDerived = (f: string) => derived.some((d) => d.field === f);
    const names = [...new Set([
      ...stats.aggs.flatMap((a) => (a.field === undefined || isDerived(a.field) ? [] : [a.field])),
      ...derived.map((d) => d.base),
    ])];
    this.fields = names.map((name) => valueField(name, derived.filter((d) => d.base === name).map((d) => compileExpr(d.expr, ctx)), FIRST_CAPACITY));
    let sums = 0;
    this.feeds = stats.aggs.map((a, i) => {
      const d = derived.find((x) => x.field === a.field);
      const field = a.field === undefined ? -1 : names.indexOf(d ? d.base : a.field);
      const view = d ? derived.filter((x) => x.base === d.base).indexOf(d) : -1;
      const slots = stats.slots[i]!;
      const sum = a.field !== undefined && slots.addTotal ? sums++ : -1;
      return { at: stats.offsets[i]!, field, view, sum, add: slots.add, addTotal: slots.addTotal };
    });
    this.sumN = Array.from({ length: sums }, () => new Int32Array(FIRST_CAPACITY));
    this.sumX = Array.from({ length: sums }, () => new Float64Array(FIRST_CAPACITY));
    this.havingFeeds = stats.havingAggs.map((i) => this.feeds[i]!);
    stats.beforeTake = (t) => this.beforeTake(t);
  }

  /**
   * The rex between the search and the stats (made after this stage, which follows it): the client comes
   * from its spans when it captures `key`; nothing the columns read from the line may be one of its groups.
   */
  useRex(rex: RexStage): void {
    const read = [this.shape.key, ...this.stats.by.slice(2), ...this.fields.map((f) => f.name)];
    const keyOf = rex.spanValue(this.shape.key);
    const captured = read.filter((f) => rex.captures(f));
    this.keyOf = keyOf;
    this.usable = captured.length === 0 ? this.shape.key === 'src' : keyOf !== undefined && captured.length === 1 && captured[0] === this.shape.key;
  }

  /**
   * Takes the gin event at batch position `at` when it can (see the top of this file): any gin event the
   * caller is sure passes the leading search, though with a rex only a bare plain line (the rex's span answer
   * says which). Undefined when the columns cannot serve this search.
   */
  get take(): Take | undefined {
    if (!this.usable) return undefined;
    return (this.made ??= this.makeTake(this.bare));
  }

  /**
   * Generated per stats: each value field read at a site of its own under its name. A line it does not take
   * goes to the stage, which finds it as the line would have left it (a newer bin the line starts is started
   * either way). Its by-values are read first: the stage ignores an event missing one, which must not move
   * the stage on here either (enter).
   */
  private makeTake(bare: BareGinColumns): Take {
    const q = JSON.stringify;
    const reads = this.fields.map((f, k) => `
        const v${k} = ev[${q(f.name)}];
        let b${k} = -1;
        if (v${k} === f${k}.last) b${k} = f${k}.lastBit;
        else if (typeof v${k} === 'string' || typeof v${k} === 'number') { b${k} = f${k}.bits.get(v${k}) ?? c.learn(${k}, v${k}); f${k}.last = v${k}; f${k}.lastBit = b${k}; }
        if (b${k} < 0) return false;`).join('');
    const marks = this.fields.map((_, k) => `f${k}.masks[id] |= 1 << b${k};`).join(' ');
    // A sum adds the line's number (its field's, or what an eval made of it), as the stage would have.
    const sums = this.feeds.filter((f) => f.sum >= 0).map((f) => `
        { const x = f${f.field}.nums[${f.view + 1}][b${f.field}]; if (x === x) { c.sumN[${f.sum}][id]++; c.sumX[${f.sum}][id] += x; } }`).join('');
    return generated<(c: StatsColumns, clientAt: Int32Array, keyOf: KeyOf | undefined, ...f: ValueField[]) => Take>(
      ['c', 'clientAt', 'keyOf', ...this.fields.map((_, k) => `f${k}`)], `
      return (ev, at) => {
        const slot = clientAt[at];
        const src = ${this.keyOf ? 'keyOf(ev, at)' : `ev[${q(this.shape.key)}]`};
        // No client (a rex that did not match): the stats passes the line over, and so do the stages before it.
        if (src === undefined) return true;
        if (typeof src !== 'string') return false;
        ${this.where ? `// Dropped by the where: so it would be by the stage's, before it could move the stats.
        const w = c.passes(ev, src, slot);
        if (w !== 1) return w === 0;` : ''}
        ${this.byHost ? "const host = ev.host; if (typeof host !== 'string' && typeof host !== 'number') return false;" : ''}
        const t = ev._time;
        if (!(t >= c.lo && t < c.hi) && !c.enter(t)) return false;
        ${this.byHost ? 'if (host !== c.host && !c.enterHost(host)) return false;' : ''}
        ${reads}
        let id;
        if (slot < 0) id = c.byText(src);
        else if (c.slotEpoch[slot] !== c.epoch || c.srcs[id = c.slotGroup[slot]] !== src) id = c.open(slot, src);
        c.counts[id]++;
        ${marks}${sums}
        c.taken++;
        return true;
      };`)(this, bare.client, this.keyOf, ...this.fields);
  }

  /**
   * A line of _time `t` outside the current bin: true when it starts a bin newer than any the stage has seen,
   * which the columns now hold (the stage moved on as that line would have moved it); false when it is for
   * the stage (a bin the stage has seen, outside the search's time range, or no number).
   */
  enter(t: unknown): boolean {
    if (typeof t !== 'number' || !(t >= this.earliest && t < this.latest)) return false;
    const span = this.stats.flushSpan!;
    const bin = Math.floor(t / span) * span;
    if (bin <= this.binStart || bin <= this.stats.newestBin) return false;
    this.retain();
    this.stats.columnsAdvance(bin);
    if (this.watch) this.watch.saw(bin);
    this.binStart = bin;
    this.lo = Math.max(bin, this.earliest);
    this.hi = Math.min(bin + span, this.latest);
    // A new bin numbers its values afresh once any field's are many (only those its lines bring); the sets
    // held keep the lists they were numbered by.
    if (this.fields.some((f) => f.values.length > VALUE_BITS / 2)) for (const f of this.fields) forget(f);
    return true;
  }

  /**
   * A line of another host than the current groups': true when the bin has no groups yet (the columns take
   * the new host's lines); else the bin's groups are made the stage's, and the bin is the stage's from then
   * on (one client's lines of a bin in two sets could not each be tested by the having test alone).
   */
  enterHost(host: Scalar): boolean {
    if (this.n === 0 && !this.held.some((h) => h.bin === this.binStart)) { this.host = host; return true; }
    this.retain();
    this.makeHeld(this.binStart);
    this.lo = Infinity;
    this.hi = -Infinity;
    return false;
  }

  /**
   * The where's answer for a line of client `src` (the only field it reads): 1 it passes, 0 it drops the
   * line, -1 it threw (the line goes through the stage, whose where reports it). Kept per client slot.
   */
  passes(ev: Row, src: string, slot: number): number {
    if (slot >= 0 && this.whereKey[slot] === src) return this.whereAnswer[slot]!;
    let answer: number;
    try { answer = this.where!(ev) ? 1 : 0; } catch { return -1; }
    if (slot >= 0) { this.whereKey[slot] = src; this.whereAnswer[slot] = answer; }
    return answer;
  }

  /** The bit of a value met for the first time in field `k` (learnValue); -1: the line goes to the stage. */
  learn(k: number, v: Scalar): number {
    return learnValue(this.fields[k]!, v);
  }

  /** The group of a client too long for a slot of the byte reader's cache, found by its text. */
  byText(src: string): number {
    return this.ids.get(src) ?? this.open(-1, src);
  }

  /**
   * The group of client `src` when its slot does not find it: the set's group of that client (a slot another
   * client took meanwhile) or a new one, found from now on by the slot (-1: by its text, byText). One group a
   * client: the having test judges each alone.
   */
  open(slot: number, src: string): number {
    let id = this.ids.get(src);
    if (id === undefined) id = this.add(src);
    if (slot >= 0) {
      this.slotEpoch[slot] = this.epoch;
      this.slotGroup[slot] = id;
    }
    return id;
  }

  private add(src: string): number {
    const id = this.n++;
    if (id === this.counts.length) this.grow();
    this.srcs[id] = src;
    this.seqs[id] = this.stats.reserveSeq();
    this.counts[id] = 0;
    for (const f of this.fields) f.masks[id] = 0;
    for (let k = 0; k < this.sumN.length; k++) { this.sumN[k]![id] = 0; this.sumX[k]![id] = 0; }
    this.ids.set(src, id);
    this.stats.heldElsewhere++;
    return id;
  }

  private grow(): void {
    const size = this.counts.length * 2;
    const wider = <A extends Int32Array | Float64Array>(a: A, make: (n: number) => A): A => { const b = make(size); b.set(a); return b; };
    this.counts = wider(this.counts, (k) => new Int32Array(k));
    this.seqs = wider(this.seqs, (k) => new Float64Array(k));
    for (const f of this.fields) f.masks = wider(f.masks, (k) => new Int32Array(k));
    this.sumN = this.sumN.map((a) => wider(a, (k) => new Int32Array(k)));
    this.sumX = this.sumX.map((a) => wider(a, (k) => new Float64Array(k)));
  }

  /** The current groups become a set held until the stage takes their bin; the current set starts empty. */
  private retain(): void {
    if (this.n === 0) return;
    const spare = this.spare.pop();
    this.held.push({
      bin: this.binStart, host: this.host, n: this.n, srcs: this.srcs, seqs: this.seqs, counts: this.counts,
      masks: this.fields.map((f) => f.masks), values: this.fields.map((f) => f.values), views: this.fields.map((f) => f.views),
      sumN: this.sumN, sumX: this.sumX,
    });
    this.srcs = spare?.srcs ?? [];
    this.seqs = spare?.seqs ?? new Float64Array(this.seqs.length);
    this.counts = spare?.counts ?? new Int32Array(this.counts.length);
    // A spare set's arrays are of one length, as grow() keeps the current ones.
    this.fields.forEach((f, k) => { f.masks = spare?.masks[k] ?? new Int32Array(f.masks.length); });
    this.sumN = spare?.sumN ?? this.sumN.map((a) => new Int32Array(a.length));
    this.sumX = spare?.sumX ?? this.sumX.map((a) => new Float64Array(a.length));
    this.n = 0;
    this.epoch++;
    this.ids = new Map();
  }

  /**
   * Before the stage takes its groups of bins before `t`: the sets held of those bins become its groups,
   * those its having test keeps (no event can join them now: one that comes is late, as in the stage).
   */
  private beforeTake(t: number): void {
    if (t === Infinity) this.retain();
    if (this.held.length === 0 || this.held[0]!.bin >= t) return;
    const keep: Held[] = [];
    for (const h of this.held) {
      if (h.bin < t) this.makeGroups(h, true);
      else keep.push(h);
    }
    this.held = keep;
  }

  /** The groups of set `h` made the stage's (with `having`, only those its having test keeps); its arrays go spare. */
  private makeGroups(h: Held, having: boolean): void {
    const values: Scalar[] = this.byHost ? [h.bin, '', h.host!] : [h.bin, ''];
    for (let id = 0; id < h.n; id++) {
      values[1] = h.srcs[id]!;
      if (having && !this.stats.keeps(values, (g) => feedGroup(g, h, id, this.havingFeeds))) continue;
      feedGroup(this.stats.columnGroup(values, h.seqs[id]!), h, id, this.feeds);
    }
    this.stats.heldElsewhere -= h.n;
    h.srcs.length = 0;
    h.n = 0;
    if (this.spare.length < 4) this.spare.push(h);
  }

  /**
   * An event for the stage: one of a bin the columns hold has that bin's groups made the stage's first (the
   * bin is the stage's from then on); one of a newer bin has the current groups held, and the columns take
   * no more lines of their bin.
   */
  push(row: Row): void {
    const t = typeof row._time === 'number' ? row._time : asNumber(row._time);
    // An event missing a by-value makes no group: the stats passes it over.
    if (t !== undefined && (this.hi !== -Infinity || this.held.length > 0) && !this.byMissing(row)) {
      const span = this.stats.flushSpan!;
      const bin = Math.floor(t / span) * span;
      if (bin >= this.binStart && this.hi !== -Infinity) {
        this.retain();
        if (bin === this.binStart) this.makeHeld(bin);
        this.lo = Infinity;
        this.hi = -Infinity;
      } else this.makeHeld(bin);
    }
    this.next.push(row);
  }

  private byMissing(row: Row): boolean {
    const by = this.stats.by;
    return row[by[1]!] === undefined || (this.byHost && row.host === undefined);
  }

  /** The sets held of bin `bin` made the stage's groups, all of them. */
  private makeHeld(bin: number): void {
    if (!this.held.some((h) => h.bin === bin)) return;
    this.held = this.held.filter((h) => {
      if (h.bin !== bin) return true;
      this.makeGroups(h, false);
      return false;
    });
  }

  end(): void {
    this.next.end(); // the stage's end makes every set held its groups (beforeTake)
  }

  advance(t: number): void {
    this.next.advance?.(t);
  }

  reset(): void {
    this.n = 0;
    this.epoch++;
    this.srcs.length = 0;
    this.held = [];
    this.binStart = -Infinity;
    this.lo = Infinity;
    this.hi = -Infinity;
    this.host = undefined;
    this.taken = 0;
    this.ids = new Map();
    for (const f of this.fields) forget(f);
  }
}
