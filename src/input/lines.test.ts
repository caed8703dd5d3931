import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter } from './lines.js';
import { Rng } from '../sim/rng.js';

type Line = [string, boolean];

/** The contract, written the slow way: split the bytes at newlines, cut each line at maxBytes, decode it alone. */
function reference(bytes: Buffer, maxBytes: number): Line[] {
  const out: Line[] = [];
  let s = 0;
  while (s < bytes.length) {
    let nl = bytes.indexOf(10, s);
    if (nl < 0) nl = bytes.length;
    let line = bytes.subarray(s, nl);
    const truncated = line.length > maxBytes;
    if (truncated) line = line.subarray(0, maxBytes);
    else if (line.length > 0 && line[line.length - 1] === 13) line = line.subarray(0, line.length - 1);
    out.push([line.toString('utf8'), truncated]);
    s = nl + 1;
  }
  return out;
}

function split(bytes: Buffer, maxBytes: number, chunkSizes: () => number): Line[] {
  const out: Line[] = [];
  let expectNo = 1;
  const sp = new LineSplitter((line, no, truncated) => {
    assert.equal(no, expectNo++);
    out.push([line, truncated]);
  }, maxBytes);
  // One buffer overwritten for every chunk, as a stream may reuse its buffer: the splitter must copy what it keeps.
  const scratch = Buffer.alloc(bytes.length);
  for (let s = 0; s < bytes.length;) {
    const n = Math.min(Math.max(1, chunkSizes()), bytes.length - s);
    bytes.copy(scratch, 0, s, s + n);
    sp.push(scratch.subarray(0, n));
    scratch.fill(0x2a, 0, n);
    s += n;
  }
  sp.end();
  return out;
}

const PIECES = [
  Buffer.from('[GIN] 2025/06/01 - 13:59:02 | 200 | 58.661µs | 10.0.5.23 | GET "/api/tags"'),
  Buffer.from('é😀'), Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xe2, 0x82]), Buffer.from('\r'),
  Buffer.from('time=2025-06-01T13:59:02Z level=INFO msg="x"'), Buffer.from('a'),
];

function randomLog(r: () => number, lines: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < lines; i++) {
    const long = r() < 0.02;
    let len = 0;
    const target = long ? 3000 + Math.floor(r() * 12000) : Math.floor(r() * 200);
    while (len < target) { const p = PIECES[Math.floor(r() * PIECES.length)]!; parts.push(p); len += p.length; }
    if (r() < 0.1) parts.push(Buffer.from('\r'));
    parts.push(Buffer.from('\n'));
  }
  if (r() < 0.5) parts.push(Buffer.from('last line without a newline é'));
  return Buffer.concat(parts);
}

test('lines: same result as splitting and decoding line by line, for any chunking and truncation limit', () => {
  for (let seed = 1; seed <= 30; seed++) {
    const g = new Rng(seed);
    const r = () => g.next();
    const bytes = randomLog(r, 300);
    for (const maxBytes of [10000, 4096, 100, 3]) {
      const sizes = [() => 65536, () => 1 + Math.floor(r() * 7), () => 1 + Math.floor(r() * 9000)];
      const want = reference(bytes, maxBytes);
      for (const size of sizes) assert.deepEqual(split(bytes, maxBytes, size), want, `seed ${seed}, maxBytes ${maxBytes}`);
    }
  }
});

test('lines: empty lines, CRLF, bad UTF-8 and a line cut inside a character', () => {
  const bytes = Buffer.concat([Buffer.from('\n\r\nabc\r\n'), Buffer.from([0x61, 0xff, 0x62, 0x0a]), Buffer.from('ééé\n')]);
  assert.deepEqual(split(bytes, 10000, () => 65536), [['', false], ['', false], ['abc', false], ['a\ufffdb', false], ['ééé', false]]);
  // 'é' is two bytes: a 5-byte limit cuts the third one in half.
  assert.deepEqual(split(Buffer.from('ééé\n'), 5, () => 65536), [['éé\ufffd', true]]);
});
