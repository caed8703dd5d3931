import type { Stage } from '../stage.js';
import type { Row } from '../value.js';

/** search and where: pass rows for which the predicate holds. */
export class FilterStage implements Stage {
  constructor(private readonly test: (row: Row) => boolean, private readonly next: Stage) {}
  push(row: Row): void { if (this.test(row)) this.next.push(row); }
  end(): void { this.next.end(); }
  advance(t: number): void { this.next.advance?.(t); }
}
