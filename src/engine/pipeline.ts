// Builds runnable stages from a logical plan and runs events through them. The stream facts (shared rows,
// oldest-first order, binned time) are tracked while building so each stage copies or buffers only when needed.
import type { LogicalPlan, Operator } from '../plan/plan.js';
import { SplError } from '../spl/errors.js';
import { compileSplRegex, narrowCaptures, toJsReplacement } from '../spl/regex.js';
import { STATS_FUNCTIONS } from '../spl/stats-functions.js';
import { compileExpr, memoField, type Compiled } from './eval-compiler.js';
import { compileSearch } from './search-match.js';
import { hasSpanTerm, type RawSpans } from './span-terms.js';
import { rowCopier, scratchCopier, type RowCopy, type Stage, type StageContext, type StreamFacts } from './stage.js';
import { ALL, exprReads, neededFields, type FieldSet } from '../plan/needed-fields.js';
import { withoutDeadRex } from './prune.js';
import { withEvalsFused } from './fuse.js';
import { withWhereEarly } from './where-early.js';
import { binFusesIntoStats, type TimeBin } from './bin-into-stats.js';
import { whereForShape } from './where-gate.js';
import { fieldAlternatives, residualForShape, type EventShape, type Residual } from './search-gate.js';
import type { DispatchCondition, DispatchRule } from './field-dispatch.js';
import type { Row } from './value.js';
import { FilterStage } from './ops/filter.js';
import { EvalStage } from './ops/eval.js';
import { BinStage } from './ops/bin.js';
import { PlainRexEntry, RexStage, SedStage } from './ops/rex.js';
import { SpanRex, type BareGinColumns } from './span-rex.js';
import { StatsStage } from './ops/stats.js';
import { RenameStage, TableStage, FieldsStage } from './ops/shape.js';
import { SortStage, HeadStage, DedupStage, RUN_ROWS } from './ops/order.js';
import { EventstatsStage } from './ops/eventstats.js';
import { StreamstatsStage } from './ops/streamstats.js';
import { TransactionStage } from './ops/transaction.js';
import type { Expr, SearchExpr, StatsAgg, TxnFilter } from '../spl/ast.js';
import { truthy, type EvalValue } from '../spl/eval-functions.js';
import { generated } from './generated-code.js';
import { BinWatch, Capture, splitPoint, type BinSeen, type SplitPoint } from './split.js';

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
  private readonly watch: BinWatch | undefined;
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
    for (let i = last - 1; i >= 0; i--) {
      if (i === 0 && operators[0]!.kind === 'search') afterSearch = next;
      const copy = !facts[i]!.shared ? undefined : (facts[i]!.transient ? scratchCopier(needed[i]!) : undefined) ?? rowCopier(needed[i]!);
      const op = operators[i]!;
      // A bin the stats after it takes over has no stage: its input goes to the stats (or the watch before it).
      const fused = i + 1 < last && binFusesIntoStats(operators, i);
      // The bin a stats takes over from the operator before it.
      const bin = op.kind === 'stats' && binFusesIntoStats(operators, i - 1) ? binOf(operators[i - 1]!, opts.ctx) : undefined;
      if (fused) { /* the stats bins */ } else if (opts.head && i === this.split.at && op.kind === 'sort') next = new SortStage(op.keys, op.limit, facts[i]!.reversed, next, true);
      else {
        const bare = i === 1 && operators[0]!.kind === 'search' && !counts ? opts.bareGin : undefined;
        next = buildStage(op, facts[i]!, copy, opts.ctx, next, operators[i + 1], needed[i + 1] ?? ALL, bare, bin);
        if (bare && next instanceof RexStage && next.bySpans) bareAfterSearch = new PlainRexEntry(next);
      }
      if (!fused) stages.push(next);
      if (opts.head && i === this.split.stats) stages.push(next = watch = new BinWatch(this.split.binnedSpan!, next, bin));
      if (counts) next = new Counting(counts, i, next);
      entries.unshift(next);
    }
    this.head = next;
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

/** `following` is the next operator, `neededAfter` the fields its input needs (see needed-fields.ts). */
function buildStage(op: Operator, f: StreamFacts, copy: RowCopy | undefined, ctx: StageContext, next: Stage, following: Operator | undefined, neededAfter: FieldSet, bareGin?: BareGinColumns, bin?: TimeBin): Stage {
  switch (op.kind) {
    case 'search': return new FilterStage(compileSearch(op.expr), next);
    case 'where': return new FilterStage(whereTest(op.expr, ctx), next);
    case 'eval':
      return new EvalStage(op.assignments.map((a) => ({ field: a.field, fn: compileExpr(a.expr, ctx), pos: a.expr.span.start })), copy, next, f.transient === true);
    case 'bin':
      return new BinStage(op.field, op.as, op.spanSeconds, op.spanValue ?? 1, ctx.tz, copy, next);
    case 'rex': {
      if (op.mode === 'sed') {
        const m = /^s\/((?:\\.|[^\\/])*)\/((?:\\.|[^\\/])*)\/([gi0-9]*)$/s.exec(op.regex);
        if (!m) throw new SplError('sed mode expects s/regex/replacement/flags', op.span.start);
        const global = m[3]!.includes('g');
        const c = compileSplRegex(m[1]!, op.span.start, (global ? 'g' : '') + (m[3]!.includes('i') ? 'i' : ''));
        return new SedStage(op.field, c.re, toJsReplacement(m[2]!), copy, next);
      }
      // Groups nothing after the rex reads are not captured: the match is the same, with fewer strings made.
      const c = neededAfter === ALL ? compileSplRegex(op.regex, op.span.start) : narrowCaptures(compileSplRegex(op.regex, op.span.start), (g) => neededAfter.has(g));
      // A where right after that reads only this rex's groups is also tried on the match, before the row is
      // copied and filled (RexStage's pretest); it still runs after.
      const reads = following?.kind === 'where' ? [...new Set(exprReads(following.expr))] : [];
      const pretest = following?.kind === 'where' && reads.length > 0 && reads.every((g) => c.groupNames.includes(g))
        ? { fields: reads, test: whereTest(following.expr, ctx) } : undefined;
      // Right after the leading search, a pattern of bars over _raw is answered from bare gin lines' spans.
      const spanRex = bareGin && op.field === '_raw' && op.maxMatch === 1 && c.unnamed ? SpanRex.of(c.unnamed) : undefined;
      return new RexStage(op.field, c.re, c.groupNames, op.maxMatch, copy, next, c.groupIndex, c.unnamed, pretest, spanRex && { rex: spanRex, cols: bareGin! });
    }
    case 'stats': {
      // A where right after the stats is also tried on each group first (see Having); it still runs after.
      const having = following?.kind === 'where'
        ? { test: whereTest(following.expr, ctx), reads: new Set(exprReads(following.expr)) }
        : undefined;
      return new StatsStage(compileAggs(op.aggs, ctx), op.by, f.reversed, f.timeBinned, ctx, next, having, bin);
    }
    case 'eventstats': return new EventstatsStage(compileAggs(op.aggs, ctx), op.by, f.reversed, copy, next);
    case 'streamstats':
      return new StreamstatsStage(compileAggs(op.aggs, ctx), op.by, { current: op.current, window: op.window, resetOnChange: op.resetOnChange, ...(op.timeWindow !== undefined ? { timeWindow: op.timeWindow } : {}) }, f.reversed, copy, next);
    case 'transaction':
      return new TransactionStage({
        fields: op.fields, maxevents: op.maxevents, keepevicted: op.keepevicted,
        ...(op.maxspan !== undefined ? { maxspan: op.maxspan } : {}),
        ...(op.maxpause !== undefined ? { maxpause: op.maxpause } : {}),
        ...(op.startswith ? { startswith: compileBoundary(op.startswith, ctx) } : {}),
        ...(op.endswith ? { endswith: compileBoundary(op.endswith, ctx) } : {}),
      }, f.reversed, next);
    case 'rename': return new RenameStage(op.pairs, copy, next);
    case 'table': return new TableStage(op.fields, next);
    case 'fields': return new FieldsStage(op.fields, op.remove, next);
    case 'sort': return new SortStage(op.keys, op.limit, f.reversed, next, false, RUN_ROWS, ctx.warn);
    case 'head': return new HeadStage(op.limit, f.reversed, next);
    case 'dedup': return new DedupStage(op.fields, op.limit, op.keepEmpty, op.consecutive, op.sortBy, f.reversed, next);
  }
}

/** Fields a search's own condition is looked for on, the most telling first (a path names the route; most requests are POST). */
const DISPATCH_FIELDS = ['uri_path', 'src', 'status', 'http_method'];

/** The items of an expression's top-level ANDs: each must be true for the whole to be. */
function conjuncts(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'AND' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

function whereTest(expr: Expr, ctx: StageContext): (row: Row) => boolean {
  const fn = compileExpr(expr, ctx);
  return generated<(fn: Compiled, truthy: (v: EvalValue) => boolean) => (row: Row) => boolean>(['fn', 'truthy'], 'return (row) => truthy(fn(row));')(fn, truthy);
}

/** What a stats takes over from a bin that fuses into it (binFusesIntoStats). */
function binOf(op: Operator, ctx: StageContext): TimeBin {
  if (op.kind !== 'bin') throw new Error('only a bin fuses into a stats');
  // As BinStage: a span without a unit is seconds of _time.
  return { span: op.spanSeconds ?? op.spanValue ?? 1, tz: ctx.tz };
}

function compileAggs(aggs: StatsAgg[], ctx: StageContext) {
  return aggs.map((a) => {
    const fn = STATS_FUNCTIONS[a.fn];
    if (!fn) throw new SplError(`unknown statistical function ${a.fn}`, a.span.start, 'SPL_UNKNOWN_FUNCTION');
    const evalArg: Compiled | undefined = a.evalArg ? compileExpr(a.evalArg, ctx) : undefined;
    return { fn, as: a.as, ...(a.field !== undefined ? { field: a.field } : {}), ...(evalArg ? { evalArg } : {}) };
  });
}

function compileBoundary(b: TxnFilter, ctx: StageContext): (row: Row) => boolean {
  if (b.kind === 'search') return compileSearch(b.expr);
  const fn = compileExpr(b.expr, ctx);
  return (row) => truthy(fn(row));
}

/** Convenience: run a plan over an array of events (tests, small inputs). */
export function runPlan(plan: LogicalPlan, events: Iterable<Row>, ctx: StageContext): Row[] {
  const p = new Pipeline(plan, { ctx });
  for (const e of events) p.push(e);
  return p.end();
}

