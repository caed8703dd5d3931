// Consecutive evals run as one stage. `eval a=X | eval b=Y` is `eval a=X, b=Y`: assignments run left to
// right and each sees the ones before it, so the rows, and any error with its position, are the same; the
// event goes through one stage instead of several (Splunk's detections chain three or four evals).
import type { Operator } from '../plan/plan.js';

export function withEvalsFused(operators: readonly Operator[]): Operator[] {
  const out: Operator[] = [];
  for (const op of operators) {
    const prev = out[out.length - 1];
    if (op.kind === 'eval' && prev?.kind === 'eval') {
      out[out.length - 1] = { ...prev, assignments: [...prev.assignments, ...op.assignments], span: { start: prev.span.start, end: op.span.end } };
    } else out.push(op);
  }
  return out;
}
