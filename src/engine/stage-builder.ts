// One operator of a plan → the stage that runs it (pipeline.ts links them): each command's options read off
// its AST node, its expressions compiled, and what the pipeline worked out passed in (whether rows are shared
// and must be copied, the fields read later, the following operator a stage may try early, a fused bin).
import type { Operator } from '../plan/plan.js';
import { SplError } from '../spl/errors.js';
import { compileSplRegex, narrowCaptures, toJsReplacement } from '../spl/regex.js';
import { STATS_FUNCTIONS } from '../spl/stats-functions.js';
import { compileExpr, type Compiled } from './eval-compiler.js';
import { compileSearch } from './search-match.js';
import type { RowCopy, Stage, StageContext, StreamFacts } from './stage.js';
import { ALL, exprReads, type FieldSet } from '../plan/needed-fields.js';
import type { TimeBin } from './bin-into-stats.js';
import type { Row } from './value.js';
import { FilterStage } from './ops/filter.js';
import { EvalStage } from './ops/eval.js';
import { BinStage } from './ops/bin.js';
import { RexStage, SedStage } from './ops/rex.js';
import { SpanRex, type BareGinColumns } from './span-rex.js';
import { StatsStage } from './ops/stats.js';
import { RenameStage, TableStage, FieldsStage } from './ops/shape.js';
import { SortStage, HeadStage, DedupStage, RUN_ROWS } from './ops/order.js';
import { EventstatsStage } from './ops/eventstats.js';
import { StreamstatsStage } from './ops/streamstats.js';
import { TransactionStage } from './ops/transaction.js';
import type { Expr, StatsAgg, TxnFilter } from '../spl/ast.js';
import { truthy, type EvalValue } from '../spl/eval-functions.js';
import { generated } from './generated-code.js';

/** `following` is the next operator, `neededAfter` the fields its input needs (see needed-fields.ts). */
export function buildStage(op: Operator, f: StreamFacts, copy: RowCopy | undefined, ctx: StageContext, next: Stage, following: Operator | undefined, neededAfter: FieldSet, bareGin?: BareGinColumns, bin?: TimeBin): Stage {
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
        fields: op.fields, maxevents: op.maxevents, maxopentxn: op.maxopentxn, maxopenevents: op.maxopenevents, keepevicted: op.keepevicted,
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

/** A `where`'s expression as a test of a row: whether its value is truthy. */
export function whereTest(expr: Expr, ctx: StageContext): (row: Row) => boolean {
  const fn = compileExpr(expr, ctx);
  return generated<(fn: Compiled, truthy: (v: EvalValue) => boolean) => (row: Row) => boolean>(['fn', 'truthy'], 'return (row) => truthy(fn(row));')(fn, truthy);
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
