// A stage takes rows one at a time and passes rows on. Streaming stages pass rows as they come; blocking
// stages (stats, sort, dedup, head over raw events) hold what they need and pass rows on at end().
import type { Row } from './value.js';
import type { EvalContext } from '../spl/eval-functions.js';

export interface Stage {
  push(row: Row): void;
  end(): void;
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
  reversed: boolean;
  timeBinned?: number;
}

export function copyIfShared(row: Row, shared: boolean): Row {
  return shared ? { ...row } : row;
}
