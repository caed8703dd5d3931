// Weighs jobs before they are spread over threads (engine/parallel.ts): a thread's share is only as quick as
// the sum of its jobs, and what a job costs depends on how many events get past each of its stages, which
// only the log can tell. The jobs are run over a sample of the log's first lines, counting the rows each stage
// takes; the counts are priced with per-row costs measured on the bench log. Counting, not timing: a sample
// that small runs before the JIT has warmed up, and its timings would mostly measure compiling.
import type { Operator } from '../plan/plan.js';
import type { SearchExpr } from '../spl/ast.js';
import { GIN_EVENT_SHAPE } from '../parse/line-parser.js';
import { Pipeline } from './pipeline.js';
import { residualForShape, type Residual } from './search-gate.js';
import { compileSearch } from './search-match.js';
import type { Job } from './runner.js';
import type { StageContext } from './stage.js';
import type { Row } from './value.js';

// Nanoseconds per row, fitted (non-negative least squares) to `scan --profile` of the 32 built-in detections
// on the 1 M-line bench log, one thread, against the rows each stage took on the sample (the sixteenth round;
// the fit explains 92 % of the detections' spread, the prices before it 70 %). A gin event costs a search
// little (the dispatch hands it only those its fields can pass, and its terms are answered per distinct
// client, method and path); any other event goes through the search's tests; after the leading search, a
// row costs what the stages it reaches cost. Any error only makes the threads less even.
const PER_GIN_EVENT = 1.3;
/** Each test of a reduced search a gin event still meets: not in the fit (it found none to price), kept small. */
const PER_GIN_TEST = 0.5;
const PER_OTHER_EVENT = 98;
function perRow(op: Operator): number {
  switch (op.kind) {
    case 'rex': return 209;
    case 'where': case 'search': return 45;
    case 'stats': case 'eventstats': case 'streamstats': return 49 * (1 + op.aggs.length);
    case 'sort': case 'transaction': case 'dedup': return 2830;
    default: return 0;
  }
}

/** Terms and field tests in a search (what a search costs per event). */
function tests(e: SearchExpr | boolean | null | undefined): { terms: number; fields: number } {
  if (!e || e === true) return { terms: 0, fields: 0 };
  switch (e.kind) {
    case 'term': return { terms: 1, fields: 0 };
    case 'compare': return { terms: 0, fields: 1 };
    case 'in': return { terms: 0, fields: e.values.length };
    case 'not': return tests(e.item);
    case 'and': case 'or': return e.items.map(tests).reduce((a, b) => ({ terms: a.terms + b.terms, fields: a.fields + b.fields }), { terms: 0, fields: 0 });
  }
}

/**
 * Each job's estimated cost over `events` (relative units: nanoseconds on the machine the prices came from).
 * Building a job's pipeline is most of what weighing costs (the sharing threads wait for it), and most jobs
 * take none of a sample: a job no event of which gets past its leading search is priced without one, at what
 * weighJob would give it.
 */
export function weighJobs(jobs: Job[], events: Row[], ctx: StageContext): number[] {
  const gin = events.filter((e) => e.line_type === 'gin');
  const other = events.filter((e) => e.line_type !== 'gin');
  return jobs.map((job) => {
    const residual = residualForShape(job.plan, GIN_EVENT_SHAPE);
    if (anyPastSearch(job, residual, gin, other)) return weighJob(job, events, ctx);
    return entryCost(residual === false ? 0 : gin.length, other.length, residual);
  });
}

/** What handing a job `ginIn` gin events (through its search reduced to `residual`) and `otherIn` others costs. */
function entryCost(ginIn: number, otherIn: number, residual: Residual): number {
  const reduced = tests(residual);
  return ginIn * (PER_GIN_EVENT + (reduced.terms + reduced.fields) * PER_GIN_TEST) + otherIn * PER_OTHER_EVENT;
}

/**
 * Whether any of these events gets past the job's leading search (its time range aside, which only makes the
 * answer yes more often): the gin events by the search reduced for them, as the pipeline's gin entry tests
 * them, the others by the search itself. Yes when in doubt.
 */
function anyPastSearch(job: Job, residual: Residual, gin: Row[], other: Row[]): boolean {
  const first = job.plan.operators[0];
  if (first?.kind !== 'search') return true;
  try {
    // Gin events first: a search every gin event passes (its residual true) needs no test compiled.
    if (gin.length > 0 && residual !== false && (residual === true || gin.some(compileSearch(residual)))) return true;
    return other.length > 0 && other.some(compileSearch(first.expr));
  } catch {
    return true;
  }
}

/** One job's estimated cost over `events`, from the rows each stage of its pipeline takes. */
export function weighJob(job: Job, events: Row[], ctx: StageContext): number {
  let pipeline: Pipeline;
  try { pipeline = new Pipeline(job.plan, { ctx, countReach: true }); } catch { return 0; }
  const gin = pipeline.entryFor(GIN_EVENT_SHAPE);
  let ginIn = 0, otherIn = 0;
  try {
    for (const e of events) {
      if (e.line_type !== 'gin') { otherIn++; pipeline.push(e); } else if (gin) { ginIn++; gin(e); }
    }
  } catch { /* a job that fails at run time is weighed by what it did */ }
  let cost = entryCost(ginIn, otherIn, pipeline.residualFor(GIN_EVENT_SHAPE));
  pipeline.reach!.forEach((r, i) => { if (i > 0 || r.op.kind !== 'search') cost += r.rows * perRow(r.op); });
  return cost;
}
