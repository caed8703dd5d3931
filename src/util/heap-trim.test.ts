import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canTrim, trimHeap } from './heap-trim.js';

test('trimHeap collects once the heap has grown past its slack', () => {
  assert.equal(canTrim, true, 'gc() is reachable through a new context');
  trimHeap();
  let junk: unknown[] | undefined = Array.from({ length: 400_000 }, (_, i) => ({ i, s: `row ${i}` }));
  const held = process.memoryUsage().heapUsed;
  junk = undefined;
  trimHeap();
  assert.equal(junk, undefined);
  // 400,000 small objects are well past 32 MB of slack: the collection leaves far less than was held.
  assert.ok(process.memoryUsage().heapUsed < held - 16 * 2 ** 20, `heap still ${process.memoryUsage().heapUsed} after ${held}`);
});
