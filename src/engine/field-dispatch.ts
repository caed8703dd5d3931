// Hands a gin event only to the searches that can want it, by one field's value. Ten of the built-in
// detections can only pass a gin line whose uri_path is one of a few routes; each used to be handed every gin
// event and test its path itself. The condition on the field that each such search implies
// (fieldCondition, search-gate.ts) is answered once per distinct value, for all of them at once, as a bit
// mask: logs repeat a few hundred paths millions of times.
import type { SearchExpr } from '../spl/ast.js';
import type { Row, Value } from './value.js';
import { compileSearch, type Predicate } from './search-match.js';

/** Bits in a mask (one per search); searches past them test their events themselves. */
const BITS = 31;
/** Distinct values remembered (an attacker can make every path new); the map starts over past it. */
const MEMO_VALUES = 4096;

export class FieldDispatch {
  private readonly tests: Predicate[] = [];
  private masks = new Map<string, number>();

  constructor(readonly field: string) {}

  get size(): number { return this.tests.length; }

  /** The bit of a search that only an event passing `condition` (a test on this field alone) can pass; 0 when there is none left. */
  add(condition: SearchExpr): number {
    if (this.tests.length >= BITS) return 0;
    this.tests.push(compileSearch(condition));
    return 1 << (this.tests.length - 1);
  }

  /** The bits of the searches that may want an event holding `v` in this field (all of them for a value that is not one string). */
  maskOf(v: Value | undefined): number {
    if (typeof v !== 'string') return -1;
    let m = this.masks.get(v);
    if (m === undefined) {
      m = 0;
      const row: Row = { [this.field]: v };
      for (let j = 0; j < this.tests.length; j++) if (this.tests[j]!(row)) m |= 1 << j;
      if (this.masks.size >= MEMO_VALUES) this.masks = new Map();
      this.masks.set(v, m);
    }
    return m;
  }
}
