import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupIndex } from './group-index.js';

test('group index: one group per combination of key strings, 5 and "5" alike; delete prunes empty levels', () => {
  const idx = new GroupIndex<{ id: number }>(3);
  let made = 0;
  const find = (...k: Array<string | number>) => idx.find(k, () => ({ id: ++made }));
  const a = find(300, 'x', 'h');
  assert.equal(find('300', 'x', 'h'), a);
  const b = find(300, 'y', 'h');
  assert.notEqual(b, a);
  assert.notEqual(find(600, 'x', 'h'), a);
  // "a\u0000b" + "c" and "a" + "b\u0000c" were one joined key once; levels keep them apart.
  assert.notEqual(find('a\u0000b', 'c', 'h'), find('a', 'b\u0000c', 'h'));
  idx.delete([300, 'x', 'h']); // by-values as find takes them: 300 is the key "300"
  assert.equal(find(300, 'y', 'h'), b, 'a sibling survives');
  const again = find(300, 'x', 'h');
  assert.notEqual(again, a, 'a deleted group is made afresh');
  idx.delete(['300', 'x', 'h']); idx.delete(['300', 'y', 'h']);
  idx.delete(['nope', 'x', 'h']);
  const root = (idx as unknown as { root: Map<string, unknown> }).root;
  assert.equal(root.has('300'), false, 'empty levels are pruned');
  // The first level's last map is remembered: after a delete it must not be used, or this group is lost.
  const c = find(300, 'x', 'h');
  assert.equal(root.has('300'), true, 'a pruned first level is made again');
  assert.equal(find('300', 'x', 'h'), c);
  assert.equal(find(300, 'x', 'h'), c);
});
