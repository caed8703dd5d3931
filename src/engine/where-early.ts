// A `where` runs before the `eval`s just ahead of it when it cannot tell the difference: none of them assigns a
// field it reads, and each only copies a field or sets a literal, so none can fail. The rows it keeps are the
// same rows with the same values; the rows it drops are no longer copied and assigned first. Splunk's
// Exfiltration search renames two captures (`eval src=src_ip | eval dest=uri_path`) on every line before its
// `where response_time > 55` drops nearly all of them; moved ahead, the where sits right after the `rex`,
// which can then test it on the match itself (RexStage's pretest).
import type { Operator } from '../plan/plan.js';
import { exprReads } from '../plan/needed-fields.js';
import type { Expr } from '../spl/ast.js';

/** An assignment that can neither fail nor produce a true/false result (which eval rejects). */
function cannotFail(e: Expr): boolean {
  return e.kind === 'field' || e.kind === 'str' || e.kind === 'num';
}

export function withWhereEarly(operators: readonly Operator[]): Operator[] {
  const out = [...operators];
  for (let i = 1; i < out.length; i++) {
    const op = out[i]!;
    if (op.kind !== 'where') continue;
    const reads = new Set(exprReads(op.expr));
    let j = i;
    for (;;) {
      const prev = out[j - 1];
      if (prev?.kind !== 'eval' || !prev.assignments.every((a) => cannotFail(a.expr) && !reads.has(a.field))) break;
      out[j] = prev;
      out[j - 1] = op;
      j--;
    }
  }
  return out;
}
