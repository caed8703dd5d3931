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

test('asNumber gives exactly the double Number() gives, on edge cases and on random decimals of every length', () => {
  const same = (s: string) => {
    const want = NUMERIC.test(s.trim()) ? Number(s.trim()) : undefined;
    const got = asNumber(s);
    assert.ok(Object.is(got, want), `${JSON.stringify(s)}: ${got} against ${want}`);
  };
  for (const c of ['0', '-0', '+0', '-0.0', '00012', '5.', '.5', '-.5', '+.5', '-', '+', '.', '1.2.3', '0.1', '0.3', '1.7976931348623157',
    '999999999999999', '9999999999999999', '123456789012345.', '1234567890.12345', '1234567890.123456', '0.000000000000001',
    '0.0000000000000001', '1e3', '1.5e-3', '55.000001', '8.310506395', '1748761172', '1748761172.123']) same(c);
  let seed = 11;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (let k = 0; k < 50000; k++) {
    let s = ['', '-', '+'][rnd(3)]!;
    const whole = rnd(12), frac = rnd(12);
    for (let i = 0; i < whole; i++) s += String(rnd(10));
    if (rnd(4) > 0) s += '.';
    for (let i = 0; i < frac; i++) s += String(rnd(10));
    same(s);
  }
});

test('asNumber says no to text that starts like a number and goes on (latencies, versions), as Number() on the pattern does', () => {
  const same = (s: string) => {
    const want = NUMERIC.test(s.trim()) ? Number(s.trim()) : undefined;
    assert.ok(Object.is(asNumber(s), want), JSON.stringify(s));
  };
  for (const c of ['115.079328ms', '967.824µs', '8.310506395s', '1m5.5s', 'POST', '/api/chat', '1e5', '1e5x', '1.5e', '1.5e+', '1.5E-2',
    '2e', 'e', '.e1', '0.6.1', '12 34', '-x', '+.', '1.2.3']) same(c);
  const alphabet = '0123456789+-.eEmsµ x';
  let seed = 3;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (let k = 0; k < 50000; k++) {
    let s = '';
    for (let len = 1 + rnd(9); len > 0; len--) s += alphabet[rnd(alphabet.length)];
    same(s);
  }
});
