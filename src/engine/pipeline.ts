// Links the stages of a logical plan (each made by stage-builder.ts) and runs events through them. The stream
// facts (shared rows, oldest-first order, binned time) are tracked while linking, so each stage copies or
// buffers only when needed.
import type { LogicalPlan, Operator } from '../plan/plan.js';
import { memoField } from './eval-compiler.js';
import { compileSearch } from './search-match.js';
import { hasSpanTerm, type RawSpans } from './span-terms.js';
import { rowCopier, scratchCopier, type Stage, type StageContext, type StreamFacts } from './stage.js';
import { ALL, neededFields } from '../plan/needed-fields.js';
import { withoutDeadRex } from './prune.js';
import { withEvalsFused } from './fuse.js';
import { withWhereEarly } from './where-early.js';
import { binBefore, binFusesIntoStats } from './bin-into-stats.js';
import { buildStage, whereTest } from './stage-builder.js';
import { whereForShape } from './where-gate.js';
import { fieldAlternatives, residualForShape, type EventShape, type Residual } from './search-gate.js';
import type { DispatchCondition, DispatchRule } from './field-dispatch.js';
import type { Row } from './value.js';
import { FilterStage } from './ops/filter.js';
import { PlainRexEntry, RexStage } from './ops/rex.js';
import type { BareGinColumns } from './span-rex.js';
import { SortStage } from './ops/order.js';
import { StatsStage } from './ops/stats.js';
import { StatsColumns } from './ops/stats-columns.js';
import { columnsFit, columnsShape } from './ops/stats-columns-shape.js';
import type { Expr, SearchExpr } from '../spl/ast.js';
import { generated } from './generated-code.js';
import { BinWatch, Capture, splitPoint, type BinSeen, type SplitPoint } from './split.js';
import { cutSort, type CutSort } from './select-skip.js';

/** Collects the final rows; if they are still oldest first, turns them into Splunk's newest-first order. */
class Collector implements Stage {
  rows: Row[] = [];
  constructor(private readonly reversed: boolean, private readonly onRow?: (row: Row) => void) {}
  push(row: Row): void {
    if (this.onRow && !this.reversed) this.onRow(row);
    else this.rows.push(row);
  }
  end(): void {
    if (this.reversed) this.rows.reverse();
    if (this.onRow && this.reversed) { for (const r of this.rows) this.onRow(r); this.rows = []; }
  }
}

export interface PipelineOptions {
  ctx: StageContext;
  /** Called for each result row as soon as it is final; otherwise rows are kept in `results`. */
  onRow?: (row: Row) => void;
  /** Count the rows each stage takes (see `reach`): to weigh jobs before spreading them over threads. */
  countReach?: boolean;
  /**
   * Build only the part a thread runs over one range of a split input (split.ts): the rows reaching the cut
   * are kept (`end()` returns them) instead of going on.
   */
  head?: boolean;
  /**
   * The runner's word on which plain gin lines are bare (span-rex.ts): given, a `rex` on _raw right after the
   * leading search answers such lines from their spans, through the entries asked for with `bare`.
   */
  bareGin?: BareGinColumns;
}

/** Counts the rows a stage takes. */
class Counting implements Stage {
  constructor(private readonly counts: number[], private readonly at: number, private readonly inner: Stage) {}
  push(row: Row): void { this.counts[this.at]!++; this.inner.push(row); }
  end(): void { this.inner.end(); }
  advance(t: number): void { this.inner.advance?.(t); }
}

/**
 * The operators a pipeline runs (dead rex dropped, wheres moved ahead, evals fused), the facts of the stream
 * each takes (`facts[i]`) and of what the last passes on (`f`).
 */
function runOperators(plan: LogicalPlan): { operators: Operator[]; facts: StreamFacts[]; f: StreamFacts } {
  const operators = withEvalsFused(withWhereEarly(withoutDeadRex(plan.operators)));
  const facts: StreamFacts[] = [];
  let f: StreamFacts = { shared: true, reversed: true };
  for (const op of operators) {
    facts.push(f);
    f = nextFacts(op, f);
  }
  return { operators, facts, f };
}

/** Where a pipeline of this plan would be cut (Pipeline.split), without making its stages. */
export function planSplit(plan: LogicalPlan): SplitPoint {
  const { operators, facts } = runOperators(plan);
  return splitPoint(operators, facts);
}

/** The sort a pipeline of this plan is cut before when the threads preselect its rows (Pipeline.cutSort). */
export function planCutSort(plan: LogicalPlan): CutSort | undefined {
  const { operators, facts } = runOperators(plan);
  const split = splitPoint(operators, facts);
  return cutSort(operators[split.at], split.preselect);
}

export class Pipeline {
  private readonly head: Stage;
  /** The stage after a leading search (undefined without one): where events enter that skip or reduce it. */
  private readonly afterSearch: Stage | undefined;
  /** For bare plain gin lines, when that stage is a rex that answers them from their spans: its entry for them. */
  private readonly bareAfterSearch: Stage | undefined;
  private readonly leading: LogicalPlan;
  /** The expression of a `where` right after the leading search. */
  private readonly leadingWhere: Expr | undefined;
  private readonly ctx: StageContext;
  /** With countReach: each operator (dead rex removed) and the rows it has taken so far. */
  readonly reach: Array<{ op: Operator; rows: number }> | undefined;
  private readonly collector: Collector | Capture;
  /** The stage that takes operator i's input, by i; the last is the collector. */
  private readonly entries: Stage[];
  /** Every stage made, each once (a stage wrapped by another is not an entry): what reset() empties. */
  private readonly stages: Stage[];
  /** Where the search is cut when the input is split between threads. */
  readonly split: SplitPoint;
  /** With `head`: the sort at the cut, when this head preselects rows for it (select-skip.ts). */
  readonly cutSort: CutSort | undefined;
  private readonly watch: BinWatch | undefined;
  /**
   * The stats after a leading search (a where on the client or a span-answered rex, eval copies) and a bin,
   * when it can keep bare gin lines' groups in columns (stats-columns.ts): its `take` is for lines the leading
   * search is sure to pass.
   */
  readonly columns: StatsColumns | undefined;
  private readonly earliest: number;
  private readonly latest: number;
  private ended = false;
  private readonly isHead: boolean;

  constructor(plan: LogicalPlan, opts: PipelineOptions) {
    this.isHead = opts.head === true;
    this.earliest = plan.earliest ?? -Infinity;
    this.latest = plan.latest ?? Infinity;
    // Facts flow forward, stages are linked backward: compute facts first.
    const { operators, facts, f } = runOperators(plan);
    this.split = splitPoint(operators, facts);
    this.cutSort = opts.head ? cutSort(operators[this.split.at], this.split.preselect) : undefined;
    const last = opts.head ? this.split.at + (this.split.preselect ? 1 : 0) : operators.length;
    const needed = neededFields(operators);
    // Rows after a stats are its own; any earlier may be shared or a scratch row: the fields the rest reads are copied.
    this.collector = opts.head ? new Capture(this.split.stats === undefined ? rowCopier(needed[this.split.at] ?? ALL) : undefined) : new Collector(f.reversed, opts.onRow);
    let next: Stage = this.collector;
    const entries: Stage[] = [next];
    const stages: Stage[] = [next];
    markTransient(operators, facts);
    let afterSearch: Stage | undefined;
    let bareAfterSearch: Stage | undefined;
    const counts = opts.countReach ? operators.map(() => 0) : undefined;
    let watch: BinWatch | undefined;
    let stats: StatsStage | undefined;
    let columns: StatsColumns | undefined;
    // `search | [where on the client | rex] | [eval copies] | bin _time | stats … by _time, client …`: bare gin
    // lines may skip the stages into the stats (stats-columns.ts), which sit before the operator ahead of the bin.
    const shape = opts.bareGin && !counts ? columnsShape(operators) : undefined;
    for (let i = last - 1; i >= 0; i--) {
      if (shape && i === shape.statsAt - 2 && stats && columnsFit(stats)) {
        stages.push(next = columns = new StatsColumns(stats, next, opts.bareGin!, this.earliest, this.latest, watch, shape, opts.ctx));
      }
      if (i === 0 && operators[0]!.kind === 'search') afterSearch = next;
      if (i + 1 < last && binFusesIntoStats(operators, i)) {
        // A bin the stats after it takes over has no stage: its input goes to the stats (or the watch before it).
        if (counts) next = new Counting(counts, i, next);
        entries.unshift(next);
        continue;
      }
      const copy = !facts[i]!.shared ? undefined : (facts[i]!.transient ? scratchCopier(needed[i]!) : undefined) ?? rowCopier(needed[i]!);
      const op = operators[i]!;
      const bin = op.kind === 'stats' ? binBefore(operators, i, opts.ctx.tz) : undefined;
      if (opts.head && i === this.split.at && op.kind === 'sort') next = new SortStage(op.keys, op.limit, facts[i]!.reversed, next, true);
      else {
        const bare = i === 1 && operators[0]!.kind === 'search' && !counts ? opts.bareGin : undefined;
        next = buildStage(op, facts[i]!, copy, opts.ctx, next, operators[i + 1], needed[i + 1] ?? ALL, bare, bin);
        if (bare && next instanceof RexStage && next.bySpans) bareAfterSearch = new PlainRexEntry(next);
        if (i === shape?.statsAt && next instanceof StatsStage) stats = next;
        if (i === 1 && columns && shape?.rex) {
          if (next instanceof RexStage) columns.useRex(next);
          else columns = undefined;
        }
      }
      stages.push(next);
      if (opts.head && i === this.split.stats) stages.push(next = watch = new BinWatch(this.split.binnedSpan!, next, bin));
      if (counts) next = new Counting(counts, i, next);
      entries.unshift(next);
    }
    this.head = next;
    this.columns = columns?.take ? columns : undefined;
    this.entries = entries;
    this.stages = stages;
    this.watch = watch;
    this.afterSearch = afterSearch;
    this.bareAfterSearch = bareAfterSearch;
    this.leading = { operators: operators.slice(0, 1) };
    const second = operators[1];
    this.leadingWhere = operators[0]?.kind === 'search' && second?.kind === 'where' ? second.expr : undefined;
    this.ctx = opts.ctx;
    this.reach = counts && operators.map((op, i) => ({ op, get rows() { return counts[i]!; } }));
  }

  /**
   * What every event of this shape must pass to get past the search's first tests, for FieldDispatch: the
   * reduced leading search's test on one of uri_path, src, status or http_method, and the first tests of a
   * `where` right after it that each read one field and do real work (memoField: `ollama_external_src(src)`),
   * all of them; or alternatives on several fields, one of which it must pass (an OR in the search, a term in
   * a plain gin line's fields: fieldAlternatives). Undefined when there is none.
   */
  dispatchCondition(shape: EventShape): DispatchRule | undefined {
    const alternatives = fieldAlternatives(this.residualFor(shape), DISPATCH_FIELDS, shape.rawSpans);
    if (alternatives && alternatives.length > 1) return { kind: 'any', tests: alternatives };
    const tests = [...(alternatives ?? []), ...this.whereTests(shape)];
    return tests.length > 0 ? { kind: 'all', tests } : undefined;
  }

  /**
   * The first tests of the `where` right after the leading search, in groups that each read one field and do
   * real work, once what the shape decides is taken out (where-gate.ts): the where evaluates a test only when
   * those before it are true, so an event a group fails is one the where drops; a group that throws hands the
   * event over (FieldDispatch), for the where to report.
   */
  private whereTests(shape: EventShape): DispatchCondition[] {
    const where = this.leadingWhere && whereForShape(this.leadingWhere, shape, this.ctx);
    const tests = typeof where === 'object' ? conjuncts(where) : [];
    const and = (xs: Expr[]) => xs.reduce((l, r): Expr => ({ kind: 'binary', op: 'AND', left: l, right: r, span: { start: l.span.start, end: r.span.end } }));
    const out: DispatchCondition[] = [];
    let i = 0;
    while (i < tests.length) {
      // The longest run from i that reads one field: `isnotnull(src) AND NOT cidrmatch(…, src)` together.
      let k = tests.length;
      while (k > i && memoField(and(tests.slice(i, k))) === undefined) k--;
      if (k === i) break;
      const group = and(tests.slice(i, k));
      out.push({ field: memoField(group)!, test: whereTest(group, this.ctx) });
      i = k;
    }
    return out;
  }

  /** What the leading search (after pruning) still tests on events of this shape (search-gate.ts). */
  residualFor(shape: EventShape): Residual {
    return residualForShape(this.leading, shape);
  }

  /**
   * An entry for events of one known shape, whose leading search is reduced for them in advance
   * (engine/search-gate.ts): the tests they all pass are skipped. Undefined when no such event can pass it.
   */
  entryFor(shape: EventShape, bare = false): ((event: Row) => void) | undefined {
    const residual = this.residualFor(shape);
    if (residual === false) return undefined;
    // Shapes whose residual is compiled alike (no term a shape's rawSpans changes) share one entry.
    const spans = shape.rawSpans !== undefined && typeof residual !== 'boolean' && hasSpanTerm(residual, shape.rawSpans) ? shape.rawSpans : undefined;
    return this.entryAfter(residual, spans, bare);
  }

  /**
   * An entry past the leading search, for events known to pass it (FieldDispatch's `sure` bits): only the
   * time range is checked. Undefined when no event of the shape can pass the search.
   */
  entryPastSearch(shape: EventShape, bare = false): ((event: Row) => void) | undefined {
    return this.residualFor(shape) === false ? undefined : this.entryAfter(true, undefined, bare);
  }

  /**
   * The entry that tests `residual` (made once per residual, spans and bareness) before the stages after the
   * search. `bare`: for plain gin lines the runner may mark bare (PipelineOptions.bareGin), which a rex right
   * after the search answers from their spans; the same entry as the others' when there is no such rex.
   */
  private entryAfter(residual: SearchExpr | true, spans: RawSpans | undefined, bare: boolean): (event: Row) => void {
    const useBare = bare && this.bareAfterSearch !== undefined;
    const after = useBare ? this.bareAfterSearch : this.afterSearch;
    if (!after) return (e) => this.push(e);
    const key = JSON.stringify([residual, spans ?? null, useBare]);
    let entry = this.shapeEntries.get(key);
    if (!entry) this.shapeEntries.set(key, (entry = this.makeEntry(residual, after, spans)));
    return entry;
  }

  private readonly shapeEntries = new Map<string, (event: Row) => void>();

  private makeEntry(residual: SearchExpr | true, after: Stage, spans: RawSpans | undefined): (event: Row) => void {
    const stage = residual === true ? after : new FilterStage(compileSearch(residual, spans), after);
    // Generated per search, as filter.ts explains: its call of the stage after it is a site of its own.
    return generated<(earliest: number, latest: number, stage: Stage) => (event: Row) => void>(['earliest', 'latest', 'stage'], `
      return (event) => {
        const t = event._time;
        if (t < earliest || t >= latest) return;
        stage.push(event);
      };`)(this.earliest, this.latest, stage);
  }

  /**
   * Rows one range's thread kept at the cut (see PipelineOptions.head), in their order: they go to the stage
   * at the cut, past the operators before it. For the threads' ranges in the input's order.
   */
  pushAtCut(rows: readonly Row[]): void {
    const stage = this.entries[this.split.at]!;
    for (let i = 0; i < rows.length; i++) stage.push(rows[i]!);
  }

  /** After pushAtCut: no later range has rows before `t` (a time the ranges' bins are past; see Stage.advance). */
  advanceAtCut(t: number): void {
    this.entries[this.split.at]!.advance?.(t);
  }

  /** With `head`, when the cut follows a stats by binned _time: the bins its rows had (see split.ts). */
  get binsSeen(): BinSeen | undefined {
    return this.watch?.seen;
  }

  /** Pushes one event. Events outside the plan's time range are skipped here. */
  push(event: Row): void {
    const t = event._time as number;
    if (t < this.earliest || t >= this.latest) return;
    this.head.push(event);
  }

  end(): Row[] {
    if (!this.ended) { this.ended = true; this.head.end(); }
    return this.collector.rows;
  }

  /**
   * With `head`, after end(): empties every stage (Stage.reset), so that the same stages, and the code V8
   * optimised for them, take a scan thread's next byte range as new ones would. (Stages made again for each
   * range had V8 optimise their generated code again for each range.) A head holds streaming stages, which
   * keep nothing between rows, and the stats, sort, bin watch and capture at its cut, which reset.
   */
  reset(): void {
    if (!this.isHead) throw new Error('only the head of a split search is reset');
    for (const stage of this.stages) stage.reset?.();
    this.ended = false;
  }
}

/** Stages that pass their rows on, changed or not, without keeping them. */
const PASS_THROUGH = new Set<Operator['kind']>(['search', 'where', 'eval', 'rex', 'bin']);

/**
 * Marks the stages whose rows go only through pass-through stages into a stats: stats keeps values, never
 * rows, so such a row is dead once the event has gone by (see scratchCopier).
 */
function markTransient(ops: readonly Operator[], facts: StreamFacts[]): void {
  let intoStats = false;
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i]!;
    if (intoStats && PASS_THROUGH.has(op.kind)) facts[i] = { ...facts[i]!, transient: true };
    if (op.kind === 'stats') intoStats = true;
    else if (!PASS_THROUGH.has(op.kind)) intoStats = false;
  }
}

function nextFacts(op: Operator, f: StreamFacts): StreamFacts {
  switch (op.kind) {
    case 'search': case 'where': return f;
    case 'eval': case 'rex':
      return { ...f, shared: false, timeBinned: op.kind === 'eval' && op.assignments.some((a) => a.field === '_time') ? undefined : f.timeBinned };
    case 'rename': return { shared: false, reversed: f.reversed };
    case 'bin': return { shared: false, reversed: f.reversed, timeBinned: op.field === '_time' && op.as === '_time' ? op.spanSeconds : f.timeBinned };
    case 'stats': return { shared: false, reversed: false };
    case 'eventstats': return { shared: false, reversed: f.reversed };
    case 'streamstats': return { shared: false, reversed: false };
    case 'transaction': return { shared: false, reversed: false };
    case 'table': case 'fields': return { shared: false, reversed: f.reversed, timeBinned: f.timeBinned };
    case 'sort': case 'head': case 'dedup': return { ...f, reversed: false };
  }
}

/** Fields a search's own condition is looked for on, the most telling first (a path names the route; most requests are POST). */
const DISPATCH_FIELDS = ['uri_path', 'src', 'status', 'http_method'];

/** The items of an expression's top-level ANDs: each must be true for the whole to be. */
function conjuncts(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'AND' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/** Convenience: run a plan over an array of events (tests, small inputs). */
export function runPlan(plan: LogicalPlan, events: Iterable<Row>, ctx: StageContext): Row[] {
  const p = new Pipeline(plan, { ctx });
  for (const e of events) p.push(e);
  return p.end();
}

