import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupStore, sortByValues, type StoredGroup } from './group-store.js';
import { asNumber, orderScalars, type Scalar } from '../value.js';

/** Groups here are [first by-value, 'h', seq]: the order made is at index 2. */
const bySeq = (a: StoredGroup, b: StoredGroup) => (a[2] as number) - (b[2] as number);

// The reference: every group in one list in the order made; taking those before t filters it.
test('group store: takeBefore and takeAll give the groups a plain list would, each in the order made', () => {
  const firsts: Scalar[] = [300, '300', 600, '600.0', 900, 'x', '', ' 1200 ', Number.NaN, -Infinity, 1e-7, '1e3', 0, -0, 1500];
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (const timed of [true, false]) {
    const store = new GroupStore<StoredGroup>(timed);
    let list: StoredGroup[] = [];
    for (let step = 0; step < 5000; step++) {
      const r = rnd(10);
      if (r < 7) {
        const g: StoredGroup = [firsts[rnd(firsts.length)]!, 'h', store.nextSeq()];
        store.add(g);
        list.push(g);
      } else if (r < 9 && timed) {
        const t = [0, 300, 601, 1000, 1e9, -1][rnd(6)]!;
        const want = list.filter((g) => { const n = asNumber(g[0] as Scalar); return n !== undefined && n < t; });
        list = list.filter((g) => !want.includes(g));
        const got = store.takeBefore(t).sort(bySeq);
        assert.deepEqual(got, want, `takeBefore(${t}) at step ${step}`);
      } else if (rnd(20) === 0) {
        assert.deepEqual(store.takeAll().sort(bySeq), list);
        list = [];
      }
      assert.equal(store.size, list.length);
      assert.equal(store.any() === undefined, list.length === 0);
    }
  }
});

test('group store: a bucket keeps its groups in the order made, and seq numbers only grow', () => {
  const store = new GroupStore<StoredGroup>(true);
  const a: StoredGroup = [300, store.nextSeq()];
  const b: StoredGroup = ['300.0', store.nextSeq()];
  const c: StoredGroup = [' 300', store.nextSeq()];
  store.add(a); store.add(b); store.add(c);
  assert.deepEqual(store.takeBefore(301), [a, b, c]);
  assert.ok((a[1] as number) < (b[1] as number) && (b[1] as number) < (c[1] as number));
  assert.equal(store.size, 0);
});

test('group store: sortByValues orders as orderScalars on each by-value, then the order made', () => {
  const pool: Scalar[] = [300, '300', '300.0', 5, '5', ' 5', '-0', 0, -0, 'a', 'B', 'b', '', '1e3', 1000, Infinity, '10.0.0.1', '10.0.0.2', 'İ'];
  let seed = 11;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (let round = 0; round < 300; round++) {
    const width = 1 + rnd(3);
    // Made in some other order than they are handed over (a flush takes them bucket by bucket).
    // A group: its by-values, then the order it was made in (at `width`), as a stats group with no aggregates.
    const groups: StoredGroup[] = Array.from({ length: rnd(40) }, (_, i) => [...Array.from({ length: width }, () => pool[rnd(pool.length)]!), i]);
    for (let i = groups.length - 1; i > 0; i--) { const j = rnd(i + 1); [groups[i]![width], groups[j]![width]] = [groups[j]![width], groups[i]![width]]; }
    const want = [...groups].sort((a, b) => {
      for (let j = 0; j < width; j++) { const c = orderScalars(a[j] as Scalar, b[j] as Scalar); if (c !== 0) return c; }
      return (a[width] as number) - (b[width] as number);
    });
    sortByValues(groups, width, width);
    assert.deepEqual(groups.map((g) => g[width]), want.map((g) => g[width]), `round ${round}`);
  }
});
