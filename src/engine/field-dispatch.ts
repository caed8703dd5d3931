// Hands a gin event only to the searches that can want it, judged by its fields' values. Most built-in
// detections can only pass a gin line whose uri_path is one of a few routes, or whose client is outside the
// trusted networks (a `where ollama_external_src(src)` right after the search), or that holds one of a few
// words (which a plain gin line can only hold in its client, method or path: PLAIN_GIN_SHAPE); each used to
// be handed every gin event and test it itself. Each such search's condition (one test on one field, or
// alternatives on several: search-gate.ts, fieldAlternatives; Pipeline.dispatchCondition) is answered once
// per distinct value of each field, for all of them at once, as a bit mask: logs repeat a few hundred paths
// and clients millions of times.
import type { Row } from './value.js';

/** Bits in a mask (one per search); searches past them test their events themselves. */
const BITS = 31;
/** Distinct values remembered per field (an attacker can make every path new); the map starts over past it. */
const MEMO_VALUES = 4096;

/** A test on one field of an event: true when the event may pass the search. */
export interface DispatchCondition { field: string; test: (row: Row) => boolean }

/**
 * What an event must pass to be handed to a search: any one of these tests (each on one field). A search
 * with conditions for gin events in general and for plain gin lines has one bit for both.
 */
export type DispatchAlternatives = readonly DispatchCondition[];

interface FieldTests {
  field: string;
  tests: Array<{ bit: number; test: (row: Row) => boolean }>;
  masks: Map<string | number, number>;
  /** The last value asked about and its mask: requests come in runs (one client, one route). */
  last: string | number | undefined;
  lastMask: number;
}

/** The tests for one kind of event, by field, and the bits of searches that take every such event. */
class Side {
  readonly fields: FieldTests[] = [];
  always = 0;

  add(bit: number, alternatives: DispatchAlternatives | undefined): void {
    if (!alternatives) { this.always |= bit; return; }
    for (const c of alternatives) {
      let f = this.fields.find((x) => x.field === c.field);
      if (!f) this.fields.push((f = { field: c.field, tests: [], masks: new Map(), last: undefined, lastMask: 0 }));
      f.masks = new Map(); // masks made before lack the new bit
      f.last = undefined;
      f.tests.push({ bit, test: c.test });
    }
  }

  /**
   * The bits of the searches that may want this event. A value that is not one string or number sets all of
   * its field's bits (the searches decide), and so does a test that throws: the search's own error is the one
   * to report.
   */
  maskOf(event: Row): number {
    let mask = this.always;
    for (const f of this.fields) {
      const v = event[f.field];
      if (typeof v !== 'string' && typeof v !== 'number') { for (const t of f.tests) mask |= t.bit; continue; }
      if (v === f.last) { mask |= f.lastMask; continue; }
      let m = f.masks.get(v);
      if (m === undefined) {
        m = 0;
        const row: Row = { [f.field]: v };
        for (const t of f.tests) {
          let pass = true;
          try { pass = t.test(row); } catch { /* the search decides */ }
          if (pass) m |= t.bit;
        }
        if (f.masks.size >= MEMO_VALUES) f.masks = new Map();
        f.masks.set(v, m);
      }
      f.last = v;
      f.lastMask = m;
      mask |= m;
    }
    return mask;
  }
}

export class FieldDispatch {
  private readonly gin = new Side();
  private readonly plain = new Side();
  private bits = 0;

  get size(): number { return this.bits; }

  /**
   * The bit of a search that only gin events passing one of `gin`, and plain gin lines passing one of
   * `plain`, can pass (undefined: every such event); 0 when it has neither, or no bit is left.
   */
  add(gin: DispatchAlternatives | undefined, plain: DispatchAlternatives | undefined = gin): number {
    if (this.bits >= BITS || (!gin && !plain)) return 0;
    const bit = 1 << this.bits++;
    this.gin.add(bit, gin);
    this.plain.add(bit, plain);
    return bit;
  }

  /** The bits of the searches that may want this gin event (`plain`: a plain gin line). */
  maskOf(event: Row, plain = false): number {
    return (plain ? this.plain : this.gin).maskOf(event);
  }
}
