// Stages whose work cannot reach the results are not built. A rex only sets the fields its groups name, so a
// rex none of whose fields is read later (see plan/needed-fields.ts) is skipped: Splunk's Excessive API
// Requests search extracts a method and endpoint that nothing after it uses, on every gin line.
import type { Operator } from '../plan/plan.js';
import { ALL, neededFields } from '../plan/needed-fields.js';
import { compileSplRegex } from '../spl/regex.js';

export function withoutDeadRex(operators: readonly Operator[]): Operator[] {
  let ops = [...operators];
  // Dropping one rex can leave an earlier one feeding only it, so repeat until nothing changes.
  for (;;) {
    const needed = neededFields(ops);
    const dead = ops.findIndex((op, i) => {
      if (op.kind !== 'rex' || op.mode !== 'extract') return false;
      const after = i + 1 < ops.length ? needed[i + 1]! : ALL;
      if (after === ALL) return false;
      return compileSplRegex(op.regex, op.span.start).groupNames.every((g) => !after.has(g));
    });
    if (dead < 0) return ops;
    ops = ops.filter((_, i) => i !== dead);
  }
}
