import type { Stage } from '../stage.js';
import type { Row } from '../value.js';
import { generated } from '../generated-code.js';

/**
 * search and where: pass rows for which the predicate holds. `push` is generated per stage: each stage's
 * calls of its test and of the next stage are then sites of their own, which V8 can inline, instead of one
 * site in a shared method that meets every detection's tests and stages.
 */
export class FilterStage implements Stage {
  readonly push: (row: Row) => void;
  constructor(test: (row: Row) => boolean, private readonly next: Stage) {
    this.push = filterPush()(test, next);
  }
  end(): void { this.next.end(); }
  advance(t: number): void { this.next.advance?.(t); }
}

function filterPush(): (test: (row: Row) => boolean, next: Stage) => (row: Row) => void {
  return generated(['test', 'next'], 'return (row) => { if (test(row)) next.push(row); };');
}
