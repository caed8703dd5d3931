// Runs several searches over the same input in one pass: each line is read and parsed once, and the event
// goes to every search's pipeline. A search that fails at run time is stopped and reported; the others go on.
import { hostname } from 'node:os';
import { readLineBytes, DEFAULT_TRUNCATE } from '../input/lines.js';
import type { LogSource } from '../input/sources.js';
import { GIN_EVENT_SHAPE, LineParser, OTHER_EVENT_SHAPES, PLAIN_GIN_SHAPE, PREFIXED_PLAIN_GIN_SHAPE } from '../parse/line-parser.js';
import type { LogicalPlan } from '../plan/plan.js';
import { explainRuntimeError, SplError } from '../spl/errors.js';
import type { TimeZone } from '../util/timezone.js';
import { Pipeline } from './pipeline.js';
import type { Row } from './value.js';
import type { BinSeen } from './split.js';
import { selectSpan, type SelectSpan } from './select-skip.js';
import { ResultOrder, rowChunks } from './result-order.js';
import { reusingCode } from './generated-code.js';
import { sharingAnswers } from './eval-compiler.js';
import { FieldDispatch } from './field-dispatch.js';
import { OtherDispatch } from './other-dispatch.js';
import { BareGinColumns } from './span-rex.js';
import { handoffFor, type BatchView, type Handoff } from './batch-handoff.js';

export interface Job { key: string; plan: LogicalPlan; expanded: string }

export interface RunOptions {
  tz: TimeZone;
  now: number;
  host?: string;
  truncate?: number;
  /** Called for warnings that do not stop the run. */
  warn?: (message: string) => void;
  /**
   * Takes each job's rows (or its failure) as soon as the job ends, in the jobs' order, instead of the
   * result's `rows` and `failures` holding them all: the caller can write them out and let them go.
   */
  onResult?: ResultSink;
  /**
   * With onResult, for a caller that puts the results in order itself (a scan thread's, see
   * result-order.ts): each job's rows as they become final, a chunk at a time, in no order between jobs;
   * onResult then gives each job's end, with no rows left (or its failure, which voids them).
   */
  onRows?: (key: string, rows: Row[]) => void;
  /** Time each job's work (the cost reaches onResult): for `scan --profile`. */
  profile?: boolean;
  /**
   * Run each job only up to its cut (engine/split.ts) and give the rows kept there, with the bins its stats
   * saw: this thread reads one range of a split input (range-split.ts).
   */
  head?: boolean;
  /**
   * With `head`: the searches' pipelines are kept here after the run and reset, for the next run over the
   * same jobs (a scan thread's next byte range; see Pipeline.reset). Dropped when a search fails.
   */
  keep?: KeptSearches;
}

/** A scan thread's searches, kept from one byte range to the next (RunOptions.keep). */
export interface KeptSearches { jobs?: readonly Job[]; active?: Active[]; dispatch?: FieldDispatch; otherDispatch?: OtherDispatch; bare?: BareGinColumns }

/** A search being run: its pipeline (until it ends or fails) and how events enter it. */
interface Active {
  job: Job;
  pipeline: Pipeline | undefined;
  failed: boolean;
  /** Its bit in the FieldDispatch, or 0 when it takes every gin event. */
  bit: number;
  /**
   * How it takes a batch (batch-handoff.ts, generated for it): gin events through its entries for gin events,
   * plain gin lines (PLAIN_GIN_SHAPE: terms looked for in fields; a bare one's batch position marked in
   * BareGinColumns for span-rex.ts) and those the dispatch is sure pass its leading search (FieldDispatch.sure);
   * other events only when one of OTHER_EVENT_SHAPES can pass it, and with an OtherDispatch bit only those the
   * bit wants.
   */
  handoff: Handoff;
  cost: JobCost;
  out: ReturnType<typeof rowChunks> | undefined;
}

/** What one job cost: milliseconds spent in its pipeline, and the events it was handed. */
export interface JobCost { ms: number; events: number }

/** What the input held: known before any job's result, since searches end when the input does. */
export interface InputSummary {
  lines: number;
  truncatedLines: number;
  firstEventTime?: number;
  lastEventTime?: number;
}

/** How a job ends: its (last) rows, with the bins its stats saw when it ran to its cut; or its failure. */
export type JobEnd = { rows: Row[]; bins?: BinSeen; select?: SelectSpan } | { failure: string };

/**
 * Takes results: a job's rows may come in several calls, in their order, the last its end (a failure comes
 * alone). Runners hand them on in the jobs' order.
 */
export type ResultSink = (key: string, result: JobEnd, input: InputSummary, cost?: JobCost) => void;

export interface RunResult {
  rows: Map<string, Row[]>;
  failures: Map<string, string>;
  lines: number;
  truncatedLines: number;
  /** Epoch seconds of the newest event read (undefined when there were none). */
  lastEventTime?: number;
  firstEventTime?: number;
  /**
   * The scan threads that read the input, and how many byte ranges of it they took turns on (range-split.ts;
   * without `ranges`, each read all of it for a share of the jobs: parallel.ts). Undefined when it was read
   * in the calling thread. `unread`: the rows of ranges left unread since a later range's outranked them
   * (select-skip.ts).
   */
  threads?: { count: number; ranges?: number; unread?: number };
}

/**
 * Events parsed before the searches run over them (see runJobs). A batch is alive while every search takes
 * it, so each young-generation collection in that time copies it: 256 events made a one-thread scan of the
 * 1 M-line bench log 0.91x the wall time of 1024 (five alternated pairs; no change with two threads).
 */
const BATCH = 256;

const NO_POSITIONS = new Int32Array(0);

/**
 * Runs the jobs over the sources. With onResult, each job's rows leave as they become final (a stats emits
 * a bin's groups once the bin closes) and wait their turn in a spool, not in the heap (result-order.ts).
 */
export async function runJobs(sources: LogSource[], jobs: Job[], opts: RunOptions): Promise<RunResult> {
  if (!opts.onResult || opts.onRows || opts.head) return runJobsOnce(sources, jobs, opts);
  const order = new ResultOrder(jobs.map((j) => j.key), opts.onResult, opts.warn ? { warn: opts.warn } : {});
  try {
    return await runJobsOnce(sources, jobs, { ...opts, onRows: order.rows, onResult: order.end });
  } finally {
    order.close();
  }
}

/** Every job's pipeline, how gin events enter it, and the dispatch over them (made once per thread with `keep`). */
function makeSearches(jobs: readonly Job[], opts: RunOptions): { active: Active[]; dispatch: FieldDispatch; otherDispatch: OtherDispatch; bare: BareGinColumns } {
  const warn = opts.warn ?? (() => {});
  const onRows = opts.head ? undefined : opts.onRows;
  const dispatch = new FieldDispatch();
  const otherDispatch = new OtherDispatch(OTHER_EVENT_SHAPES.length);
  const bare = new BareGinColumns(BATCH);
  // Without `keep`, a scan thread compiles every search again for each byte range: the generated code of the
  // last range is reused. The searches' memos of one expression share their answers (compileExpr).
  const active = reusingCode(() => sharingAnswers(() => {
    const made = jobs.map((job): Active => {
      const out = onRows ? rowChunks((rows) => onRows(job.key, rows)) : undefined;
      const pipeline = new Pipeline(job.plan, { ctx: { tz: opts.tz, now: opts.now, warn: (m) => warn(`${job.key}: ${m}`) }, ...(opts.head ? { head: true } : {}), ...(out ? { onRow: out.push } : {}), bareGin: bare });
      const gin = pipeline.entryFor(GIN_EVENT_SHAPE);
      const plain = gin && pipeline.entryFor(PLAIN_GIN_SHAPE, true);
      const bit = gin ? dispatch.add(pipeline.dispatchCondition(GIN_EVENT_SHAPE), pipeline.dispatchCondition(PLAIN_GIN_SHAPE), pipeline.dispatchCondition(PREFIXED_PLAIN_GIN_SHAPE)) : 0;
      const residuals = OTHER_EVENT_SHAPES.map((shape) => pipeline.residualFor(shape));
      const other = residuals.some((r) => r !== false);
      const otherBit = other ? otherDispatch.add(residuals) : 0;
      const past = bit !== 0 ? pipeline.entryPastSearch(GIN_EVENT_SHAPE) : undefined;
      const plainPast = bit !== 0 ? pipeline.entryPastSearch(PLAIN_GIN_SHAPE, true) : undefined;
      // Gin events skip the entries into a stats kept in columns only where every such event passes the search:
      // plain gin lines when every plain one does, the others when every gin event does and no rex needs a bare line.
      const cols = pipeline.columns;
      const columns = plain && cols && pipeline.residualFor(PLAIN_GIN_SHAPE) === true ? cols.take : undefined;
      const ginColumns = columns && !cols!.needsBare && pipeline.residualFor(GIN_EVENT_SHAPE) === true ? columns : undefined;
      const handoff = handoffFor({ gin, plain, past, plainPast, push: (ev) => pipeline.push(ev), bit, other, otherBit, columns, ginColumns });
      return { job, pipeline, failed: false, bit, handoff, cost: { ms: 0, events: 0 }, out };
    });
    dispatch.seal(); // its code made here is reused as the searches' is
    return made;
  }));
  return { active, dispatch, otherDispatch, bare };
}

/** Each other line_type's index in OTHER_EVENT_SHAPES (the OtherDispatch's kinds). */
const OTHER_KIND = new Map<unknown, number>(OTHER_EVENT_SHAPES.map((shape, k) => [shape.constants.line_type, k]));

/** The searches an event of another line_type can interest (every search, for one of no known kind). */
function otherWantsOf(d: OtherDispatch, ev: Row): number {
  const kind = OTHER_KIND.get(ev.line_type);
  return kind === undefined || typeof ev._raw !== 'string' ? -1 : d.maskOf(ev._raw, kind);
}

/**
 * Makes the searches' pipelines into `opts.keep` before any input (`opts.head` with `keep`): a scan thread
 * does this while the main thread is still cutting the input into ranges, so that its first range starts
 * at once. The next runJobs with these jobs and options takes them.
 */
export function prepareSearches(jobs: readonly Job[], opts: RunOptions): void {
  if (!opts.head || !opts.keep) return;
  Object.assign(opts.keep, { jobs, ...makeSearches(jobs, opts) });
}

async function runJobsOnce(sources: LogSource[], jobs: Job[], opts: RunOptions): Promise<RunResult> {
  const failures = new Map<string, string>();
  const keep = opts.head ? opts.keep : undefined;
  let dispatch: FieldDispatch;
  let otherDispatch: OtherDispatch;
  let active: Active[];
  let bare: BareGinColumns;
  if (keep?.active && keep.dispatch && keep.otherDispatch && keep.bare && keep.jobs === jobs) {
    active = keep.active;
    dispatch = keep.dispatch;
    otherDispatch = keep.otherDispatch;
    bare = keep.bare;
    for (const a of active) a.cost = { ms: 0, events: 0 };
    // Taken until this run ends well: a run that throws (a read error) leaves its stages half full.
    keep.active = undefined;
  } else ({ active, dispatch, otherDispatch, bare } = makeSearches(jobs, opts));
  const bareAt = bare.bare, clientAt = bare.client, pathAt = bare.path;
  const profile = opts.profile === true;
  const result: RunResult = { rows: new Map(), failures, lines: 0, truncatedLines: 0 };
  const defaultHost = hostname();
  let first: number | undefined;
  let last: number | undefined;
  const fail = (a: Active, e: unknown) => {
    a.failed = true;
    failures.set(a.job.key, e instanceof SplError ? explainRuntimeError(e, a.job.expanded) : (e as Error).message);
  };
  // Events go to the searches a batch at a time, each search taking the whole batch before the next: one
  // search's code and state stay in the CPU's caches, instead of all of them taking turns on every event.
  // Searches that cannot match a gin line take only the batch's other events; the others take gin events
  // through an entry that skips the tests every gin line passes (see search-gate.ts), and plain gin lines
  // through one that looks for terms in their fields (PLAIN_GIN_SHAPE): batch-handoff.ts, generated per search.
  let batch: Row[] = [];
  let notGin: Row[] = [];
  /** Per event of the batch: 0 not gin, 1 gin, 2 a plain gin line. */
  const isGin = new Uint8Array(BATCH);
  // For each gin event, the searches its fields can interest (FieldDispatch): a search with a bit takes only those.
  const wants = new Int32Array(BATCH);
  /** Of those, the searches whose leading search it passes for certain (FieldDispatch.sure). */
  const sure = new Int32Array(BATCH);
  // Per dispatch bit, the batch positions of the gin events that want it, in order (made as a batch is
  // flushed): a search with a bit walks its own few events instead of testing every event's mask.
  const wanting = Array.from({ length: 32 }, () => new Int32Array(BATCH));
  const wantingLength = new Int32Array(32);
  /** The batch positions of `notGin`'s events, to merge them in order with a search's gin events. */
  const notGinAt = new Int32Array(BATCH);
  /** For each of `notGin`'s events, the searches it can interest (OtherDispatch): a search with a bit takes only those. */
  const otherWants = new Int32Array(BATCH);
  const view: BatchView = { batch, isGin, sure, notGin, notGinAt, otherWants, bare };
  const flush = () => {
    wantingLength.fill(0);
    for (let i = 0; i < batch.length; i++) {
      if (isGin[i] === 0) continue;
      for (let w = wants[i]!; w !== 0; w &= w - 1) {
        const b = 31 - Math.clz32(w & -w);
        wanting[b]![wantingLength[b]!++] = i;
      }
    }
    view.batch = batch;
    view.notGin = notGin;
    for (const a of active) {
      if (a.failed || !a.pipeline) continue;
      const t0 = profile ? performance.now() : 0;
      let handed = 0;
      try {
        const b = 31 - Math.clz32(a.bit);
        handed = a.bit !== 0 ? a.handoff(view, wanting[b]!, wantingLength[b]!) : a.handoff(view, NO_POSITIONS, 0);
      } catch (e) { fail(a, e); }
      if (profile) { a.cost.ms += performance.now() - t0; a.cost.events += handed; }
    }
    batch = [];
    notGin = [];
    isGin.fill(0);
  };
  for (const src of sources) {
    const parser = new LineParser({ tz: opts.tz, ...(opts.host !== undefined ? { host: opts.host } : {}), defaultHost, source: src.name, fallbackMs: src.mtimeMs });
    await readLineBytes(src.open(), (buf, s, e, _n, truncated) => {
      result.lines++;
      if (truncated) result.truncatedLines++;
      const ev = parser.parseBytes(buf, s, e);
      const t = parser.eventTime;
      if (first === undefined || t < first) first = t;
      if (last === undefined || t > last) last = t;
      if (parser.eventIsGin) {
        const at = batch.length;
        // The client's cache slot for every gin event (-1 without one): the columns find groups by it.
        clientAt[at] = parser.ginClientSlot;
        if (parser.plainGin) {
          isGin[at] = 2;
          if (parser.bareGin) { bareAt[at] = 1; pathAt[at] = parser.ginPathSlot; } else bareAt[at] = 0;
        } else { isGin[at] = 1; bareAt[at] = 0; }
        if (dispatch.size > 0) {
          wants[batch.length] = dispatch.maskOf(ev, parser.plainGin, parser.ginPrefix, parser.ginClientSlot, parser.ginUriPathSlot, parser.ginPathSlot);
          sure[batch.length] = dispatch.sure;
        } else wants[batch.length] = 0;
      }
      else {
        notGinAt[notGin.length] = batch.length;
        otherWants[notGin.length] = otherDispatch.size > 0 ? otherWantsOf(otherDispatch, ev) : 0;
        notGin.push(ev);
      }
      batch.push(ev);
      if (batch.length === BATCH) flush();
    }, opts.truncate ?? DEFAULT_TRUNCATE);
    flush();
  }
  if (first !== undefined) result.firstEventTime = first;
  if (last !== undefined) result.lastEventTime = last;
  const summary: InputSummary = { lines: result.lines, truncatedLines: result.truncatedLines, firstEventTime: first, lastEventTime: last };
  for (const a of active) {
    const key = a.job.key;
    let rows: Row[] = [];
    let bins: BinSeen | undefined;
    let select: SelectSpan | undefined;
    if (!a.failed && a.pipeline) {
      const t0 = profile ? performance.now() : 0;
      try {
        rows = a.pipeline.end();
        bins = a.pipeline.binsSeen;
        const sort = a.pipeline.cutSort;
        if (sort) select = selectSpan(rows, sort.keys);
        a.out?.flush();
      } catch (e) { fail(a, e); }
      if (profile) a.cost.ms += performance.now() - t0;
    }
    // Its state (groups, buffers) goes now, not after the last job: emptied when kept for the next range.
    if (keep && !a.failed) a.pipeline!.reset();
    else a.pipeline = undefined;
    const failure = failures.get(key);
    if (opts.onResult) {
      failures.delete(key);
      opts.onResult(key, failure !== undefined ? { failure } : { rows, ...(bins ? { bins } : {}), ...(select ? { select } : {}) }, summary, profile ? a.cost : undefined);
    } else if (failure === undefined) result.rows.set(key, rows);
  }
  // Kept when every search ran well: one that failed is made again for the next range, and so (for their bits
  // in the dispatch) are the others.
  if (keep && active.every((a) => !a.failed)) Object.assign(keep, { jobs, active, dispatch, otherDispatch, bare });
  return result;
}
