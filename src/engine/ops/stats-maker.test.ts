// A stats group as code generated per stats makes it (groupMaker): one array, its by-values, then each
// aggregate's slots at its offset, then the order it was made in; emptied and filled again for a new group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupMaker } from './stats-kernel.js';
import type { SlotAccumulator } from '../../spl/stats-functions.js';

/** A slot of `size` that its init marks with `mark`, so that where it sits can be seen. */
const marked = (size: number, mark: string): SlotAccumulator => ({
  size,
  init: (s, at) => { for (let i = 0; i < size; i++) s[at + i] = `${mark}${i}`; },
  add: () => {},
  result: () => undefined,
});

test('stats group: by-values, then each slot at its offset, then the order made; refilled the same way, emptied between', () => {
  for (const width of [0, 1, 3]) {
    const slots = [marked(1, 'a'), marked(3, 'b'), marked(2, 'c')];
    const offsets = [width, width + 1, width + 4];
    const size = width + 6;
    const { make, release } = groupMaker<unknown[]>(width, slots, offsets, size);
    const values = ['t', 'src', 'host'].slice(0, width);
    const slotsAt = ['a0', 'b0', 'b1', 'b2', 'c0', 'c1'];
    const g = make(values, 7, undefined);
    assert.deepEqual(g, [...values, ...slotsAt, 7], `width ${width}: made`);
    release(g);
    assert.deepEqual(g, [...Array.from({ length: size }, () => undefined), 7], `width ${width}: emptied (the order is overwritten when refilled)`);
    const others = ['u', 'other', 'h2'].slice(0, width);
    const again = make(others, 12, g);
    assert.equal(again, g, 'a spare group is filled again, not copied');
    assert.deepEqual(again, [...others, ...slotsAt, 12], `width ${width}: refilled`);
  }
});
