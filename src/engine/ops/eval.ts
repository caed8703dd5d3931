import type { RowCopy, Stage } from '../stage.js';
import type { Row } from '../value.js';
import type { Compiled } from '../eval-compiler.js';
import { SplError } from '../../spl/errors.js';

/** eval: assignments left to right; a null result removes the field, a boolean result is an error (as in Splunk). */
export class EvalStage implements Stage {
  constructor(
    private readonly assignments: Array<{ field: string; fn: Compiled; pos: number }>,
    private readonly copy: RowCopy | undefined,
    private readonly next: Stage,
    /** Rows die with the event (StreamFacts.transient): a null result is written as undefined, not deleted,
     * which keeps the row's shape; the stages that follow treat both as absent. */
    private readonly transient = false,
  ) {}
  push(input: Row): void {
    const row = this.copy ? this.copy(input) : input;
    for (const a of this.assignments) {
      const v = a.fn(row);
      if (typeof v === 'boolean') throw new SplError(`eval cannot assign a true/false result to "${a.field}"; wrap it in if(…, …, …)`, a.pos, 'SPL_EVAL_BOOLEAN');
      if (v === undefined) { if (this.transient) row[a.field] = undefined; else delete row[a.field]; }
      else row[a.field] = v;
    }
    this.next.push(row);
  }
  end(): void { this.next.end(); }
  advance(t: number): void {
    if (!this.assignments.some((a) => a.field === '_time')) this.next.advance?.(t);
  }
}
