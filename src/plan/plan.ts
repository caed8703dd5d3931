// The logical plan: what a search does, independent of how it runs. The in-process executor (engine/)
// runs it over events; a SQL compiler can translate the same operators later without touching detections.
// Building the plan resolves what the parser cannot know alone: time bounds written in the search
// (earliest=/latest=), and checks every eval and stats function name and arity, with positions.
import type { Command, Expr, Query, SearchExpr } from '../spl/ast.js';
import { SplError } from '../spl/errors.js';
import { EVAL_FUNCTIONS, LAZY_FUNCTIONS } from '../spl/eval-functions.js';
import { resolveTimeModifier } from '../util/reltime.js';
import type { TimeZone } from '../util/timezone.js';

export type Operator = Command;

export interface LogicalPlan {
  operators: Operator[];
  /** Epoch seconds; events outside [earliest, latest) never enter the pipeline. */
  earliest?: number;
  latest?: number;
}

export interface PlanOptions { tz: TimeZone; now: number }

export function buildPlan(query: Query, opts: PlanOptions): LogicalPlan {
  const plan: LogicalPlan = { operators: [] };
  query.commands.forEach((cmd, idx) => {
    if (cmd.kind === 'search' && idx === 0 && cmd.expr) {
      const expr = liftTimeBounds(cmd.expr, plan, opts);
      plan.operators.push({ ...cmd, expr });
      return;
    }
    validateCommand(cmd);
    plan.operators.push(cmd);
  });
  return plan;
}

/** Removes top-level earliest=/latest= terms from the leading search and turns them into the plan's bounds. */
function liftTimeBounds(expr: SearchExpr, plan: LogicalPlan, opts: PlanOptions): SearchExpr | null {
  const items = expr.kind === 'and' ? expr.items : [expr];
  const kept: SearchExpr[] = [];
  for (const it of items) {
    if (it.kind === 'compare' && it.op === '=' && (it.field === 'earliest' || it.field === 'latest')) {
      let t: number;
      try {
        t = resolveTimeModifier(it.value, opts.now, opts.tz);
      } catch (e) {
        throw new SplError((e as Error).message, it.span.start);
      }
      if (it.field === 'earliest') plan.earliest = t; else plan.latest = t;
      continue;
    }
    kept.push(it);
  }
  if (kept.length === 0) return null;
  return kept.length === 1 ? kept[0]! : { kind: 'and', items: kept };
}

function validateCommand(cmd: Command): void {
  switch (cmd.kind) {
    case 'where': validateExpr(cmd.expr); break;
    case 'eval': cmd.assignments.forEach((a) => validateExpr(a.expr)); break;
    case 'stats': case 'eventstats': case 'streamstats': cmd.aggs.forEach((a) => a.evalArg && validateExpr(a.evalArg)); break;
    case 'transaction':
      for (const b of [cmd.startswith, cmd.endswith]) if (b?.kind === 'eval') validateExpr(b.expr);
      break;
    default: break;
  }
}

export function validateExpr(e: Expr): void {
  switch (e.kind) {
    case 'call': {
      const lazy = LAZY_FUNCTIONS[e.name];
      const f = lazy ?? EVAL_FUNCTIONS[e.name];
      if (!f) {
        const lower = EVAL_FUNCTIONS[e.name.toLowerCase()] || LAZY_FUNCTIONS[e.name.toLowerCase()];
        throw new SplError(`unknown eval function ${e.name}()${lower ? ` (function names are lower case: ${e.name.toLowerCase()}())` : ''}`, e.span.start, 'SPL_UNKNOWN_FUNCTION');
      }
      if (e.args.length < f.min || e.args.length > f.max) {
        const want = f.min === f.max ? `${f.min}` : f.max >= 100 ? `at least ${f.min}` : `${f.min} to ${f.max}`;
        throw new SplError(`${e.name}() takes ${want} argument${f.max === 1 ? '' : 's'}, got ${e.args.length}`, e.span.start, 'SPL_BAD_ARGUMENTS');
      }
      if (e.name === 'case' && e.args.length % 2 !== 0) throw new SplError('case() takes condition/value pairs', e.span.start, 'SPL_BAD_ARGUMENTS');
      e.args.forEach(validateExpr);
      break;
    }
    case 'unary': validateExpr(e.arg); break;
    case 'binary': validateExpr(e.left); validateExpr(e.right); break;
    case 'in': validateExpr(e.arg); e.list.forEach(validateExpr); break;
    default: break;
  }
}

/** A one-line-per-operator description, for `search --explain`. */
export function explainPlan(plan: LogicalPlan): string {
  const lines = plan.operators.map((op, i) => `${i + 1}. ${op.kind}${describe(op)}`);
  if (plan.earliest !== undefined || plan.latest !== undefined) lines.unshift(`time range: [${plan.earliest ?? '-inf'}, ${plan.latest ?? '+inf'})`);
  return lines.join('\n');
}

function describe(op: Operator): string {
  switch (op.kind) {
    case 'transaction': return ` ${op.fields.join(', ')}${op.maxspan !== undefined ? ` maxspan=${op.maxspan}s` : ''}${op.startswith ? ' startswith' : ''}${op.endswith ? ' endswith' : ''}`;
    case 'stats': case 'eventstats': case 'streamstats': return ` ${op.aggs.map((a) => `${a.fn}${a.field ? `(${a.field})` : ''} as ${a.as}`).join(', ')}${op.by.length ? ` by ${op.by.join(', ')}` : ''}`;
    case 'bin': return ` ${op.field} span=${op.spanValue}${op.spanUnit}`;
    case 'table': return ` ${op.fields.join(', ')}`;
    case 'head': return ` ${op.limit}`;
    default: return '';
  }
}
