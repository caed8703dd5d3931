import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fifteenDigits } from './fifteen-digits.js';
import { Rng } from '../sim/rng.js';

/** The definition: the number read back from its 15 significant digits. */
const byString = (x: number) => (Number.isInteger(x) ? x : Number(x.toPrecision(15)));

test('fifteen digits: the number toPrecision(15) reads back, for every kind of double', () => {
  const rng = new Rng(15);
  const bits = new Float64Array(1), words = new Uint32Array(bits.buffer);
  const xs: number[] = [0.1 + 0.2, 1 / 3, -2 / 3, 1e15 - 0.5, 1e-7, 9.999999999999999e-8, 0.5, -0, NaN, Infinity, -Infinity, 123456789012345.6];
  for (let i = 0; i < 60_000; i++) {
    // Any bit pattern: subnormal, huge, NaN.
    words[0] = rng.int(0, 2 ** 32 - 1); words[1] = rng.int(0, 2 ** 32 - 1); xs.push(bits[0]!);
    // What detections divide: milliseconds into seconds, fractions of a few digits, sums of decimals.
    xs.push(rng.int(0, 1e10) / 1000, rng.next() * 1000, 0.1 * rng.int(0, 1e6) + 0.2);
    // Halfway between two 15-digit numbers, where the rounding is decided by the last bits.
    const half = rng.int(1e14, 1e15 - 1) + 0.5, e = rng.int(-7, 14);
    xs.push(Number(`${half}e${e - 14}`), -Number(`${half}e${e - 14}`), half * 10 ** (e - 14));
    // Next to powers of ten, where the digits' exponent changes.
    const p = 10 ** rng.int(-8, 15);
    xs.push(p * (1 - rng.next() * 1e-14), p * (1 + rng.next() * 1e-14));
  }
  for (const x of xs) assert.ok(Object.is(fifteenDigits(x), byString(x)), `${x}: ${fifteenDigits(x)}, not ${byString(x)}`);
});
