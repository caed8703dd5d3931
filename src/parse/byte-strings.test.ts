import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteStringCache } from './byte-strings.js';

test('a repeated value comes back as the text of its bytes, and values that share a slot never mix', () => {
  // Two slots: values of one length must share them. Widths in whole words and not (the kept bytes are read four at a time).
  for (const width of [12, 15]) mixNever(new ByteStringCache(2, width));
});

function mixNever(cache: ByteStringCache): void {
  // Values of one length that differ in one byte, in every word of four and in the bytes after the last.
  const buf = Buffer.from('xx/api/tags|/api/ps|/api/tags|/api/tbgs|/bpi/tags|/api/tagt|10.0.0.1|10.0.0.2|10.0.0.3|10.0.0.4|10.1.0.4|11.0.0.4|/a-very-long-path|', 'latin1');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const words: Array<[number, number]> = [];
  let a = 2;
  for (let i = a; i < buf.length; i++) if (buf[i] === 124) { words.push([a, i]); a = i + 1; }
  let seed = 1;
  for (let k = 0; k < 5000; k++) {
    seed = (seed * 48271) % 2147483647;
    const [s, e] = words[seed % words.length]!;
    // With and without a view of the bytes (compared four at a time, or one at a time).
    assert.equal(cache.get(buf, s, e, k % 3 === 0 ? undefined : view), buf.toString('latin1', s, e));
  }
  assert.equal(cache.get(buf, 2, 2), '');
}

test('the same bytes at another place give the kept string', () => {
  const cache = new ByteStringCache(1024, 16);
  const a = Buffer.from('  127.0.0.1 ', 'latin1');
  const b = Buffer.from('127.0.0.1', 'latin1');
  const first = cache.get(a, 2, 11);
  assert.equal(first, '127.0.0.1');
  assert.equal(cache.get(b, 0, 9), first);
  a.fill(0x41); // the kept bytes are a copy: the stream may reuse its buffer
  assert.equal(cache.get(b, 0, 9), '127.0.0.1');
  assert.throws(() => new ByteStringCache(1000, 8), /power of two/);
});
