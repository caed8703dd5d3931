// `bin _time span=S | stats … by _time, …` run as one stage: the stats bins each event's _time as it places
// it, instead of a bin stage copying the event into a row of its own only to change its _time for the stats
// (every gin event, for Splunk's Endpoint Scan). The groups, their rows and their order are the same: the
// stats sees the binned time wherever it would have read the bin's row — its first by-value, the time its
// aggregates are kept in order by (first(), last()), and the time its closed bins are passed on by.
import type { Operator } from '../plan/plan.js';
import { exprReads } from '../plan/needed-fields.js';
import type { TimeZone } from '../util/timezone.js';

/** The binning a stats takes over from the bin before it: `bin _time span=<span seconds>` in zone `tz`. */
export interface TimeBin { span: number; tz: TimeZone }

/**
 * Whether operator `i`, a bin, can be left to the stats after it: it bins _time into _time (by a span of time
 * or a number of seconds), the stats groups by _time first, and nothing else in that stats reads _time (an
 * aggregate of _time, or an eval argument reading it, would see the bin where the stats holds the event's time).
 */
export function binFusesIntoStats(operators: readonly Operator[], i: number): boolean {
  const bin = operators[i], stats = operators[i + 1];
  if (bin?.kind !== 'bin' || stats?.kind !== 'stats') return false;
  if (bin.field !== '_time' || bin.as !== '_time') return false;
  if (stats.by[0] !== '_time' || stats.by.indexOf('_time', 1) >= 0) return false;
  return stats.aggs.every((a) => a.field !== '_time' && (a.evalArg === undefined || !exprReads(a.evalArg).includes('_time')));
}

/** The bin the stats at `i` takes over from the operator before it, when that one fuses into it. */
export function binBefore(operators: readonly Operator[], i: number, tz: TimeZone): TimeBin | undefined {
  const op = operators[i - 1];
  if (op?.kind !== 'bin' || !binFusesIntoStats(operators, i - 1)) return undefined;
  // As BinStage: a span without a unit is seconds of _time.
  return { span: op.spanSeconds ?? op.spanValue ?? 1, tz };
}
