// Decides, before any event arrives, whether a detection's leading search can match a kind of event whose
// fields are known in advance (a gin access line: a fixed set of fields, four of them constant). A detection
// that cannot is never handed such events: most detections look for slog, runner or panic lines, and gin
// lines are nine in ten of a busy server's log.
import type { SearchExpr } from '../spl/ast.js';
import type { LogicalPlan } from '../plan/plan.js';
import type { Row } from './value.js';
import { compileSearch } from './search-match.js';

export interface EventShape {
  /** Every field such an event can have. */
  fields: readonly string[];
  /** Fields with the same value on every such event. */
  constants: Readonly<Record<string, string>>;
}

/**
 * False when no event of this shape can pass the plan's leading search; true when one might. Field tests
 * on a constant or an impossible field are decided by running the compiled test itself on an event holding
 * only the constants, so the answer follows the matcher's rules exactly; terms and other fields are unknown.
 */
export function canMatchShape(plan: LogicalPlan, shape: EventShape): boolean {
  const first = plan.operators[0];
  if (!first || first.kind !== 'search' || !first.expr) return true;
  return decide(first.expr, new Set(shape.fields), { ...shape.constants }) !== false;
}

/** `sample` holds only the shape's constants: a test on it answers for every event of the shape. */
function decide(e: SearchExpr, fields: Set<string>, sample: Row): boolean | undefined {
  switch (e.kind) {
    case 'term': return undefined;
    case 'compare': case 'in': {
      const decidable = e.field === 'index' || !fields.has(e.field) || Object.hasOwn(sample, e.field);
      return decidable ? compileSearch(e)(sample) : undefined;
    }
    case 'and': {
      let all = true;
      for (const x of e.items) {
        const d = decide(x, fields, sample);
        if (d === false) return false;
        if (d === undefined) all = false;
      }
      return all ? true : undefined;
    }
    case 'or': {
      let none = true;
      for (const x of e.items) {
        const d = decide(x, fields, sample);
        if (d === true) return true;
        if (d === undefined) none = false;
      }
      return none ? false : undefined;
    }
    case 'not': {
      const d = decide(e.item, fields, sample);
      return d === undefined ? undefined : !d;
    }
  }
}
