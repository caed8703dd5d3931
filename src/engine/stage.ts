// A stage takes rows one at a time and passes rows on. Streaming stages pass rows as they come; blocking
// stages (stats, sort, dedup, head over raw events) hold what they need and pass rows on at end().
import type { Row } from './value.js';
import { ALL, type FieldSet } from '../plan/needed-fields.js';
import type { EvalContext } from '../spl/eval-functions.js';

export interface Stage {
  push(row: Row): void;
  end(): void;
  /**
   * No row with a _time before `t` will come (a stats by binned _time has closed those bins). Stages that
   * keep _time pass it on; a stats by _time first passes on its groups before `t` (see StatsStage.advance).
   */
  advance?(t: number): void;
  /**
   * After end(): forget what was taken, as a stage made afresh would have nothing, so that a scan thread runs
   * the same stages over its next byte range (runner.ts). Stages that keep nothing between rows have none;
   * the stateful stages a range's head may hold (Pipeline.reset) must have one.
   */
  reset?(): void;
}

export interface StageContext extends EvalContext {
  /** Reports a problem that does not stop the search (e.g. an event arriving after its window closed). */
  warn(message: string): void;
}

/**
 * Facts about the stream a stage receives, decided when the pipeline is built.
 * - `shared`: rows may be shared with other detections, so a stage that changes a row must copy it first.
 * - `reversed`: rows arrive oldest first, while Splunk would deliver them newest first.
 * - `timeBinned`: _time has been binned with this span (seconds), so stats by _time can close old bins early.
 */
export interface StreamFacts {
  shared: boolean;
  /**
   * The stage's output rows reach only stages that read them and let them go (filters, eval, rex, bin, then
   * stats), so one scratch row per stage can be refilled for every event instead of a copy made.
   */
  transient?: boolean;
  reversed: boolean;
  timeBinned?: number;
}

/** Copies a shared row before a stage changes it; undefined when the stage owns its rows. */
export type RowCopy = (row: Row) => Row;

const copyAll: RowCopy = (row) => ({ ...row });

/**
 * Code generated once per field list (names JSON-quoted, sorted) and kept: undefined when any field may be
 * used (ALL) or a name would reach the prototype, where the callers fall back to a general copy.
 */
function perFieldList<F>(cache: Map<string, F>, fields: FieldSet, make: (names: string[]) => F): F | undefined {
  if (fields === ALL) return undefined;
  const names = [...fields].sort();
  if (names.includes('__proto__')) return undefined;
  const key = JSON.stringify(names);
  let f = cache.get(key);
  if (!f) { f = make(names.map((n) => JSON.stringify(n))); cache.set(key, f); }
  return f;
}

const copiers = new Map<string, RowCopy>();

/**
 * A copier that keeps only the fields the rest of the pipeline can use (see plan/needed-fields.ts): an event
 * has some twenty fields, a detection reads a handful, and every detection that changes events copies them.
 * The copy is an object literal with a fixed shape.
 */
export function rowCopier(fields: FieldSet): RowCopy {
  return perFieldList(copiers, fields, (q) => new Function('r', `return { ${q.map((n) => `${n}: r[${n}]`).join(', ')} };`) as RowCopy) ?? copyAll;
}

const fillers = new Map<string, (s: Row, r: Row) => Row>();

/**
 * A copier that refills one row of its own for every event: for a stage whose rows never outlive the next
 * event (StreamFacts.transient). Every listed field is written, absent ones as undefined, so nothing of the
 * last event is left for a stage to read; a field that is not listed is never read downstream.
 */
export function scratchCopier(fields: FieldSet): RowCopy | undefined {
  const fill = perFieldList(fillers, fields, (q) => new Function('s', 'r', `${q.map((n) => `s[${n}] = r[${n}];`).join(' ')} return s;`) as (s: Row, r: Row) => Row);
  if (!fill) return undefined;
  const scratch = rowCopier(fields)({});
  return (row) => fill(scratch, row);
}
