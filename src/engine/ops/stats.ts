import type { Stage, StageContext } from '../stage.js';
import { asNumber, valuesOf, type Row, type Scalar, type Value } from '../value.js';
import type { Accumulator, SlotAccumulator, StatsFunction } from '../../spl/stats-functions.js';
import type { Compiled } from '../eval-compiler.js';
import { GroupIndex, keyOf } from './group-index.js';
import { GroupStore, sortByValues, type StoredGroup } from './group-store.js';
import { groupMaker, rowMaker, statsKernel } from './stats-kernel.js';
import type { TimeBin } from '../bin-into-stats.js';

export interface AggSpec {
  fn: StatsFunction;
  field?: string;
  evalArg?: Compiled;
  as: string;
}

/**
 * A group is one array: its by-values first, then each aggregate's slots at its offset (see SlotAccumulator),
 * then the order it was made in (at StatsStage.seqAt).
 */
type Group = StoredGroup;

/** A function without slots of its own keeps its accumulator object in one slot. */
function objectSlots(fn: StatsFunction, reversed: boolean): SlotAccumulator {
  return {
    size: 1,
    init(s, at) { s[at] = fn.create(reversed); },
    add(s, at, v, time) { (s[at] as Accumulator).add(v, time); },
    result(s, at) { return (s[at] as Accumulator).result(); },
  };
}

/**
 * The `where` that follows a stats directly, tried on each group before its row is finished: a group it
 * drops skips the results it does not read (values() sorts its set, for one). `reads` are the fields the
 * test reads (exprReads); a row holding just those, as the full row holds them, gets the same answer.
 */
export interface Having { test: (row: Row) => boolean; reads: ReadonlySet<string> }

/**
 * Groups kept to be filled again (StatsStage.spare): about a bin's worth for a detection grouped by bin and
 * client, and a bound on what a bin of a great many clients leaves behind.
 */
const SPARE_GROUPS = 4096;

/** How long after a bin ends we keep it open for stragglers before passing its results on. */
export const LATE_HORIZON_SECONDS = 3600;

/**
 * Open groups past which a stats by binned _time passes every bin on as soon as it has ended rather than an
 * hour later: a log of a million addresses within the hour (a distributed scan) held a group per address and
 * bin for each detection grouped by client, 1.6 GB. The bench's busiest stats holds about 2,400.
 */
export const OPEN_GROUPS_LIMIT = 50_000;

/**
 * stats: one row per distinct combination of the by-fields, sorted by them. Events with a missing by-field are
 * dropped; a multivalue by-field puts the event in one group per value (several give the Cartesian product).
 * With no by-fields there is always exactly one row, even for no events (count=0).
 *
 * When the first by-field is a binned _time and events arrive oldest first, bins that ended more than
 * LATE_HORIZON_SECONDS before the newest event are complete: their rows are passed on at once and forgotten,
 * so memory stays flat however long the log is. An event for a bin already passed on is reported as a warning.
 */
export class StatsStage implements Stage {
  /** Every open group; `index` finds them by their by-values. */
  private readonly groups: GroupStore<Group>;
  private readonly index: GroupIndex<Group> | undefined;
  /** The by-values of the row being placed (no closure made per event). */
  private placing: Scalar[] = [];
  /** The span of the binned _time it is by first, when it passes bins on as the log advances. */
  readonly flushSpan: number | undefined;
  private maxTime = -Infinity;
  private nextFlushAt = Infinity;
  private flushedBefore = -Infinity;
  private warnedLate = false;
  private warnedCrowded = false;
  /** The group of the last single-valued event, and its by-values: runs of events in one group (the same
   * bin and host, a burst from one client) skip the lookup. */
  lastGroup: Group | undefined;
  /** As long as `by` from the start and never shorter: a store past an array's end undid the kernel's optimised
   * code (V8's "out of bounds" deoptimisation), once per stats per byte range when reset() emptied it. */
  readonly lastValues: Scalar[];

  constructor(
    readonly aggs: AggSpec[],
    readonly by: string[],
    reversed: boolean,
    timeBinned: number | undefined,
    private readonly ctx: StageContext,
    private readonly next: Stage,
    having?: Having,
    /** The bin before this stats, left to it (bin-into-stats.ts): by[0] is _time, binned as the events come. */
    bin?: TimeBin,
    private readonly openLimit = OPEN_GROUPS_LIMIT,
  ) {
    this.lastValues = Array.from(by, () => '');
    if (having) this.having = having.test;
    this.flushSpan = by[0] === '_time' && reversed && timeBinned !== undefined ? timeBinned : undefined;
    this.index = by.length > 0 ? new GroupIndex<Group>(by.length) : undefined;
    this.groups = new GroupStore<Group>(by[0] === '_time');
    this.slots = aggs.map((a) => a.fn.slots ?? objectSlots(a.fn, reversed));
    // A group's aggregates follow its by-values in one array (groupMaker): offsets count from after them.
    let size = by.length;
    this.offsets = this.slots.map((k) => { const at = size; size += k.size; return at; });
    this.seqAt = size;
    ({ make: this.newGroup, release: this.releaseGroup } = groupMaker<Group>(by.length, this.slots, this.offsets, size));
    ({ push: this.push, feed: this.feed } = statsKernel(this, by, aggs, this.slots, this.offsets, this.flushSpan !== undefined, bin));
    const names = aggs.map((a) => a.as);
    this.rowOf = rowMaker(by, names, this.slots, this.offsets, aggs.map((_, i) => i));
    this.havingAggs = having ? aggs.flatMap((a, i) => (having.reads.has(a.as) ? [i] : [])) : [];
    if (having) this.havingRow = rowMaker(by, names, this.slots, this.offsets, this.havingAggs);
  }

  /** The group's row: its by-fields, then the results of its aggregates (absent when there is none). */
  private readonly rowOf: (g: Group) => Row;
  /** The same with only the aggregates the having test reads, in their order (a later one of a name wins, as in the row). */
  private readonly havingRow: ((g: Group) => Row) | undefined;
  /** The aggregates the having test reads (their indexes). */
  readonly havingAggs: readonly number[];

  /** Where a group's array holds the order it was made in (after its by-values and slots). */
  private readonly seqAt: number;
  /** Each aggregate's state, at its offset in a group's array. */
  readonly slots: SlotAccumulator[];
  readonly offsets: number[];
  private readonly newGroup: (values: readonly Scalar[], seq: number, spare: Group | undefined) => Group;
  private readonly releaseGroup: (g: Group) => void;
  /** Groups whose rows have been made, emptied, to be filled again for new ones (groupMaker); at most SPARE_GROUPS. */
  private readonly spare: Group[] = [];

  private readonly having: ((row: Row) => boolean) | undefined;

  /** Takes one event (generated per stats command: see stats-kernel.ts). */
  readonly push: (row: Row) => void;
  /** Adds one event to a group's aggregates (the second half of push), `t` its _time. */
  private readonly feed: (g: Group, row: Row, t: Value | undefined) => void;

  /** `first` stands for the event's first by-value: its _time binned, when the kernel bins (see statsKernel). */
  pushMultivalue(row: Row, first: Value | undefined): void {
    const lists: Scalar[][] = [];
    for (let i = 0; i < this.by.length; i++) {
      const l = valuesOf(i === 0 ? first : row[this.by[i]!]);
      if (l.length === 0) return;
      lists.push(l);
    }
    const t = this.by[0] === '_time' ? first : row._time;
    for (const combo of cartesian(lists)) this.feed(this.groupOf(combo), row, t);
    if (this.flushSpan !== undefined) this.maybeFlushAt(first);
  }

  /** Groups open now. */
  get openGroups(): number { return this.groups.size; }

  // For groups kept in columns (stats-columns.ts), which stand for the events this stage would have placed
  // in bins it holds no group of: their bin moves the stage on as the bin's first event would have, each
  // reserves the order it would have been made in and counts among the open groups, and before the stage
  // takes a bin the columns make it the groups it would have had (those its having test keeps, once no event
  // can join them).

  /** The newest binned _time placed (by an event or by the columns); -Infinity before any. */
  get newestBin(): number { return this.maxTime; }

  /** Groups held in columns: open groups, for the limit past which bins are passed on at once. */
  heldElsewhere = 0;

  /** Called before the stage takes the groups of bins before `t` (Infinity: all of them, at the end). */
  beforeTake: ((t: number) => void) | undefined;

  /**
   * The columns' first event of bin `t`, newer than any placed: the stage passes on what that event would
   * have made it pass on, counting the group the event makes (held in the columns) among the open ones.
   */
  columnsAdvance(t: number): void { this.maybeFlushAt(t, 1); }

  /**
   * Whether the having test keeps a group of these by-values whose aggregates `fill` sets (given the
   * aggregates the test reads, havingAggs, in a group array of this stage's layout); true without one.
   */
  keeps(values: readonly Scalar[], fill: (g: Group) => void): boolean {
    if (!this.having) return true;
    // Emptied first, as a spare group is: an aggregate whose init leaves its slots would keep the last values.
    if (this.scratchGroup) this.releaseGroup(this.scratchGroup);
    const g = (this.scratchGroup = this.newGroup(values, 0, this.scratchGroup));
    fill(g);
    return this.having(this.havingRow!(g));
  }

  private scratchGroup: Group | undefined;

  /** The order number a group made now would take. */
  reserveSeq(): number { return this.groups.nextSeq(); }

  /**
   * A new group of these by-values (a stats with columns has two or three), numbered `seq`, in the index;
   * its aggregates are the caller's to feed. The columns make groups only of bins this stage holds none of.
   */
  columnGroup(values: Scalar[], seq: number): Group {
    this.placing = values;
    this.columnSeq = seq;
    return this.index!.find(values, this.makeColumnGroup);
  }

  private columnSeq = 0;
  private readonly makeColumnGroup = (): Group => {
    const g = this.newGroup(this.placing, this.columnSeq, this.spare.pop());
    this.groups.add(g);
    return g;
  };

  /** The group of these by-values, made when new (read at once: `values` may be reused afterwards). */
  groupOf(values: Scalar[]): Group {
    if (!this.index) return this.groups.any() ?? this.makeGroup();
    this.placing = values;
    return this.index.find(values, this.makeGroup);
  }

  private readonly makeGroup = (): Group => {
    const values = this.placing;
    if (this.flushSpan !== undefined) {
      const t = asNumber(values[0]);
      if (t !== undefined && t < this.flushedBefore && !this.warnedLate) {
        this.warnedLate = true;
        this.ctx.warn(`an event for the ${new Date(t * 1000).toISOString()} window arrived after that window's results were passed on; that window may be reported twice (is the log out of order?)`);
      }
    }
    const g = this.newGroup(values, this.groups.nextSeq(), this.spare.pop());
    this.groups.add(g);
    return g;
  };

  /**
   * maybeFlush for an event whose _time is `v`: the kernel has read it already (its first by-field), where this
   * method, shared by every stats, would read it from rows of every detection's shape.
   */
  maybeFlushAt(v: Value | undefined, pending = 0): void {
    const t = asNumber(v);
    if (t === undefined || t <= this.maxTime) return;
    this.maxTime = t;
    const crowded = this.groups.size + this.heldElsewhere + pending > this.openLimit;
    if (!crowded && t < this.nextFlushAt && this.nextFlushAt !== Infinity) return;
    const span = this.flushSpan!;
    // `t` is a bin's start (the stream's _time is binned). Bins starting before the cutoff have ended over an
    // hour ago; when crowded, every bin before this one (in a log in time order, none can gain an event; one
    // that does is late, and warned about as any late event is).
    const cutoff = crowded ? t : t - LATE_HORIZON_SECONDS - span;
    if (crowded && !this.warnedCrowded) {
      this.warnedCrowded = true;
      this.ctx.warn(`more than ${this.openLimit.toLocaleString('en')} groups open: each time bin is passed on as soon as it has ended, not an hour later (an event arriving after its bin ended would be reported apart)`);
    }
    this.beforeTake?.(cutoff);
    const ready = this.takeBefore(cutoff);
    if (cutoff > this.flushedBefore) this.flushedBefore = cutoff;
    this.nextFlushAt = t + span;
    this.emit(ready);
    this.next.advance?.(this.flushedBefore);
  }

  /**
   * A stats by _time first whose input is past `t` (Stage.advance): its groups before `t` are passed on now,
   * sorted, as end() would have passed them first, and the rows they make are let go (Splunk's Endpoint Scan
   * keeps a second stats over its alerts for the whole search). A row that comes later for an earlier time
   * (more than an hour late: the stats before this one has warned) makes a group of its own, passed on after.
   */
  advance(t: number): void {
    if (this.flushSpan !== undefined || this.by[0] !== '_time') return;
    this.beforeTake?.(t);
    const ready = this.takeBefore(t);
    if (ready.length === 0) return;
    this.emit(ready);
    this.next.advance?.(t);
  }

  /** Removes and returns the groups whose first by-value (a time) is before `t`. */
  private takeBefore(t: number): Group[] {
    const ready = this.groups.takeBefore(t);
    if (ready.length === 0) return ready;
    this.lastGroup = undefined; // it may be among them
    // Every group under a taken time is taken (they share its bucket), so each time's part of the index goes
    // at once: a bin's hundreds of groups are not deleted one by one.
    let last: string | undefined;
    for (const g of ready) {
      const k = keyOf(g[0] as string | number);
      if (k !== last) { this.index!.deleteFirst(k); last = k; }
    }
    return ready;
  }

  private emit(groups: Group[]): void {
    // The having test answers for a group alone, so it goes first: the groups it drops (most of them, for
    // a threshold such as count > 120) are never sorted.
    const kept = this.having ? groups.filter((g) => this.having!(this.havingRow!(g))) : groups;
    sortByValues(kept, this.by.length, this.seqAt);
    for (const g of kept) this.next.push(this.rowOf(g));
    // Their rows hold their values, not the groups: each may be filled again for a new group.
    const spare = this.spare;
    for (let i = 0; i < groups.length && spare.length < SPARE_GROUPS; i++) {
      this.releaseGroup(groups[i]!);
      spare.push(groups[i]!);
    }
  }

  end(): void {
    this.beforeTake?.(Infinity);
    if (this.by.length === 0 && this.groups.size === 0) {
      this.groups.add(this.newGroup([], this.groups.nextSeq(), undefined));
    }
    this.emit(this.groups.takeAll());
    this.index?.clear();
    this.lastGroup = undefined;
    this.next.end();
  }

  /** After end() (Stage.reset): no groups, and the bins and warnings as before the first row. */
  reset(): void {
    this.groups.takeAll();
    this.groups.restartSeq();
    this.index?.clear();
    this.lastGroup = undefined;
    this.lastValues.fill('');
    this.placing = [];
    this.maxTime = -Infinity;
    this.nextFlushAt = Infinity;
    this.flushedBefore = -Infinity;
    this.warnedLate = false;
    this.warnedCrowded = false;
    this.heldElsewhere = 0;
  }
}

/** Adds one row to a group's accumulators: fn(field), fn(eval(expr)) (true counts as 1) or bare count. */
export function feedAccumulators(aggs: AggSpec[], accs: Accumulator[], row: Row): void {
  const time = asNumber(row._time) ?? 0;
  for (let i = 0; i < aggs.length; i++) {
    const a = aggs[i]!;
    const acc = accs[i]!;
    if (a.evalArg) {
      const v = a.evalArg(row);
      if (v === undefined || v === false) continue;
      if (v === true) { acc.add(1, time); continue; }
      for (const x of valuesOf(v)) acc.add(x, time);
    } else if (a.field === undefined) {
      acc.add(1, time);
    } else {
      const v = row[a.field];
      if (v === undefined) continue;
      if (Array.isArray(v)) { for (const x of v) acc.add(x, time); }
      else acc.add(v, time);
    }
  }
}

/** Writes each accumulator's result into `out` under its name (absent when there is no result). */
export function writeResults(aggs: AggSpec[], accs: Accumulator[], out: Row): void {
  for (let i = 0; i < aggs.length; i++) {
    const v = accs[i]!.result();
    if (v !== undefined) out[aggs[i]!.as] = v;
    else delete out[aggs[i]!.as];
  }
}

/**
 * The group keys a row belongs to under `by`, as stats forms them: none when a by-field is missing, one per
 * value (or combination of values) for multivalue fields.
 */
export function groupKeysOf(row: Row, by: string[]): string[] {
  if (by.length === 0) return [''];
  const lists: Scalar[][] = [];
  for (const f of by) {
    const l = valuesOf(row[f]);
    if (l.length === 0) return [];
    lists.push(l);
  }
  if (lists.every((l) => l.length === 1)) return [lists.map((l) => keyOf(l[0]!)).join('\u0000')];
  return [...cartesian(lists)].map((c) => c.map(keyOf).join('\u0000'));
}


function* cartesian(lists: Scalar[][]): Generator<Scalar[]> {
  const idx = lists.map(() => 0);
  for (;;) {
    yield lists.map((l, i) => l[idx[i]!]!);
    let k = lists.length - 1;
    while (k >= 0) {
      idx[k]!++;
      if (idx[k]! < lists[k]!.length) break;
      idx[k] = 0;
      k--;
    }
    if (k < 0) return;
  }
}
