import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generated, reusingCode } from './generated-code.js';

type F = (x: number) => number;

test('generated code: a compile reuses the last compile\'s functions, the n-th of a text for its n-th use', () => {
  const compile = () => [generated<F>(['x'], 'return x + 1;'), generated<F>(['x'], 'return x + 1;'), generated<F>(['x'], 'return x * 2;')];
  const first = reusingCode(compile);
  const second = reusingCode(compile);
  assert.deepEqual(first.map((f) => f(3)), [4, 4, 6]);
  assert.notEqual(first[0], first[1], 'two uses of one text in a compile get code of their own');
  assert.deepEqual(second, first, 'the next compile gets the same functions, in the same places');
  // Texts differing only in their parameters are different code.
  assert.notEqual(reusingCode(() => generated<F>(['y'], 'return x + 1;')), first[0]);
});

test('generated code: outside a compile every function is new', () => {
  const a = generated<F>(['x'], 'return x - 1;');
  const b = generated<F>(['x'], 'return x - 1;');
  assert.notEqual(a, b);
  assert.equal(a(1), 0);
});
