// How one search is cut when the input is split into byte ranges read by different threads (range-split.ts).
// Each thread runs the search's streaming head over its range; the rows where the head ends are sent to one
// place, which runs the rest over range 1's rows, then range 2's, and so on: the order one thread reading
// the whole input would have given them in. Filters, eval, rex and bin look at one event at a time, so
// their rows do not depend on where the input was cut.
//
// A stats by a binned _time can run in the threads too (its groups are the bulk of the work): when no bin
// holds events of two ranges, a range's groups are exactly the ones one thread would have made. That is
// checked after the fact, from what each thread saw (BinWatch), and a search that fails the check is run
// again over the whole input.
import type { Operator } from '../plan/plan.js';
import { LATE_HORIZON_SECONDS } from './ops/stats.js';
import type { Stage, StreamFacts } from './stage.js';
import { asNumber, type Row } from './value.js';
import { binTime } from './ops/bin.js';
import type { TimeBin } from './bin-into-stats.js';

/** Operators that take one row and pass on at most one, keeping nothing between rows. */
const STREAMING = new Set<Operator['kind']>(['search', 'where', 'eval', 'rex', 'bin', 'rename', 'table', 'fields']);

/**
 * Where a search is cut: `at` is the first operator that runs where the ranges' rows meet (the operators'
 * length when every operator streams). `stats` is set when a stats by a binned _time (at that index, with
 * that `binnedSpan`) runs in each thread; the streaming operators after it do too. `preselect`: operator `at`
 * is a sort with a limit, which each thread also runs to keep only the rows it could pass on (SortStage's
 * selectOnly), so that a thread does not send every group it made when the search keeps the first 10,000.
 */
export interface SplitPoint { at: number; stats?: number; binnedSpan?: number; preselect?: boolean }

/** `facts[i]` are the facts of the stream operator i takes (see pipeline.ts). */
export function splitPoint(operators: readonly Operator[], facts: readonly StreamFacts[]): SplitPoint {
  let c = 0;
  while (c < operators.length && STREAMING.has(operators[c]!.kind)) c++;
  const op = operators[c];
  const f = facts[c];
  // The same condition under which StatsStage closes bins as the log advances.
  if (!(op?.kind === 'stats' && op.by[0] === '_time' && f?.reversed && f.timeBinned !== undefined)) return { at: c };
  let at = c + 1;
  while (at < operators.length && STREAMING.has(operators[at]!.kind)) at++;
  const next = operators[at];
  return { at, stats: c, binnedSpan: f.timeBinned, ...(next?.kind === 'sort' && next.limit !== Infinity ? { preselect: true } : {}) };
}

/** What a thread saw of the binned _time of the rows reaching a stats it ran (see BinWatch). */
export interface BinSeen {
  min: number;
  max: number;
  /**
   * A row came for a bin that the stats may have closed already, depending on when it last closed bins:
   * the thread's answer may differ from one thread's over the whole input.
   */
  uncertain: boolean;
}

/**
 * Sits before a stats by binned _time and notes the bins it is given. StatsStage closes the bins that began
 * more than LATE_HORIZON_SECONDS + span before the newest row, every span or so: a row for a bin older than
 * that may find it closed in one thread and open in another.
 */
export class BinWatch implements Stage {
  /** A new object after reset: the one a range's end handed on stays as it was. */
  seen: BinSeen = { min: Infinity, max: -Infinity, uncertain: false };
  /** `bin`, given, is the bin the stats after this takes over (bin-into-stats.ts): the rows' _time is not binned yet. */
  constructor(private readonly span: number, private readonly next: Stage, private readonly bin?: TimeBin) {}
  reset(): void { this.seen = { min: Infinity, max: -Infinity, uncertain: false }; }
  push(row: Row): void {
    const n = asNumber(row._time);
    const t = n !== undefined && this.bin ? binTime(n, this.bin.span, this.bin.tz) : n;
    if (t !== undefined) this.saw(t);
    this.next.push(row);
  }
  /** A row of binned _time `t` reached the stats without passing here (stats-columns.ts). */
  saw(t: number): void {
    const s = this.seen;
    if (t < s.max - LATE_HORIZON_SECONDS - this.span) s.uncertain = true;
    if (t < s.min) s.min = t;
    if (t > s.max) s.max = t;
  }
  end(): void { this.next.end(); }
  advance(t: number): void { this.next.advance?.(t); }
}

/**
 * Keeps the rows that reach the cut. `copy` (the fields the rest of the search reads) is given when a row may
 * be an event other searches share, or a scratch row; rows a stats made are its own.
 */
export class Capture implements Stage {
  rows: Row[] = [];
  constructor(private readonly copy?: (row: Row) => Row) {}
  push(row: Row): void { this.rows.push(this.copy ? this.copy(row) : row); }
  end(): void {}
  /** A new list: the one end() returned stays with its caller. */
  reset(): void { this.rows = []; }
}

/**
 * Whether the ranges' groups are one thread's groups, given the ranges in order: the bins each range gave the
 * stats come strictly after the bins of the ranges before it, and no range after one with rows was unsure of a
 * bin's state. (A range with no rows before it starts where one thread would, so whatever it did, one thread
 * would have done.)
 */
export class BinsInOrder {
  private before = -Infinity;
  ok = true;
  /** Takes the next range's bins (undefined: no stats ran); false from the first range that breaks the order. */
  add(s: BinSeen | undefined): boolean {
    if (!this.ok || !s || s.min > s.max) return this.ok; // no rows in this range
    if ((s.uncertain && this.before > -Infinity) || s.min <= this.before) this.ok = false;
    this.before = s.max;
    return this.ok;
  }
}

/** BinsInOrder over all the ranges at once. */
export function binsApart(seen: ReadonlyArray<BinSeen | undefined>): boolean {
  const order = new BinsInOrder();
  return seen.every((s) => order.add(s));
}
