// Several cores on one input: the files are cut into byte ranges, a thread reads each and runs every search's
// head over it (split.ts), and this thread runs the rest of each search over the ranges' rows in the input's
// order. Nothing is read or parsed twice, and every thread does a like share of every search. A range's rows
// wait in a file until this thread merges them, which it begins once a scan thread has stopped (runSplit).
//
// A range starts at a gin line: a gin line carries its own time and ends any panic, so a parser that starts
// there reads every line after it as one reading the file from its start would (line-parser.ts). The line is
// also the first of a new bin for every span the searches bin by, so that, in a log written in time order, no
// bin holds events of two ranges. Whether that held is checked for each search (BinsInOrder, split.ts); one for which it
// did not is run again over the whole input, so the results are always one thread's.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TRUNCATE } from '../input/lines.js';
import { LineParser } from '../parse/line-parser.js';
import { explainRuntimeError, SplError } from '../spl/errors.js';
import type { TimeZone } from '../util/timezone.js';
import { binTime } from './ops/bin.js';
import { collectInto, workerInput, WORKER_HEAP_MB, type WorkerInput } from './parallel.js';
import { ResultOrder, rowChunks } from './result-order.js';
import { runOnThread, ScanThread } from './scan-thread.js';
import { readSpool } from './range-spool.js';
import { Pipeline, planCutSort, planSplit } from './pipeline.js';
import { isOutranked, type CutSort, type SelectSpan } from './select-skip.js';
import type { InputSummary, Job, JobCost, JobEnd, ResultSink, RunOptions, RunResult } from './runner.js';
import { BinsInOrder } from './split.js';
import type { StageContext } from './stage.js';
import { trimHeap } from '../util/heap-trim.js';

export interface InputFile { path: string; mtimeMs: number }
/**
 * Bytes [start, end) of a file: whole lines. No `end`: to the file's end when it is read, as one thread
 * reading the file would (a log written to during the scan).
 */
export interface ByteRange extends InputFile { start: number; end?: number }

/** How far past a range's nominal start we look for the line to start it at before giving up the cut. */
export const CUT_SEARCH_BYTES = 64 << 20;
const READ_BYTES = 1 << 20;

interface ParseOptions { tz: TimeZone; host?: string; truncate?: number }

/**
 * The offset of the line to start a range at, looking from `from` in the file: the first gin line after
 * another gin line, whose time falls in a later bin, for every span in `spans`, than any event read since
 * that other one. Undefined when there is none within CUT_SEARCH_BYTES or before the end.
 */
export function findCut(path: string, from: number, spans: readonly number[], opts: ParseOptions): number | undefined {
  const fd = openSync(path, 'r');
  try {
    const size = statSync(path).size;
    const limit = Math.min(size, from + CUT_SEARCH_BYTES);
    const parser = new LineParser({ tz: opts.tz, ...(opts.host !== undefined ? { host: opts.host } : {}), defaultHost: hostname(), source: path, fallbackMs: 0 });
    const truncate = opts.truncate ?? DEFAULT_TRUNCATE;
    const buf = Buffer.alloc(Math.max(READ_BYTES, truncate * 2));
    let base = from; // file offset of buf[0]
    let len = 0;
    let at = 0;
    const refill = (offset: number) => { base = offset; at = 0; len = readSync(fd, buf, 0, buf.length, base); };
    /** Moves past the next newline at or after file offset `offset`; false at the end of the file. */
    const skipLine = (offset: number): boolean => {
      for (refill(offset); len > 0; refill(base + len)) {
        const nl = buf.indexOf(10);
        if (nl >= 0 && nl < len) { refill(base + nl + 1); return true; }
      }
      return false;
    };
    // The line `from` falls in may be a part: start after its end.
    if (!skipLine(from)) return undefined;
    let newest = -Infinity; // time of the newest event since the first gin line; -Infinity before it
    while (base + at < limit) {
      let nl = buf.indexOf(10, at);
      if (nl >= len) nl = -1;
      let whole = true; // the line's end (and newline) are in buf
      if (nl < 0) {
        if (base + len >= size) nl = len; // the last line, without a newline
        else if (len - at <= truncate) { refill(base + at); continue; }
        else { nl = at + truncate; whole = false; } // over the limit: what is read is all that counts
      }
      let end = nl;
      if (end - at > truncate) end = at + truncate;
      else if (whole && end > at && buf[end - 1] === 13) end--;
      const lineStart = base + at;
      parser.parseBytes(buf, at, end);
      const t = parser.eventTime;
      if (parser.eventIsGin) {
        if (newest > -Infinity && spans.every((s) => binTime(t, s, opts.tz) > binTime(newest, s, opts.tz))) return lineStart;
        if (t > newest) newest = t;
      } else if (newest > -Infinity && t > newest) newest = t;
      if (whole) at = nl + 1;
      else if (!skipLine(base + nl)) return undefined;
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * The input cut into (at most) `n` parts of about equal size, each a list of byte ranges in the input's
 * order; undefined when the files cannot be cut (compressed, not regular files) or no cut was found.
 */
export function planRanges(files: readonly InputFile[], n: number, spans: readonly number[], opts: ParseOptions): ByteRange[][] | undefined {
  if (n < 2 || files.length === 0) return undefined;
  const sizes = cuttableSizes(files);
  if (!sizes) return undefined;
  const total = sizes.reduce((a, b) => a + b, 0);
  // Cuts as (file, offset), in order.
  const cuts: Array<[number, number]> = [];
  for (let k = 1; k < n; k++) {
    let nominal = Math.floor((total * k) / n);
    let fi = 0;
    while (fi < files.length - 1 && nominal >= sizes[fi]!) nominal -= sizes[fi++]!;
    const prev = cuts[cuts.length - 1];
    if (prev && (prev[0] > fi || (prev[0] === fi && prev[1] >= nominal))) continue;
    const at = findCut(files[fi]!.path, nominal, spans, opts);
    if (at === undefined) continue;
    if (prev && prev[0] === fi && prev[1] >= at) continue;
    cuts.push([fi, at]);
  }
  if (cuts.length === 0) return undefined;
  const parts: ByteRange[][] = [];
  let from: [number, number] = [0, 0];
  for (const to of [...cuts, [files.length - 1, sizes[files.length - 1]!] as [number, number]]) {
    const part: ByteRange[] = [];
    for (let fi = from[0]; fi <= to[0]; fi++) {
      const start = fi === from[0] ? from[1] : 0;
      const end = fi === to[0] ? to[1] : sizes[fi]!;
      if (end < sizes[fi]!) part.push({ ...files[fi]!, start, end });
      else if (end > start || end === 0) part.push({ ...files[fi]!, start }); // to the end, as it will be
    }
    parts.push(part);
    from = to;
  }
  return parts;
}

/** The files' sizes, or undefined when one cannot be cut (compressed, not a regular file, gone). */
export function cuttableSizes(files: ReadonlyArray<{ path: string }>): number[] | undefined {
  const sizes: number[] = [];
  for (const f of files) {
    if (f.path.endsWith('.gz')) return undefined;
    try {
      const st = statSync(f.path);
      if (!st.isFile()) return undefined;
      sizes.push(st.size);
    } catch { return undefined; }
  }
  return sizes;
}

/** Bytes a range is cut at about, so that what waits for the ranges before it stays small whatever the input's size. */
export const RANGE_BYTES = 32 << 20;

/**
 * Input that can be cut is read by one thread unless it holds at least this much, when the threads are not chosen
 * (scan --workers): each scan thread compiles every search's code for itself, and below about this size a second
 * thread on two cores cost more than it saved (docs/performance-history.md, the eleventh round).
 */
export const SPLIT_MIN_BYTES = 64 << 20;

/**
 * How many ranges to cut `total` bytes into: about `rangeBytes` each, and a multiple of the threads, so that
 * each thread gets as many ranges of like size (3 ranges on 2 threads would leave one thread idle a third of
 * the time).
 */
export function rangeCount(total: number, workers: number, rangeBytes: number): number {
  return Math.max(1, Math.ceil(Math.ceil(total / rangeBytes) / workers)) * workers;
}


/**
 * How far the main thread's heap may grow while it merges ranges before it is collected: at 8 M lines with
 * two workers, util/heap-trim.ts's default let the merge's garbage reach 30 MB while a scan thread was still
 * reading, the scan's peak. Once every scan thread has stopped (its heap gone), the default: collecting every
 * 8 MB was 17 full collections at 8 M lines, 0.35 s of the time after the threads, with no scan heap to make
 * room for.
 */
const MERGE_SLACK_BYTES = 8 << 20;

/** A range a thread is done with: its results, read from its spool file when it is merged (takeSpool). */
interface RangeDone {
  results: Map<string, JobEnd>;
  costs: Map<string, JobCost>;
  summary: InputSummary | undefined;
  warnings: string[];
  /** The file the thread wrote the range's results to (RangeMessage.spool); undefined once read, or when they came by message. */
  spool: string | undefined;
  /** The SelectSpan of each job whose rows a thread preselects for a sort (select-skip.ts), known before the spool is read. */
  selects: Map<string, SelectSpan>;
}

/** Where a range's job ends go, posted by its thread or read from its spool file. */
function endsInto(r: RangeDone): ResultSink {
  return (key, result, summary, cost) => {
    if ('rows' in result && result.select) r.selects.set(key, result.select);
    r.results.set(key, result);
    if (cost) r.costs.set(key, cost);
    r.summary = summary;
  };
}

/** Takes a range's results from its spool file (and removes the file), the rows of the jobs in `unread` left unread. */
function takeSpool(r: RangeDone, unread: ReadonlySet<string>): void {
  if (r.spool === undefined) return;
  const results = readSpool(r.spool, unread);
  rmSync(r.spool, { force: true });
  r.spool = undefined;
  const end = endsInto(r);
  for (const [key, result, summary, cost] of results) end(key, result, summary, cost);
}

/** Where one search stands as the ranges' rows reach it in order. */
interface Merge {
  job: Job;
  pipeline: Pipeline | undefined;
  /** The rest of the search's rows, on their way to the ResultOrder as they come. */
  out: ReturnType<typeof rowChunks>;
  bins: BinsInOrder;
  failure?: string;
  cost: JobCost;
}

/**
 * Runs the jobs with the input cut into ranges (see the top of this file), `workers` threads at a time, each
 * range on the next free thread. Once a thread has stopped, a range's rows go to the rest of each search as
 * soon as the ranges before it have. Undefined when the input cannot be cut; then the caller shares the jobs
 * between threads instead (parallel.ts).
 */
export async function runJobsSplit(files: InputFile[], jobs: Job[], opts: RunOptions, workers: number, heapMb = WORKER_HEAP_MB, rangeBytes = RANGE_BYTES, earlyStartBytes = EARLY_START_BYTES): Promise<RunResult | undefined> {
  const sizes = cuttableSizes(files);
  if (!sizes) return undefined;
  const total = sizes.reduce((a, b) => a + b, 0);
  // The threads start now: loading the code and making every search takes each of them about as long as cutting
  // the input takes this one (docs/performance-history.md). If it cannot be cut, they were started for nothing.
  const base: WorkerInput = { ...workerInput(jobs, opts), head: true };
  const threads = Array.from({ length: Math.max(1, workers) }, () => new ScanThread(base, heapMb, opts));
  if (total >= earlyStartBytes) for (const t of threads) t.start();
  try {
    const spans = new Set<number>();
    for (const j of jobs) {
      const span = planSplit(j.plan).binnedSpan;
      if (span !== undefined) spans.add(span);
    }
    const ranges = planRanges(files, rangeCount(total, workers, rangeBytes), [...spans], opts);
    if (!ranges) return undefined;
    const out: RunResult = { rows: new Map(), failures: new Map(), lines: 0, truncatedLines: 0 };
    const order = new ResultOrder(jobs.map((j) => j.key), opts.onResult ?? collectInto(out), opts.warn ? { warn: opts.warn } : {});
    try {
      const used = threads.slice(0, Math.min(workers, ranges.length));
      out.threads = { count: used.length, ranges: ranges.length };
      return await runSplit(files, jobs, opts, used, heapMb, ranges, order, out);
    } finally {
      order.close();
    }
  } finally {
    await Promise.all(threads.map((t) => t.close()));
  }
}

/**
 * Inputs this large start their threads before they are cut: a smaller one may well not be cut (a log of
 * less than an hour has no cut for an hourly bin), and the threads' start would cost it more than it saves.
 */
export const EARLY_START_BYTES = 16 << 20;

async function runSplit(files: InputFile[], jobs: Job[], opts: RunOptions, threads: ScanThread[], heapMb: number, ranges: ByteRange[][], order: ResultOrder, out: RunResult): Promise<RunResult> {
  const quiet = { tz: opts.tz, now: opts.now, warn: () => {} };
  const merges: Merge[] = jobs.map((job) => ({ job, pipeline: undefined, out: rowChunks((rows) => order.rows(job.key, rows)), bins: new BinsInOrder(), cost: { ms: 0, events: 0 } }));
  // A search whose rest stops (it failed, or it will run again): the rows it gave go.
  const stop = (m: Merge) => { m.pipeline = undefined; order.forget([m.job.key]); };
  const tail = (m: Merge, ctx: StageContext) => new Pipeline(m.job.plan, { ctx, onRow: m.out.push });
  const done = new Map<number, RangeDone>();
  const summaries: InputSummary[] = [];
  const warnings: string[] = [];
  let nextToMerge = 0;
  // The ranges done so far, in order, to every search; a range done early waits for the ones before it.
  // Merging waits until a thread has stopped (its ranges all taken): then its heap is gone before this one's
  // grows, so the main thread's merging and every scan thread's reading are not all large at once (RSS grows
  // with the log otherwise), and its work fills the core that thread leaves. Until then each range's results
  // wait in a file of their own (spool), not in this heap.
  // Without a temporary directory (none can be made) the results come by message, and are merged as they come
  // rather than held in this heap.
  let spoolDir: string | undefined;
  try { spoolDir = mkdtempSync(join(tmpdir(), 'ollama-sentinel-ranges-')); } catch { spoolDir = undefined; }
  let stopped = 0;
  // The sort each search is cut before when the threads preselect its rows, and the rows left unread for it.
  const sorts = new Map<string, CutSort>();
  for (const j of jobs) { const sort = planCutSort(j.plan); if (sort) sorts.set(j.key, sort); }
  let unreadRows = 0;
  /** The searches whose rows of range `k` the ranges after it that are done already outrank (select-skip.ts). */
  const outrankedJobs = (k: number, r: RangeDone): Set<string> => {
    const unread = new Set<string>();
    for (const [key, own] of r.selects) {
      const sort = sorts.get(key);
      if (!sort) continue;
      const later = function* () { for (let j = k + 1; j < ranges.length; j++) { const s = done.get(j)?.selects.get(key); if (s) yield s; } };
      if (isOutranked(own.best, later(), sort)) unread.add(key);
    }
    return unread;
  };
  // One merge at a time, letting messages in between ranges: a thread that has stopped meanwhile is closed
  // (its heap gone, and MERGE_SLACK_BYTES with it) rather than when the whole merge has ended. What it throws
  // is the scan's failure once the threads are done.
  let merging: Promise<void> | undefined;
  let mergeFailure: unknown;
  const mergeReady = (): Promise<void> => (merging ??= mergeAll().catch((e: unknown) => { mergeFailure ??= e; }).finally(() => { merging = undefined; }));
  const mergeAll = async (): Promise<void> => {
    if (stopped === 0 && spoolDir !== undefined) return;
    for (let r = done.get(nextToMerge), first = true; r && mergeFailure === undefined; r = done.get(nextToMerge), first = false) {
      if (!first) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        r = done.get(nextToMerge)!;
      }
      const k = nextToMerge++;
      done.delete(k);
      // The last range's rows are merged: garbage now (see util/heap-trim.ts). Collected sooner than the
      // results' garbage later while a scan thread may still be reading (MERGE_SLACK_BYTES).
      trimHeap(stopped < threads.length ? MERGE_SLACK_BYTES : undefined);
      const unread = outrankedJobs(k, r);
      takeSpool(r, unread);
      if (r.summary) summaries.push(r.summary);
      warnings.push(...r.warnings);
      for (const m of merges) {
        const answer = r.results.get(m.job.key);
        const cost = r.costs.get(m.job.key);
        if (cost) { m.cost.ms += cost.ms; m.cost.events += cost.events; }
        if (m.failure !== undefined || !m.bins.ok || !answer) continue;
        if ('failure' in answer) { m.failure = answer.failure; stop(m); continue; }
        if (!m.bins.add(answer.bins)) { stop(m); continue; }
        const t0 = performance.now();
        try {
          m.pipeline ??= tail(m, { tz: opts.tz, now: opts.now, warn: (w) => warnings.push(`${m.job.key}: ${w}`) });
          if (unread.has(m.job.key)) unreadRows += r.selects.get(m.job.key)!.count;
          else m.pipeline.pushAtCut(answer.rows);
          // The later ranges' bins all start after this range's last (BinsInOrder, checked above).
          if (answer.bins && answer.bins.max >= answer.bins.min) m.pipeline.advanceAtCut(answer.bins.max);
        } catch (e) {
          m.failure = runtimeFailure(e, m.job);
          stop(m);
        }
        m.cost.ms += performance.now() - t0;
      }
    }
  };
  let next = 0;
  const thread = async (t: ScanThread): Promise<void> => {
    const start = (k: number) => {
      const r: RangeDone = { results: new Map(), costs: new Map(), summary: undefined, warnings: [], spool: spoolDir !== undefined ? join(spoolDir, `${k}.v8`) : undefined, selects: new Map() };
      // Without a spool file the thread posts each job's end here.
      const running = t.run(ranges[k]!, { end: endsInto(r), select: (key, span) => r.selects.set(key, span), restart: () => r.selects.clear() }, r.warnings, r.spool);
      running.catch(() => {}); // awaited below; this only keeps a failure from counting as unhandled meanwhile
      return { k, r, running };
    };
    try {
      // The thread is given its next range as soon as it is done with one, and only then are that one's rows
      // merged here (once merging has begun): merging takes the main thread a while, and the scan thread would
      // wait for it.
      let cur = next < ranges.length ? start(next++) : undefined;
      while (cur) {
        await cur.running;
        const finished = cur;
        cur = next < ranges.length ? start(next++) : undefined;
        done.set(finished.k, finished.r);
        // A thread with no range left stops before its last one is merged: its heap goes first.
        if (cur) void mergeReady();
      }
    } finally {
      await t.close();
      stopped++;
    }
    await mergeReady();
  };
  try {
    await Promise.all(threads.map(thread));
    // A range done while the last merge was ending waits for none: merged here.
    await merging;
    while (done.has(nextToMerge) && mergeFailure === undefined) await mergeReady();
    if (mergeFailure !== undefined) throw mergeFailure;
  } finally {
    if (spoolDir !== undefined) rmSync(spoolDir, { recursive: true, force: true });
  }
  if (unreadRows > 0 && out.threads) out.threads.unread = unreadRows;
  const summary = joinSummaries(summaries);
  out.lines = summary.lines;
  out.truncatedLines = summary.truncatedLines;
  if (summary.firstEventTime !== undefined) out.firstEventTime = summary.firstEventTime;
  if (summary.lastEventTime !== undefined) out.lastEventTime = summary.lastEventTime;
  const again: Job[] = [];
  for (const m of merges) {
    const cost = opts.profile ? m.cost : undefined;
    if (m.failure !== undefined) { order.end(m.job.key, { failure: m.failure }, summary, cost); continue; }
    if (!m.bins.ok) { again.push(m.job); continue; }
    const t0 = performance.now();
    let result: JobEnd;
    try {
      const p = m.pipeline ?? tail(m, quiet);
      result = { rows: p.end() };
      m.out.flush();
    } catch (e) {
      result = { failure: runtimeFailure(e, m.job) };
    }
    m.pipeline = undefined;
    m.cost.ms += performance.now() - t0;
    order.end(m.job.key, result, summary, cost);
  }
  // A search run again reports its own warnings; the threads' would be about a split it does not use.
  const redone = new Set(again.map((j) => j.key));
  const seen = new Set<string>();
  for (const m of warnings) {
    const key = jobs.find((j) => m.startsWith(`${j.key}: `))?.key;
    if ((key !== undefined && redone.has(key)) || seen.has(m)) continue;
    seen.add(m);
    opts.warn?.(m);
  }
  if (again.length > 0) {
    opts.warn?.(`${again.length} detection${again.length === 1 ? '' : 's'} ran again over the whole input in one thread: events of one time bin were in two threads' parts of it (is the log out of order?): ${again.map((j) => j.key).join(', ')}`);
    await runOnThread(new ScanThread(workerInput(again, opts), heapMb, opts), files.map((f) => ({ path: f.path, mtimeMs: f.mtimeMs })), opts, { end: order.end, rows: order.rows, restart: () => order.forget(again.map((j) => j.key)) });
  }
  return out;
}

function runtimeFailure(e: unknown, job: Job): string {
  return e instanceof SplError ? explainRuntimeError(e, job.expanded) : (e as Error).message;
}

function joinSummaries(parts: readonly InputSummary[]): InputSummary {
  const s: InputSummary = { lines: 0, truncatedLines: 0 };
  for (const p of parts) {
    if (!p) continue;
    s.lines += p.lines;
    s.truncatedLines += p.truncatedLines;
    if (p.firstEventTime !== undefined && (s.firstEventTime === undefined || p.firstEventTime < s.firstEventTime)) s.firstEventTime = p.firstEventTime;
    if (p.lastEventTime !== undefined && (s.lastEventTime === undefined || p.lastEventTime > s.lastEventTime)) s.lastEventTime = p.lastEventTime;
  }
  return s;
}
