import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupIndex, keyOf } from './group-index.js';

/** A group: its by-values, then the number it was made as (as stats keeps its aggregates after them). */
type G = Array<string | number>;

test('group index: one group per combination of key strings, 5 and "5" alike; deleteFirst drops a first value\'s groups', () => {
  const idx = new GroupIndex<G>(3);
  let made = 0;
  const find = (...k: Array<string | number>) => idx.find(k, () => [...k, ++made]);
  const a = find(300, 'x', 'h');
  assert.equal(find('300', 'x', 'h'), a);
  const b = find(300, 'y', 'h');
  assert.notEqual(b, a);
  const c = find(600, 'x', 'h');
  assert.notEqual(c, a);
  // "a\u0000b" + "c" and "a" + "b\u0000c" were one joined key once; levels keep them apart.
  assert.notEqual(find('a\u0000b', 'c', 'h'), find('a', 'b\u0000c', 'h'));
  // The first level's last map is remembered (300's, just used): after a delete it must not be used, or these
  // groups would be found again.
  assert.equal(find(300, 'x', 'h'), a);
  idx.deleteFirst(300);
  assert.equal(find(600, 'x', 'h'), c, 'another first value keeps its groups');
  const again = find(300, 'x', 'h');
  assert.notEqual(again, a, 'a deleted group is made afresh');
  assert.notEqual(find('300', 'y', 'h'), b, 'by the key string: 300 and "300" alike');
  idx.deleteFirst('nope');
  assert.equal(find(300, 'x', 'h'), again);
});

test('group index: a group alone under its leading values sits in their slot, and is split out when a sibling comes', () => {
  const idx = new GroupIndex<G>(3);
  let made = 0;
  const find = (...k: Array<string | number>) => idx.find(k, () => [...k, ++made]);
  const a = find(300, '10.0.0.1', 'h');
  const bin = (idx as unknown as { root: Map<string, Map<string, unknown>> }).root.get('300')!;
  assert.equal(bin.get('10.0.0.1'), a, 'no one-entry map for the one host');
  const b = find(300, '10.0.0.1', 'other');
  assert.ok(bin.get('10.0.0.1') instanceof Map, 'a second host splits the slot');
  assert.equal(find(300, '10.0.0.1', 'h'), a);
  assert.equal(find(300, '10.0.0.1', 'other'), b);
});

test('group index: random finds and first-value deletes answer as a map keyed by the joined key strings', () => {
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) >>> 0; return (seed >>> 8) % n; };
  const pool: Array<string | number> = [1, '1', 2, '2.0', 2.5, 'a', 'b', 'A', '', -0, 0, NaN, 'NaN', Infinity, 'x\u0000'];
  for (const depth of [1, 2, 3, 4]) {
    const idx = new GroupIndex<G>(depth);
    const ref = new Map<string, G>();
    let made = 0;
    for (let step = 0; step < 20000; step++) {
      const values = Array.from({ length: depth }, () => pool[rnd(depth === 1 ? pool.length : 5 + rnd(pool.length - 5))]!);
      const key = values.map((v) => keyOf(v)).join('\u0001');
      if (rnd(16) === 0) {
        idx.deleteFirst(values[0]!);
        const first = keyOf(values[0]!);
        for (const k of [...ref.keys()]) if (k.split('\u0001')[0] === first) ref.delete(k);
        continue;
      }
      const g = idx.find(values, () => [...values, ++made]);
      const want = ref.get(key);
      if (want) assert.equal(g, want, `depth ${depth} step ${step}: ${key} found a different group`);
      else { assert.equal(g[depth], made, `depth ${depth} step ${step}: ${key} should be new`); ref.set(key, g); }
    }
  }
});
