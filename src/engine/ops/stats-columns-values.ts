// What the columns of stats-columns.ts keep of a field's values: each distinct value of a bin numbered as a
// bit of a group's mask, what the evals computed from the field make of each, and, once the stats takes the
// bin, each aggregate of a group fed from its mask, count and sums as the events would have fed it.
import type { Scalar } from '../value.js';
import { asNumber } from '../value.js';
import type { Compiled } from '../eval-compiler.js';

/** Distinct values a field's mask has a bit for (per bin); a line with one more goes through the stage. */
export const VALUE_BITS = 31;

/** A field of the line whose distinct values go into a mask per group. */
export interface ValueField {
  name: string;
  /** Each value met in this bin, at its bit's index; `bits` finds the index. */
  values: Scalar[];
  bits: Map<Scalar, number>;
  /** The evals computed from this field (ColumnsShape.derived), and what each made of each value, at its bit. */
  readonly exprs: Compiled[];
  views: Array<Array<Scalar | undefined>>;
  /** Each value (0) and what each eval made of it (1…) as a number, NaN when none: what sum() adds. */
  nums: number[][];
  /** Per group, the bits of its values. */
  masks: Int32Array;
  /** The last value looked up and its bit (-1: none): a client's requests come in runs. */
  last: unknown;
  lastBit: number;
}

export function valueField(name: string, exprs: Compiled[], capacity: number): ValueField {
  return {
    name, values: [], bits: new Map(), exprs, views: exprs.map(() => []), nums: [[], ...exprs.map(() => [])],
    masks: new Int32Array(capacity), last: undefined, lastBit: -1,
  };
}

/**
 * The bit of a value met for the first time in this bin; -1 when the mask is full, or when an eval computed
 * from the field makes of it what the eval stage would not store as one value (a true/false, which is its
 * error, or a multivalue): the line goes to the stage, which does what it does.
 */
export function learnValue(f: ValueField, v: Scalar): number {
  if (f.values.length >= VALUE_BITS) return -1;
  const made: Array<Scalar | undefined> = [];
  for (const e of f.exprs) {
    const x = e({ [f.name]: v });
    if (typeof x === 'boolean' || Array.isArray(x)) return -1;
    made.push(x);
  }
  const bit = f.values.length;
  f.bits.set(v, bit);
  f.values.push(v);
  f.nums[0]!.push(numberOf(v));
  made.forEach((x, d) => { f.views[d]!.push(x); f.nums[d + 1]!.push(numberOf(x)); });
  return bit;
}

/** A field's values numbered afresh (the sets held keep the lists they were numbered by). */
export function forget(f: ValueField): void {
  f.values = [];
  f.views = f.exprs.map(() => []);
  f.nums = [[], ...f.exprs.map(() => [])];
  f.bits = new Map();
  f.last = undefined;
  f.lastBit = -1;
}

/** A value as sum() adds it: its number, NaN when it has none. */
function numberOf(v: Scalar | undefined): number {
  return v === undefined ? NaN : asNumber(v) ?? NaN;
}

/** A set of groups of one bin and host the columns have moved past: the arrays they were kept in. */
export interface Held {
  bin: number;
  host: Scalar | undefined;
  n: number;
  srcs: string[];
  seqs: Float64Array;
  counts: Int32Array;
  masks: Int32Array[];
  /** Per value field, the values its masks' bits stand for, and what each eval computed from it made of them. */
  values: Scalar[][];
  views: Array<Array<Array<Scalar | undefined>>>;
  /** Per sum, per group: how many numbers, and their sum in the order read. */
  sumN: Int32Array[];
  sumX: Float64Array[];
}

/**
 * What feeds one aggregate of the stage's group: its offset in the group's array; the field whose mask
 * feeds it (-1: the count) and which of that field's views (-1: its values); for a sum, its index in sumN
 * and sumX. `add` and `addTotal` are the aggregate's own (SlotAccumulator).
 */
export interface Feed {
  at: number;
  field: number;
  view: number;
  sum: number;
  add: (s: unknown[], at: number, v: Scalar, time: number) => void;
  addTotal: ((s: unknown[], at: number, n: number, total: number) => void) | undefined;
}

/** The stage's group `g` fed what group `id` of set `h` holds, for each of `feeds`. */
export function feedGroup(g: unknown[], h: Held, id: number, feeds: readonly Feed[]): void {
  for (const f of feeds) {
    if (f.field < 0) { g[f.at] = (g[f.at] as number) + h.counts[id]!; continue; }
    if (f.sum >= 0) {
      const n = h.sumN[f.sum]![id]!;
      if (n > 0) f.addTotal!(g, f.at, n, h.sumX[f.sum]![id]!);
      continue;
    }
    // A value an eval made null is one the stage's row would not have had.
    const list = f.view < 0 ? h.values[f.field]! : h.views[f.field]![f.view]!;
    for (let m = h.masks[f.field]![id]!; m !== 0; m &= m - 1) {
      const v = list[31 - Math.clz32(m & -m)];
      if (v !== undefined) f.add(g, f.at, v, h.bin);
    }
  }
}
