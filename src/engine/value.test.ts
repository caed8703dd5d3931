import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asNumber, looksNumeric, NUMERIC } from './value.js';

test('looksNumeric agrees with the numeric-looking pattern on edge cases and on random strings', () => {
  const cases = ['', '0', '-1', '+1', '1.', '.5', '.', '+', '-.', '1e5', '1E+5', '1e', '1e-', 'e5', '1.5e-3', '1..2', '12a', 'a12',
    '0x10', '1_000', '١٢', '1 ', ' 1', 'Infinity', 'NaN', '--1', '+-1', '5.e3', '.e3', '1.2.3', '007', '1e5.5'];
  for (const c of cases) assert.equal(looksNumeric(c), NUMERIC.test(c), JSON.stringify(c));
  const alphabet = '0123456789+-.eE x';
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (let k = 0; k < 20000; k++) {
    let s = '';
    for (let len = rnd(7); len > 0; len--) s += alphabet[rnd(alphabet.length)];
    assert.equal(looksNumeric(s), NUMERIC.test(s), JSON.stringify(s));
  }
});

test('asNumber trims whitespace (including Unicode spaces) before deciding, and keeps numbers as they are', () => {
  assert.equal(asNumber(' 42 '), 42);
  assert.equal(asNumber('\u00a042\u3000'), 42);
  assert.equal(asNumber('\t-1.5e2\n'), -150);
  assert.equal(asNumber('1.234ms'), undefined);
  assert.equal(asNumber('12'), 12);
  assert.equal(asNumber(NaN), undefined);
  assert.equal(asNumber(['7']), 7);
  assert.equal(asNumber(['7', '8']), undefined);
  assert.equal(asNumber('9'.repeat(65)), undefined);
});
