import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { hexDigest } from './hash.js';

test('hexDigest: the same digest by either of Node\'s ways, for text outside ASCII too', () => {
  for (const text of ['', 'abc', 'é😀\u0000x', 'x'.repeat(10_000)]) {
    for (const alg of ['md5', 'sha1', 'sha256']) {
      assert.equal(hexDigest(alg, text), hexDigest(alg, text, true), `${alg} ${text.slice(0, 10)}`);
    }
  }
  // Known values, so that both ways agreeing cannot hide a wrong encoding.
  assert.equal(hexDigest('md5', 'abc'), '900150983cd24fb0d6963f7d28e17f72');
  assert.equal(hexDigest('sha256', 'abc', true), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  // Text is hashed as UTF-8 (é is the bytes C3 A9), as createHash hashes a string.
  assert.equal(hexDigest('sha256', 'é'), createHash('sha256').update(Buffer.from([0xc3, 0xa9])).digest('hex'));
});
