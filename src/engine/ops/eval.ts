import type { RowCopy, Stage } from '../stage.js';
import type { Row } from '../value.js';
import type { Compiled } from '../eval-compiler.js';
import { SplError } from '../../spl/errors.js';
import { generated } from '../generated-code.js';

interface Assignment { field: string; fn: Compiled; pos: number }

/**
 * eval: assignments left to right; a null result removes the field, a boolean result is an error (as in Splunk).
 * `push` is generated per stage with the field names written in (as filter.ts explains): each assignment's
 * call and store are sites of their own.
 */
export class EvalStage implements Stage {
  readonly push: (row: Row) => void;
  constructor(
    private readonly assignments: Assignment[],
    copy: RowCopy | undefined,
    private readonly next: Stage,
    /** Rows die with the event (StreamFacts.transient): a null result is written as undefined, not deleted,
     * which keeps the row's shape; the stages that follow treat both as absent. */
    transient = false,
  ) {
    this.push = evalPush(assignments.map((a) => a.field), transient)(assignments.map((a) => a.fn), copy, next, (i: number) => {
      const a = assignments[i]!;
      throw new SplError(`eval cannot assign a true/false result to "${a.field}"; wrap it in if(…, …, …)`, a.pos, 'SPL_EVAL_BOOLEAN');
    });
  }
  end(): void { this.next.end(); }
  advance(t: number): void {
    if (!this.assignments.some((a) => a.field === '_time')) this.next.advance?.(t);
  }
}

type EvalPush = (fns: Compiled[], copy: RowCopy | undefined, next: Stage, boolean: (i: number) => never) => (row: Row) => void;

function evalPush(fields: string[], transient: boolean): EvalPush {
  const q = (s: string) => JSON.stringify(s);
  const fns = fields.map((_, i) => `const f${i} = fns[${i}];`).join(' ');
  const body = fields.map((f, i) => `v = f${i}(row);
      if (typeof v === 'boolean') boolean(${i});
      if (v === undefined) ${transient ? `row[${q(f)}] = undefined;` : `delete row[${q(f)}];`} else row[${q(f)}] = v;`).join('\n');
  return generated(['fns', 'copy', 'next', 'boolean'], `${fns}
    return (input) => {
      const row = copy === undefined ? input : copy(input);
      let v;
      ${body}
      next.push(row);
    };`);
}
