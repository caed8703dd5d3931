// Hands a gin event only to the searches that can want it, judged by its fields' values. Most built-in
// detections can only pass a gin line whose uri_path is one of a few routes, or whose client is outside the
// trusted networks (a `where ollama_external_src(src)` right after the search), or that holds one of a few
// words (which a plain gin line can only hold in its client, method or path: PLAIN_GIN_SHAPE); each used to
// be handed every gin event and test it itself. Each such search's condition (one test on one field, or
// alternatives on several: search-gate.ts, fieldAlternatives; Pipeline.dispatchCondition) is answered once
// per distinct value of each field, for all of them at once, as a bit mask: logs repeat a few hundred paths
// and clients millions of times.
import type { Row } from './value.js';
import { generated } from './generated-code.js';
import { PREFIX_FIELD } from './span-terms.js';
import { CLIENT_SLOTS, PATH_SLOTS } from '../parse/gin-bytes.js';
import { table } from '../util/table.js';

/**
 * The fields whose values a gin line read from its bytes takes from the byte reader's caches, with the number
 * of slots and the slot's name in maskOf's code: their masks are also kept by slot (LineParser.ginClientSlot,
 * ginUriPathSlot, ginPathSlot), an array load instead of a map lookup for a value that is not the last one's.
 */
const SLOTTED: Readonly<Record<string, { slots: number; name: 'cs' | 'us' | 'ps' }>> = table({
  src: { slots: CLIENT_SLOTS, name: 'cs' },
  uri_path: { slots: PATH_SLOTS, name: 'us' },
  url: { slots: PATH_SLOTS, name: 'ps' },
});

/** Bits in a mask (one per search); searches past them test their events themselves. */
const BITS = 31;
/** Distinct values remembered per field (an attacker can make every path new); the map starts over past it. */
const MEMO_VALUES = 4096;

/**
 * A test on one field of an event: true when the event may pass the search. `exact`: a string value that
 * passes it makes the search's leading search pass (see `sure`).
 */
export interface DispatchCondition { field: string; test: (row: Row) => boolean; exact?: boolean }

/**
 * What a gin event must pass to be handed to a search: `any` of the tests (alternatives, each on one field: an
 * OR in its search), or `all` of them (on different fields: its search's tests and the first tests of the
 * `where` after it). A search with rules for gin events in general and for plain gin lines has one bit for both.
 */
export interface DispatchRule { kind: 'any' | 'all'; tests: readonly DispatchCondition[] }

interface FieldTests {
  field: string;
  tests: Array<{ bit: number; all: boolean; test: (row: Row) => boolean }>;
  /** The bits of this field's `all` tests. */
  allBits: number;
  /** The bits of this field's exact tests. */
  exactBits: number;
  /** Per value, the bits of the tests it passes (an `all` bit only when it passes all of its tests here). */
  masks: Map<string | number, number>;
  /** Per value, the bits of the searches one of whose tests threw on it (made when one does). */
  threw: Map<string | number, number> | undefined;
  /** The last value asked about and its mask: requests come in runs (one client, one route). */
  last: string | number | undefined;
  lastMask: number;
  /** For a SLOTTED field, the value whose mask is kept in each slot, and the mask. */
  slotKey: Array<string | undefined> | undefined;
  slotMask: Int32Array | undefined;
}

/** The tests for one kind of event, by field, and the bits of searches that take every such event. */
class Side {
  readonly fields: FieldTests[] = [];
  /** Of the last mask made, the bits whose search's leading search the event passes for sure (FieldDispatch.sure). */
  sure = 0;
  always = 0;
  /** The bits of the searches with an `all` rule. */
  allBits = 0;

  add(bit: number, rule: DispatchRule | undefined): void {
    this.code = undefined;
    if (!rule) { this.always |= bit; return; }
    const all = rule.kind === 'all' && rule.tests.length > 1;
    if (all) this.allBits |= bit;
    for (const c of rule.tests) {
      let f = this.fields.find((x) => x.field === c.field);
      if (!f) {
        const slots = SLOTTED[c.field]?.slots;
        this.fields.push((f = {
          field: c.field, tests: [], allBits: 0, exactBits: 0, masks: new Map(), threw: undefined, last: undefined, lastMask: 0,
          slotKey: slots === undefined ? undefined : new Array<string | undefined>(slots).fill(undefined),
          slotMask: slots === undefined ? undefined : new Int32Array(slots),
        }));
      }
      // Masks made before lack the new bit.
      f.masks = new Map();
      f.threw = undefined;
      f.last = undefined;
      f.slotKey?.fill(undefined);
      f.tests.push({ bit, all, test: c.test });
      if (all) f.allBits |= bit;
      if (c.exact) f.exactBits |= bit;
    }
  }

  /**
   * The bits of the searches that may want this event: those with a passed `any` test, and those with an `all`
   * rule none of whose tests failed. A value that is not one string or number passes all of its field's tests
   * (the searches decide); a test that throws hands the event to its search whatever its other tests say:
   * the search's own error is the one to report.
   */
  maskOf(event: Row, prefix: string | undefined, clientSlot: number, uriPathSlot: number, pathSlot: number): number {
    return (this.code ??= this.generate())(event, prefix, clientSlot, uriPathSlot, pathSlot);
  }

  /** Makes maskOf's code now. */
  seal(): void { this.code ??= this.generate(); }

  /** maskOf's code for the fields as they are now: made again after a rule is added. */
  private code: ((event: Row, prefix: string | undefined, cs: number, us: number, ps: number) => number) | undefined;

  /**
   * maskOf generated for these fields, each read at a site of its own under its name written in: one site
   * reading five fields by a variable name was a keyed load that met five names on every event.
   */
  private generate(): (event: Row, prefix: string | undefined, cs: number, us: number, ps: number) => number {
    const q = JSON.stringify;
    const parts = this.fields.map((f, i) => {
      const every = f.tests.reduce((m, t) => m | t.bit, 0);
      // A slotted field's value in its slot: the slot's mask when the slot holds this value's.
      const slot = f.slotKey === undefined ? undefined : SLOTTED[f.field]!.name;
      return `
      v = ${f.field === PREFIX_FIELD ? 'prefix' : `event[${q(f.field)}]`};
      if (typeof v !== 'string' && typeof v !== 'number') m = ${every};
      else if (v === f${i}.last) m = f${i}.lastMask;
      ${slot ? `else if (${slot} >= 0 && f${i}.slotKey[${slot}] === v) { m = f${i}.slotMask[${slot}]; f${i}.last = v; f${i}.lastMask = m; }` : ''}
      else {
        m = f${i}.masks.get(v);
        if (m === undefined) m = learn(f${i}, v);
        f${i}.last = v;
        f${i}.lastMask = m;
        ${slot ? `if (${slot} >= 0) { f${i}.slotKey[${slot}] = v; f${i}.slotMask[${slot}] = m; }` : ''}
      }
      any |= m & ${~f.allBits};
      all &= m | ${~f.allBits};
      ${f.exactBits !== 0 ? `if (typeof v === 'string') sure |= m & ${f.exactBits};` : ''}
      if (f${i}.threw !== undefined) threw |= f${i}.threw.get(v) ?? 0;`;
    });
    const make = generated<(side: Side, learn: (f: FieldTests, v: string | number) => number, ...f: FieldTests[]) => (event: Row, prefix: string | undefined, cs: number, us: number, ps: number) => number>(
      ['side', 'learn', ...this.fields.map((_, i) => `f${i}`)],
      `return (event, prefix, cs, us, ps) => {
      let any = ${this.always}, all = ${this.allBits}, threw = 0, sure = 0, v, m;${parts.join('')}
      const mask = any | all | threw;
      side.sure = sure & mask & ~threw;
      return mask;
    };`);
    return make(this, (f, v) => this.learn(f, v), ...this.fields);
  }

  /** The mask of a value not seen (or forgotten), remembered. */
  private learn(f: FieldTests, v: string | number): number {
    if (f.masks.size >= MEMO_VALUES) {
      // Forgotten everywhere at once: a value's `threw` bits are learnt again only with its mask.
      f.masks = new Map(); f.threw = undefined; f.last = undefined; f.slotKey?.fill(undefined);
    }
    let m = 0, failed = 0;
    const row: Row = { [f.field]: v };
    for (const t of f.tests) {
      let pass: boolean;
      try { pass = t.test(row); } catch {
        pass = true;
        if (!f.threw) f.threw = new Map();
        f.threw.set(v, (f.threw.get(v) ?? 0) | t.bit);
      }
      if (pass) m |= t.bit;
      else failed |= t.bit;
    }
    // An `all` search with two tests on this field needs both.
    m &= ~(failed & f.allBits);
    f.masks.set(v, m);
    return m;
  }
}

export class FieldDispatch {
  private readonly gin = new Side();
  private readonly plain = new Side();
  private readonly prefixed = new Side();
  private bits = 0;

  get size(): number { return this.bits; }

  /**
   * The bit of a search that only gin events passing `gin`, plain gin lines passing `plain` and plain gin
   * lines behind a prefix passing `prefixed` can pass (undefined: every such event); 0 when it has none, or
   * no bit is left.
   */
  add(gin: DispatchRule | undefined, plain: DispatchRule | undefined = gin, prefixed: DispatchRule | undefined = gin): number {
    if (this.bits >= BITS || (!gin && !plain && !prefixed)) return 0;
    const bit = 1 << this.bits++;
    this.gin.add(bit, gin);
    this.plain.add(bit, plain);
    this.prefixed.add(bit, prefixed);
    return bit;
  }

  /** Makes maskOf's code now (inside reusingCode, so that a scan thread's next range reuses it). */
  seal(): void {
    this.gin.seal();
    this.plain.seal();
    this.prefixed.seal();
  }

  /**
   * The bits of the searches that may want this gin event (`plain`: a plain gin line; `prefix`: the prefix
   * in front of a plain gin line, LineParser.ginPrefix; `clientSlot`, `uriPathSlot` and `pathSlot`: where the
   * byte reader keeps its src, uri_path and url, LineParser.ginClientSlot, ginUriPathSlot and ginPathSlot; -1:
   * nowhere). Afterwards `sure` holds those of its bits whose
   * search's leading search the event passes for certain: an exact test passed on a string value, no test
   * threw, and (for an `all` rule) every test passed.
   */
  maskOf(event: Row, plain = false, prefix?: string, clientSlot = -1, uriPathSlot = -1, pathSlot = -1): number {
    const side = plain ? this.plain : prefix !== undefined ? this.prefixed : this.gin;
    const mask = side.maskOf(event, prefix, clientSlot, uriPathSlot, pathSlot);
    this.sure = side.sure;
    return mask;
  }

  /** See maskOf. */
  sure = 0;
}
