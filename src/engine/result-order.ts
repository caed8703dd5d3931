// Puts the jobs' results in the jobs' order, whichever job or thread finishes first, so the output is the same
// however the work was spread. Rows come while the input is still read (a stats emits a bin's rows once the
// bin is closed) and wait in a spool (row-spool.ts) until their job has ended and every job before it has
// been handed on: a job that fails has no rows, so nothing is passed on before its end.
import { RowSpool } from './row-spool.js';
import type { InputSummary, JobCost, JobEnd, ResultSink } from './runner.js';
import type { Row } from './value.js';

export class ResultOrder {
  private next = 0;
  private readonly ended = new Map<string, [JobEnd, InputSummary, JobCost | undefined]>();
  /** Jobs ended (handed on or waiting): a repeated end or repeated rows, from a thread run again, are ignored. */
  private readonly done = new Set<string>();
  private held: boolean;

  /**
   * `sink` gets each job's rows in one or more calls, chunk after chunk, the last with the job's end (or
   * its failure alone). `hold`: nothing is handed on before release() (see runJobsParallel).
   */
  constructor(private readonly order: readonly string[], private readonly sink: ResultSink, opts: { hold?: boolean; spool?: RowSpool; warn?: (m: string) => void } = {}) {
    this.held = opts.hold === true;
    this.spool = opts.spool ?? new RowSpool(undefined, opts.warn);
  }

  private readonly spool: RowSpool;

  /** Rows of a job that has not ended, in its order. */
  readonly rows = (key: string, rows: Row[]): void => {
    if (!this.done.has(key)) this.spool.add(key, rows);
  };

  /** A job's end: its remaining rows, or its failure (which voids the rows it gave before). */
  readonly end: ResultSink = (key, result, input, cost) => {
    if (this.done.has(key)) return;
    this.done.add(key);
    if ('failure' in result) this.spool.drop(key);
    this.ended.set(key, [result, input, cost]);
    if (!this.held) this.handOn();
  };

  /** Hands on what has waited for release, and from then on every job as soon as its turn comes. */
  release(): void {
    this.held = false;
    this.handOn();
  }

  private handOn(): void {
    for (let k = this.order[this.next]; k !== undefined; k = this.order[this.next]) {
      const e = this.ended.get(k);
      if (!e) break;
      this.ended.delete(k);
      this.next++;
      // The last chunk goes with the end, so a job with few rows is one call, as it was before rows streamed.
      let held: Row[] | undefined;
      for (const chunk of this.spool.take(k)) {
        if (held) this.sink(k, { rows: held }, e[1], e[2]);
        held = chunk;
      }
      const last = e[0];
      this.sink(k, held && 'rows' in last ? { ...last, rows: last.rows.length ? held.concat(last.rows) : held } : last, e[1], e[2]);
    }
    if (this.next === this.order.length) this.spool.close();
  }

  /** Jobs a thread starts over: the rows they gave so far go (the ended ones' are kept). */
  forget(keys: Iterable<string>): void {
    for (const k of keys) if (!this.done.has(k)) this.spool.drop(k);
  }

  /** Removes the spool's file, for a run that stops early. */
  close(): void {
    this.spool.close();
  }
}

/** Rows a job hands on at once while the input is read (RunOptions.onRows). */
export const ROW_CHUNK = 500;

/** A job's rows, as its pipeline makes them, to `give` in chunks of ROW_CHUNK; `flush` gives what is left. */
export function rowChunks(give: (rows: Row[]) => void): { push: (row: Row) => void; flush: () => void } {
  let rows: Row[] = [];
  return {
    push: (row) => { rows.push(row); if (rows.length >= ROW_CHUNK) { give(rows); rows = []; } },
    flush: () => { if (rows.length > 0) give(rows); rows = []; },
  };
}
