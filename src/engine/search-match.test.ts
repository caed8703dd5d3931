import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lowersTo } from './search-match.js';

test('lowersTo agrees with toLowerCase() === lower, ASCII or not', () => {
  const pairs: Array<[string, string]> = [['/API/Chat', '/api/chat'], ['/api/chat', '/api/tags'], ['ABC', 'abc'], ['abc', 'ABC'.toLowerCase()],
    ['[', '{'], ['@', '`'], ['Z', 'z'], ['z', 'Z'], ['İ', 'i̇'], ['K', 'k'], ['É', 'é'], ['é', 'É'], ['ß', 'ß'], ['ÀB', 'àb'], ['aÀ', 'aà'], ['', '']];
  for (const [v, l] of pairs) if (v.length === l.length) assert.equal(lowersTo(v, l), v.toLowerCase() === l, `${v} ${l}`);
  const alphabet = 'aAzZ@[`{/_0é';
  let seed = 3;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (let k = 0; k < 20000; k++) {
    let v = '', w = '';
    const len = 1 + rnd(5);
    for (let i = 0; i < len; i++) { v += alphabet[rnd(alphabet.length)]; w += alphabet[rnd(alphabet.length)]; }
    const l = w.toLowerCase();
    if (l.length === v.length) assert.equal(lowersTo(v, l), v.toLowerCase() === l, `${v} ${l}`);
    assert.equal(lowersTo(v, v.toLowerCase()), true);
  }
});
