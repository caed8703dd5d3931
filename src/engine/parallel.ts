// The same jobs on several cores: worker threads each run a share of the searches over the whole input, so
// every search sees every event in order, exactly as in one thread, and the results are the same. Each
// worker reads and parses the input itself (parsing is the cheap part; the searches are not), and only the
// result rows cross between threads. Files only: stdin and journald can be read once. Workers run with a heap
// limit, which keeps each thread's heap near its live data.
import { Worker } from 'node:worker_threads';
import type { InputSummary, Job, JobCost, ResultSink, RunOptions, RunResult } from './runner.js';
import type { Row } from './value.js';

export interface WorkerInput {
  files: Array<{ path: string; mtimeMs: number }>;
  jobs: Job[];
  tz: string;
  now: number;
  host?: string;
  truncate?: number;
  profile?: boolean;
}

export type WorkerMessage =
  | { kind: 'warn'; message: string }
  | { kind: 'result'; key: string; result: { rows: Row[] } | { failure: string }; input: InputSummary; cost?: JobCost }
  | { kind: 'done' };

/** Spreads jobs over `n` workers, heaviest first onto the least loaded (weights: the searches' lengths). */
export function partition(jobs: Job[], n: number): Job[][] {
  const parts: Job[][] = Array.from({ length: n }, () => []);
  const load = new Array<number>(n).fill(0);
  const order = jobs.map((j, i) => ({ j, i, w: j.plan.operators.length * 10 + j.expanded.length / 100 })).sort((a, b) => b.w - a.w || a.i - b.i);
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
 * fast: without a limit an 8 M-line log pushed each thread past a gigabyte. A worker that does need more (see
 * docs/performance.md) is run again with four times as much.
 */
export const WORKER_HEAP_MB = 128;
const MAX_HEAP_MB = 8192;

/**
 * Runs the jobs on `workers` threads. Results reach `opts.onResult` (or the returned maps) in the jobs' own
 * order, whichever thread finishes first, so the output is the single-threaded run's.
 */
export async function runJobsParallel(files: Array<{ path: string; mtimeMs: number }>, jobs: Job[], opts: RunOptions, workers: number, heapMb = WORKER_HEAP_MB): Promise<RunResult> {
  const parts = partition(jobs, Math.max(1, Math.min(workers, jobs.length)));
  const out: RunResult = { rows: new Map(), failures: new Map(), lines: 0, truncatedLines: 0 };
  const sink: ResultSink = opts.onResult ?? ((key, r) => {
    if ('rows' in r) out.rows.set(key, r.rows); else out.failures.set(key, r.failure);
  });
  let summary: InputSummary | undefined;
  const ordered = orderedSink(jobs.map((j) => j.key), sink);
  const take: ResultSink = (key, result, input, cost) => { summary = input; ordered(key, result, input, cost); };
  await Promise.all(parts.map((part) => runPart(files, part, opts, heapMb, take)));
  if (summary) {
    out.lines = summary.lines;
    out.truncatedLines = summary.truncatedLines;
    if (summary.firstEventTime !== undefined) out.firstEventTime = summary.firstEventTime;
    if (summary.lastEventTime !== undefined) out.lastEventTime = summary.lastEventTime;
  }
  return out;
}

/**
 * A sink that passes results on in `order`, holding any that come early, and ignores a key's second result
 * (a thread run again with more heap repeats the results it had already sent; the first copy counts).
 */
export function orderedSink(order: string[], sink: ResultSink): ResultSink {
  let next = 0;
  const early = new Map<string, Parameters<ResultSink>>();
  const seen = new Set<string>();
  return (key, result, input, cost) => {
    if (seen.has(key)) return;
    seen.add(key);
    early.set(key, [key, result, input, cost]);
    for (let r = early.get(order[next]!); r; r = early.get(order[next]!)) {
      early.delete(order[next++]!);
      sink(...r);
    }
  };
}

async function runPart(files: WorkerInput['files'], part: Job[], opts: RunOptions, heapMb: number, take: ResultSink): Promise<void> {
  // Warnings are held until the worker finishes, so a worker run again does not repeat them.
  const warnings: string[] = [];
  try {
    await new Promise<void>((ok, fail) => {
      const input: WorkerInput = { files, jobs: part, tz: opts.tz.name, now: opts.now, ...(opts.host !== undefined ? { host: opts.host } : {}), ...(opts.truncate !== undefined ? { truncate: opts.truncate } : {}), ...(opts.profile ? { profile: true } : {}) };
      const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: input, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
      w.on('message', (m: WorkerMessage) => {
        if (m.kind === 'warn') warnings.push(m.message);
        else if (m.kind === 'result') {
          try { take(m.key, m.result, m.input, m.cost); } catch (e) { fail(e); void w.terminate(); }
        } else ok();
      });
      w.on('error', fail);
      w.on('exit', (code) => { if (code !== 0) fail(new Error(`a scan worker stopped with exit code ${code}`)); });
    });
    for (const m of warnings) opts.warn?.(m);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_WORKER_OUT_OF_MEMORY' || heapMb >= MAX_HEAP_MB) throw e;
    opts.warn?.(`a scan thread needed more than ${heapMb} MB for its detections; running them again with ${heapMb * 4} MB`);
    return runPart(files, part, opts, heapMb * 4, take);
  }
}
