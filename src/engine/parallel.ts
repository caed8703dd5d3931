// The same jobs on several cores: worker threads each run a share of the searches over the whole input, so
// every search sees every event in order, exactly as in one thread, and the results are the same. Each
// worker reads and parses the input itself (parsing is the cheap part; the searches are not), and only the
// result rows cross between threads. Files only: stdin and journald can be read once. Workers run with a heap
// limit, which keeps each thread's heap near its live data.
import { createReadStream, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { DEFAULT_TRUNCATE, LineSplitter } from '../input/lines.js';
import { LineParser } from '../parse/line-parser.js';
import { weighJobs } from './job-cost.js';
import { runOnThread, ScanThread } from './scan-thread.js';
import type { InputSummary, Job, JobCost, JobEnd, ResultSink, RunOptions, RunResult } from './runner.js';
import type { SelectSpan } from './select-skip.js';
import { ResultOrder } from './result-order.js';
import type { Row } from './value.js';

/** Whole files, or (for a split input) byte ranges of them (ByteRange in range-split.ts). */
export type WorkerFiles = Array<{ path: string; mtimeMs: number; start?: number; end?: number }>;

/** What a scan thread is started with; the files come in messages (scan-thread.ts). */
export interface WorkerInput {
  head?: boolean;
  jobs: Job[];
  tz: string;
  now: number;
  host?: string;
  truncate?: number;
  profile?: boolean;
}

export type WorkerMessage =
  | { kind: 'warn'; message: string }
  | { kind: 'rows'; key: string; rows: Row[] }
  | { kind: 'result'; key: string; result: JobEnd; input: InputSummary; cost?: JobCost }
  /** A spooled job's SelectSpan, posted as well so that the main thread has it before it reads the spool. */
  | { kind: 'select'; key: string; select: SelectSpan }
  | { kind: 'done' };

/**
 * Spreads jobs over `n` workers, heaviest first onto the least loaded. Weights are the jobs' measured costs
 * when given (see sampleCosts), else the searches' lengths.
 */
export function partition(jobs: Job[], n: number, weights?: number[]): Job[][] {
  const parts: Job[][] = Array.from({ length: n }, () => []);
  const load = new Array<number>(n).fill(0);
  const weigh = (j: Job, i: number) => weights?.[i] ?? j.plan.operators.length * 10 + j.expanded.length / 100;
  const order = jobs.map((j, i) => ({ j, i, w: weigh(j, i) })).sort((a, b) => b.w - a.w || a.i - b.i);
  for (const { j, w } of order) {
    let k = 0;
    for (let x = 1; x < n; x++) if (load[x]! < load[k]!) k = x;
    parts[k]!.push(j);
    load[k]! += w;
  }
  return parts.filter((p) => p.length > 0);
}

/**
 * Heap limit of a scan worker to start with. V8 lets a heap grow well past its live data while allocation is
 * fast: without a limit an 8 M-line log once pushed each thread past a gigabyte. A worker that does need more
 * (see docs/performance.md) is run again with four times as much, its part read again from the start. At 128
 * MB a log of a million scanner addresses within the hour ran out and was read twice (20 s, 11 s at 512 MB);
 * the bench's threads hold under 60 MB of heap at every size, with the same peak RSS at either limit.
 */
export const WORKER_HEAP_MB = 512;

/**
 * Runs the jobs on `workers` threads. Results reach `opts.onResult` (or the returned maps) in the jobs' own
 * order, whichever thread finishes first, so the output is the single-threaded run's.
 */
export async function runJobsParallel(files: Array<{ path: string; mtimeMs: number }>, jobs: Job[], opts: RunOptions, workers: number, heapMb = WORKER_HEAP_MB): Promise<RunResult> {
  const n = Math.max(1, Math.min(workers, jobs.length));
  // The threads start now, each with every job: they load their code while this one weighs the jobs on a
  // sample, and are then told which are their share.
  const threads = Array.from({ length: n }, () => new ScanThread(workerInput(jobs, opts), heapMb, opts));
  for (const t of threads) t.start();
  let parts: Job[][];
  try {
    parts = partition(jobs, n, n > 1 ? await sampleCosts(files, jobs, opts) : undefined);
  } catch (e) {
    await Promise.all(threads.map((t) => t.close()));
    throw e;
  }
  for (const t of threads.slice(parts.length)) await t.close();
  const out: RunResult = { rows: new Map(), failures: new Map(), lines: 0, truncatedLines: 0, threads: { count: parts.length } };
  let summary: InputSummary | undefined;
  // Every thread reads the whole input, so the jobs all end near the end. Their results are handed on once
  // the threads have stopped: then turning rows into findings does not add to the threads' heaps.
  const order = new ResultOrder(jobs.map((j) => j.key), opts.onResult ?? collectInto(out), { hold: true, ...(opts.warn ? { warn: opts.warn } : {}) });
  const end: ResultSink = (key, result, input, cost) => { summary = input; order.end(key, result, input, cost); };
  try {
    await Promise.all(parts.map((part, i) => runOnThread(threads[i]!, files, opts, { end, rows: order.rows, restart: () => order.forget(part.map((j) => j.key)) }, part.map((j) => j.key))));
    order.release();
  } finally {
    order.close();
  }
  if (summary) {
    out.lines = summary.lines;
    out.truncatedLines = summary.truncatedLines;
    if (summary.firstEventTime !== undefined) out.firstEventTime = summary.firstEventTime;
    if (summary.lastEventTime !== undefined) out.lastEventTime = summary.lastEventTime;
  }
  return out;
}

/** Lines the jobs are weighed on before they are spread over threads: runs of SAMPLE_RUN lines from SAMPLE_SPOTS places. */
export const SAMPLE_SPOTS = 4;
export const SAMPLE_RUN = 250;
const SAMPLE_SPOT_BYTES = 4 << 20;

/**
 * Each job's estimated cost (engine/job-cost.ts), from a run in this thread over lines taken at even spots
 * through the first file (a log's first lines are often the server starting up), results and warnings thrown
 * away. Weighed by their searches' lengths instead, the 32 built-in detections left one thread of two with
 * 1.4 times the other's work on the bench log.
 */
export async function sampleCosts(files: Array<{ path: string; mtimeMs: number }>, jobs: Job[], opts: RunOptions): Promise<number[] | undefined> {
  const first = files[0];
  if (!first) return undefined;
  const st = statSync(first.path);
  if (!st.isFile()) return undefined; // a pipe read here would be lost to the threads
  const size = st.size;
  const parser = new LineParser({ tz: opts.tz, ...(opts.host !== undefined ? { host: opts.host } : {}), defaultHost: hostname(), source: first.path, fallbackMs: first.mtimeMs });
  const events: Row[] = [];
  for (let spot = 0; spot < SAMPLE_SPOTS; spot++) {
    const start = Math.floor((size * spot) / SAMPLE_SPOTS);
    let skip = start > 0; // the line the spot falls in is only a part
    let taken = 0;
    const splitter = new LineSplitter((line) => {
      if (skip) skip = false;
      else if (taken < SAMPLE_RUN) { taken++; events.push(parser.parse(line)); }
    }, opts.truncate ?? DEFAULT_TRUNCATE);
    const stream = createReadStream(first.path, { start, highWaterMark: 64 * 1024 });
    let bytes = 0;
    for await (const chunk of stream) {
      splitter.push(chunk as Buffer);
      bytes += (chunk as Buffer).length;
      // A file of few, huge lines: stop after SAMPLE_SPOT_BYTES rather than read the whole file here.
      if (taken >= SAMPLE_RUN || bytes >= SAMPLE_SPOT_BYTES) break;
    }
    stream.destroy();
  }
  if (events.length === 0) return undefined;
  return weighJobs(jobs, events, { tz: opts.tz, now: opts.now, warn: () => {} });
}

/** A sink that keeps the results in a RunResult (when the caller gives none): a job's chunks joined. */
export function collectInto(out: RunResult): ResultSink {
  return (key, r) => {
    if ('failure' in r) { out.failures.set(key, r.failure); return; }
    const had = out.rows.get(key);
    if (!had) out.rows.set(key, r.rows);
    else for (const row of r.rows) had.push(row);
  };
}

export function workerInput(jobs: Job[], opts: RunOptions): WorkerInput {
  return { jobs, tz: opts.tz.name, now: opts.now, ...(opts.host !== undefined ? { host: opts.host } : {}), ...(opts.truncate !== undefined ? { truncate: opts.truncate } : {}), ...(opts.profile ? { profile: true } : {}) };
}
