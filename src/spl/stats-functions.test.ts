import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STATS_FUNCTIONS } from './stats-functions.js';
import { scalarToString, type Scalar } from '../engine/value.js';
import { Rng } from '../sim/rng.js';

/** values() and dc() as Splunk defines them, written the plain way: every value's string in one Set. */
function reference(seq: Scalar[]): { values: unknown; dc: number } {
  const set = new Set(seq.map(scalarToString));
  const sorted = [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { values: sorted.length === 0 ? undefined : sorted.length === 1 ? sorted[0] : sorted, dc: set.size };
}

test('values() and dc() agree with one plain Set on random runs of repeated values', () => {
  // Few distinct values in runs (as a group sees them), numbers beside their strings, and an empty string.
  const pool: Scalar[] = ['GET', 'POST', 200, '200', 404, '', 'b', 'a', 1.5, '1.5', 'HEAD'];
  for (let seed = 1; seed <= 2000; seed++) {
    // Seeded, so a failure names a sequence that can be replayed.
    const r = new Rng(seed);
    const n = r.int(0, 11);
    const kinds = r.int(1, pool.length);
    const seq: Scalar[] = [];
    while (seq.length < n) {
      const v = pool[r.int(0, kinds - 1)]!;
      const run = r.int(1, 3);
      for (let k = 0; k < run && seq.length < n; k++) seq.push(v);
    }
    const values = STATS_FUNCTIONS.values!.create(true);
    const dc = STATS_FUNCTIONS.dc!.create(true);
    for (const v of seq) { values.add(v, 0); dc.add(v, 0); }
    const want = reference(seq);
    assert.deepEqual(values.result(), want.values, `seed ${seed}: ${JSON.stringify(seq)}`);
    assert.equal(dc.result(), want.dc, `seed ${seed}: ${JSON.stringify(seq)}`);
  }
});

test('values() holds one value as a plain value, and a second distinct one makes a sorted list', () => {
  const v = STATS_FUNCTIONS.values!.create(true);
  assert.equal(v.result(), undefined);
  v.add('POST', 0);
  v.add('POST', 0);
  assert.equal(v.result(), 'POST');
  v.add(5, 0);
  v.add('5', 0); // 5 and "5" are one value
  v.add('POST', 0); // the first value again, after the set was made
  assert.deepEqual(v.result(), ['5', 'POST']);
  const dc = STATS_FUNCTIONS.dc!.create(true);
  assert.equal(dc.result(), 0);
  for (const x of ['a', 'b', 'a', 'c', 'b']) dc.add(x, 0);
  assert.equal(dc.result(), 3);
});
