// A group's row, made by code generated per stats (rowMaker), against the rule it follows written as a loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rowMaker } from './stats-kernel.js';
import type { SlotAccumulator } from '../../spl/stats-functions.js';
import type { Row, Value } from '../value.js';
import { Rng } from '../../sim/rng.js';

/** A slot that answers what its group holds at its offset (undefined: no result). */
const slot = (size: number): SlotAccumulator => ({ size, init: () => {}, add: () => {}, result: (s, at) => s[at] as Value | undefined });

/** The rule: by-fields in order, then each aggregate's result under its name when it has one; a later name replaces an earlier in place. */
function reference(by: string[], names: string[], offsets: number[], aggs: number[], g: unknown[]): Row {
  const out: Row = {};
  for (let i = 0; i < by.length; i++) out[by[i]!] = g[i] as Value;
  for (const a of aggs) {
    const v = g[offsets[a]!] as Value | undefined;
    if (v !== undefined) out[names[a]!] = v;
  }
  return out;
}

test('a group\'s row: by-fields, then results in order, absent without one, a name given twice (or a by-field\'s) replaced in its place', () => {
  const r = new Rng(11);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r.next() * xs.length)]!;
  const NAMES = ['count', 'c', 'src', '_time', 'x y', 'values(path)', '0', '__proto__', 'toString'];
  for (let k = 0; k < 400; k++) {
    const by = Array.from({ length: Math.floor(r.next() * 4) }, () => pick(NAMES.slice(1, 5)));
    const n = 1 + Math.floor(r.next() * 5);
    const names = Array.from({ length: n }, () => pick(NAMES));
    const sizes = names.map(() => 1 + Math.floor(r.next() * 2));
    const slots = sizes.map(slot);
    const offsets: number[] = [];
    // A group's array: its by-values, then the slots (offsets count from after the by-values), then its order.
    let at = by.length;
    for (const s of sizes) { offsets.push(at); at += s; }
    const aggs = names.map((_, i) => i).filter(() => r.next() < 0.7);
    const make = rowMaker(by, names, slots, offsets, aggs);
    for (let j = 0; j < 5; j++) {
      const g = [
        ...by.map(() => pick(['a', 5, 1749000000, ['m', 'n']])),
        ...Array.from({ length: at - by.length }, () => pick([undefined, 0, 2.5, 'v', ['p', 'q'], undefined])),
        0,
      ];
      const want = reference(by, names, offsets, aggs, g);
      const got = make(g);
      // The same fields in the same order (JSON keeps the order), and the same prototype.
      assert.equal(JSON.stringify(got), JSON.stringify(want), JSON.stringify({ by, names, aggs }));
      assert.deepEqual(Object.getPrototypeOf(got), Object.getPrototypeOf(want));
      assert.deepEqual(got, want);
    }
  }
});
