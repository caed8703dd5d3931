// What a `where` right after a detection's leading search still tests on a kind of event whose fields are known
// in advance (a gin access line), as search-gate.ts works it out for the search: a test of a field every such
// event holds with one value (line_type, sourcetype) or none of them holds is decided for all of them. What is
// left is what the runner's FieldDispatch may test per client or path instead of the where per event
// (Pipeline.dispatchCondition): `line_type!="gin" OR ollama_external_src(src)` is, for a gin event, the
// trusted-network test alone.
//
// Only the where's truth is kept: AND and OR give true exactly when both or either side is truthy
// (eval-compiler.ts), so a decided side can be dropped. An expression the where would fail on at run time
// is never decided away unseen where it matters: the dispatch hands over an event whose test throws, and the
// where runs on every event it is handed.
import type { Expr } from '../spl/ast.js';
import { exprReads } from '../plan/needed-fields.js';
import { compileExpr, isPure } from './eval-compiler.js';
import { truthy, type EvalContext } from '../spl/eval-functions.js';
import type { EventShape } from './search-gate.js';

/**
 * The where's expression for events of `shape`, as far as its truth goes: true or false when it is decided for
 * all of them, else the expression with its decided parts taken out.
 */
export function whereForShape(e: Expr, shape: EventShape, ctx: EvalContext): Expr | boolean {
  const known = new Set(Object.keys(shape.constants));
  const fields = shape.open ? undefined : new Set(shape.fields);
  // A field such an event holds as a constant, or one it never holds (a closed shape's events have no other).
  const decided = (f: string) => known.has(f) || (fields !== undefined && !fields.has(f));
  const sample = { ...shape.constants };
  const reduce = (x: Expr): Expr | boolean => {
    if (x.kind === 'binary' && (x.op === 'AND' || x.op === 'OR')) {
      const l = reduce(x.left), r = reduce(x.right);
      if (x.op === 'OR') {
        if (l === true || r === true) return true;
        if (l === false) return r;
        if (r === false) return l;
      } else {
        if (l === false || r === false) return false;
        if (l === true) return r;
        if (r === true) return l;
      }
      return { ...x, left: l as Expr, right: r as Expr };
    }
    const reads = exprReads(x);
    if (reads.length === 0 || !reads.every(decided) || !isPure(x)) return x;
    try {
      return truthy(compileExpr(x, ctx)(sample));
    } catch {
      return x; // left for the where to report
    }
  };
  return reduce(e);
}
