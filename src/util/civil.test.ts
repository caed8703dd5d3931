import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utcMs } from './civil.js';

const same = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0) =>
  assert.equal(utcMs(y, mo, d, h, mi, s, ms), Date.UTC(y, mo - 1, d, h, mi, s, ms), `${y}-${mo}-${d} ${h}:${mi}:${s}.${ms}`);

test('utcMs is Date.UTC: leap years, month ends, the epoch, the ends of the fast range', () => {
  for (const y of [100, 399, 400, 1600, 1899, 1900, 1969, 1970, 1999, 2000, 2024, 2025, 2100, 2400, 9999])
    for (let mo = 1; mo <= 12; mo++) for (const d of [1, 28, 29, 30, 31]) same(y, mo, d, 23, 59, 59, 999);
  same(1970, 1, 1, 0, 0, 0);
  same(1969, 12, 31, 23, 59, 59);
});

test('utcMs rolls out-of-range days and times over as Date.UTC does', () => {
  for (const [d, h, mi, s, ms] of [[0, 0, 0, 0, 0], [32, 0, 0, 0, 0], [-5, 0, 0, 0, 0], [31, 24, 0, 0, 0], [1, 0, 60, 60, 1000], [1, -1, -1, -1, -1], [400, 99, 99, 99, 9999]])
    for (const mo of [1, 2, 3, 12]) same(2024, mo, d!, h!, mi!, s!, ms);
});

test('utcMs leaves what the arithmetic does not cover to Date.UTC (years 0-99 are 1900-1999 there)', () => {
  same(0, 1, 1, 0, 0, 0);
  same(99, 12, 31, 0, 0, 0);
  same(25, 6, 1, 0, 0, 0);
  same(10000, 1, 1, 0, 0, 0);
  same(275761, 1, 1, 0, 0, 0); // NaN: beyond Date's range
  same(2025, 0, 1, 0, 0, 0);
  same(2025, 13, 1, 0, 0, 0);
  same(2025, 6, 1, 0, 0, 1.5);
  same(2025, 6, 1.5, 0, 0, 0);
  same(2025, 6, 1, 0, 0, 0, 0.25);
  assert.ok(Number.isNaN(utcMs(NaN, 1, 1, 0, 0, 0)));
  same(9999, 12, 2_000_000_000, 0, 0, 0); // rolled past Date's range: NaN
  same(100, 1, -2_000_000_000, 0, 0, 0);
});

test('utcMs agrees with Date.UTC on random calendar times', () => {
  let seed = 12345;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (let i = 0; i < 200000; i++) same(100 + rnd(9900), 1 + rnd(12), rnd(33), rnd(25), rnd(61), rnd(61), rnd(1000));
});
