// A search's part of a batch (batch-handoff.ts): which entry each event goes through, in the batch's order,
// and how many events it was handed, for each kind of search.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handoffFor, type BatchView } from './batch-handoff.js';
import { BareGinColumns } from './span-rex.js';
import type { Row } from './value.js';

// Positions 0–7: gin, plain, other, plain, gin, other, plain, other; the others want bits 1, 2 and 3.
const kinds = [1, 2, 0, 2, 1, 0, 2, 0];
function view(): BatchView {
  const batch = kinds.map((_, i): Row => ({ i }));
  const notGin = batch.filter((_, i) => kinds[i] === 0);
  return {
    batch, isGin: Uint8Array.from(kinds), sure: Int32Array.from([0, 4, 0, 0, 4, 0, 4, 0]), notGin,
    notGinAt: Int32Array.from([2, 5, 7]), otherWants: Int32Array.from([1, 2, 3]), bare: new BareGinColumns(8),
  };
}

/** Entries that record what they took (and, for a bare line's, the batch position marked for it). */
function recorder(bit: number, other: boolean, otherBit: number, ginLess = false) {
  const calls: string[] = [];
  const v = view();
  const entry = (name: string, marked = false) => (e: Row) => { calls.push(`${name}${e.i as number}${marked ? `@${v.bare.at}` : ''}`); };
  const h = handoffFor({
    gin: ginLess ? undefined : entry('gin'), plain: ginLess ? undefined : entry('plain', true),
    past: ginLess ? undefined : entry('past'), plainPast: ginLess ? undefined : entry('plainPast', true),
    push: entry('push'), bit, other, otherBit,
  });
  return { calls, v, h };
}

test('a search without gin entries takes the other events its bit wants', () => {
  const r = recorder(0, true, 2, true);
  assert.equal(r.h(r.v, new Int32Array(0), 0), 2);
  assert.deepEqual(r.calls, ['push5', 'push7']);
  const none = recorder(0, false, 0, true);
  assert.equal(none.h(none.v, new Int32Array(0), 0), 0);
  assert.deepEqual(none.calls, []);
});

test('a search without a dispatch bit takes every gin event, and the other events it wants, in order', () => {
  const r = recorder(0, true, 1);
  assert.equal(r.h(r.v, new Int32Array(0), 0), 7);
  assert.deepEqual(r.calls, ['gin0', 'plain1@1', 'push2', 'plain3@3', 'gin4', 'plain6@6', 'push7']);
  const ginOnly = recorder(0, false, 0);
  assert.equal(ginOnly.h(ginOnly.v, new Int32Array(0), 0), 5);
  assert.deepEqual(ginOnly.calls, ['gin0', 'plain1@1', 'plain3@3', 'gin4', 'plain6@6']);
});

test('a search with a dispatch bit takes its listed gin events, past its search when sure, merged with the other events', () => {
  const r = recorder(4, true, 2);
  assert.equal(r.h(r.v, Int32Array.from([0, 1, 4, 6]), 4), 6);
  assert.deepEqual(r.calls, ['gin0', 'plainPast1@1', 'past4', 'push5', 'plainPast6@6', 'push7']);
  const ginOnly = recorder(4, false, 0);
  assert.equal(ginOnly.h(ginOnly.v, Int32Array.from([1, 3, 9]), 2), 2, 'only the first n positions');
  assert.deepEqual(ginOnly.calls, ['plainPast1@1', 'plain3@3']);
});
