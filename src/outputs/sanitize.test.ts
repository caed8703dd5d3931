// safeJson: JSON.stringify's text with every character a terminal or browser could be fooled by written as a
// \u escape; plain ASCII text comes back as JSON.stringify gives it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeJson } from './sanitize.js';

const UNSAFE = ['\x7f', '\x85', '\x9f', '\u2028', '\u2029', '\u202a', '\u202e', '\u2066', '\u2069', '\u200e', '\u200f', '\u061c'];

test('safeJson escapes DEL, C1 controls, line separators and bidi controls, and keeps the rest', () => {
  for (const c of UNSAFE) {
    const text = safeJson({ a: `x${c}y`, b: [c] });
    for (const u of UNSAFE) assert.ok(!text.includes(u), `${JSON.stringify(c)} left raw`);
    assert.deepEqual(JSON.parse(text), { a: `x${c}y`, b: [c] });
    assert.ok(text.includes(`\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  }
  // Safe text outside ASCII, and an unsafe character beside it, are each what they should be.
  assert.equal(safeJson({ s: 'µs é 日本 😀' }), JSON.stringify({ s: 'µs é 日本 😀' }));
  assert.equal(safeJson({ s: 'µs\u202e' }), '{"s":"µs\\u202e"}');
  // ASCII, C0 controls (escaped by JSON.stringify itself) and a lone surrogate: JSON.stringify's own text.
  for (const v of [{ s: 'plain "q" \\ \n\t\x01\x1b' }, ['\ud800', 1, null], 'x', 5, { nested: { deep: ['a', { b: 'c' }] } }]) {
    assert.equal(safeJson(v), JSON.stringify(v));
    assert.equal(safeJson(v, 2), JSON.stringify(v, null, 2));
  }
});
