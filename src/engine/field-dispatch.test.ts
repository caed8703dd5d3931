import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldDispatch } from './field-dispatch.js';
import type { SearchExpr } from '../spl/ast.js';

const span = { start: 0, end: 0 };
const eq = (value: string): SearchExpr => ({ kind: 'compare', field: 'uri_path', op: '=', value, span } as SearchExpr);

test('field dispatch: one bit per search, set for the values its condition passes', () => {
  const d = new FieldDispatch('uri_path');
  const chat = d.add(eq('/api/chat'));
  const blobs = d.add(eq('/api/blobs/*'));
  assert.deepEqual([chat, blobs], [1, 2]);
  assert.equal(d.maskOf('/api/chat'), chat);
  assert.equal(d.maskOf('/API/Chat'), chat, 'matching ignores case, as the search does');
  assert.equal(d.maskOf('/api/blobs/sha256:abc'), blobs);
  assert.equal(d.maskOf('/api/tags'), 0);
  assert.equal(d.maskOf(undefined), -1, 'an event without the field is handed to every search, which decides');
  assert.equal(d.maskOf(['/api/chat', '/x']), -1);
  // The memo starts over past its size; the answers stay the same.
  for (let i = 0; i < 5000; i++) d.maskOf(`/probe/${i}`);
  assert.equal(d.maskOf('/api/chat'), chat);
});

test('field dispatch: past 31 searches a search gets no bit and tests its events itself', () => {
  const d = new FieldDispatch('uri_path');
  const bits = Array.from({ length: 33 }, (_, i) => d.add(eq(`/p${i}`)));
  assert.equal(bits[30], 1 << 30);
  assert.deepEqual(bits.slice(31), [0, 0]);
  assert.equal(d.maskOf('/p30'), 1 << 30);
});
