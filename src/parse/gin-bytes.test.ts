// Reading a gin line from its bytes is a shortcut: the event must be exactly the one the string parser makes
// from the decoded line, or the byte reader must step aside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineParser } from './line-parser.js';
import { GinLine, parseGinBytes } from './gin-bytes.js';
import { TimeZone } from '../util/timezone.js';
import { ginLines, mangled, PADDED_GIN_LINES } from './gin-test-lines.js';

const tz = TimeZone.resolve('UTC');
const parser = () => new LineParser({ tz, defaultHost: 'box', source: 'server.log', fallbackMs: Date.UTC(2025, 0, 1) });

/**
 * Feeds the lines to two parsers, one by bytes and one by strings (so state such as the last time is compared
 * too), each line inside a larger buffer so that offsets matter; counts the lines the byte reader took.
 */
function agree(lines: Array<string | Buffer>): { taken: number } {
  const byBytes = parser(), byText = parser();
  let taken = 0;
  for (const l of lines) {
    const bytes = typeof l === 'string' ? Buffer.from(l, 'utf8') : l;
    const buf = Buffer.concat([Buffer.from('xx\n'), bytes, Buffer.from('\n[GIN] ')]);
    const s = 3, e = 3 + bytes.length;
    if (parseGinBytes(buf, s, e, new GinLine()) !== undefined) taken++;
    const text = buf.toString('utf8', s, e);
    const got = byBytes.parseBytes(buf, s, e);
    assert.deepEqual(got, byText.parse(text), JSON.stringify(text));
    // What the runner reads from the parser instead of the event.
    assert.equal(byBytes.eventTime, got._time, JSON.stringify(text));
    assert.equal(byBytes.eventIsGin, got.line_type === 'gin', JSON.stringify(text));
  }
  return { taken };
}

test('real gin lines: the byte reader takes nearly all, with the string parser\'s events', () => {
  const lines = ginLines();
  const { taken } = agree(lines);
  assert.ok(lines.length > 500, `${lines.length} lines`);
  assert.ok(taken / lines.length > 0.8, `bytes read ${taken} of ${lines.length}`);
});

test('every latency unit, method and client form the byte reader takes', () => {
  const lines: string[] = [];
  for (const lat of ['0s', '512ns', '28.205µs', '28.205μs', '28.205us', '1.193025ms', '35.684791792s', '.5s', '5.s', '123456789012345ns', '1234567890123456ns', '2m1s', '1h2m3s'])
    for (const m of ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS', 'PROPFIND', 'get', 'X'])
      for (const ip of ['127.0.0.1', '', '::1', '203.0.113.145', 'fe80::1c2a:3bff:fe4d:5e6f'])
        lines.push(`[GIN] 2025/01/02 - 15:04:05 | 200 | ${lat.padStart(13)} | ${ip.padStart(15)} | ${m.padEnd(7)}  "/api/tags?x=1"`);
  const { taken } = agree(lines);
  // Declined: two-unit and overflowing latencies (4 of 13), an 8-letter method. A client wider than 15
  // characters moves the rest of the line and is taken.
  assert.equal(taken, 9 * 9 * 5);
});

test('a stamp that differs from the last line\'s in any one byte is read again, not taken as the last one', () => {
  const stamp = '2025/01/02 - 15:04:05';
  const line = (st: string) => `[GIN] ${st} | 200 |    1.234567ms |       127.0.0.1 | GET      "/api/tags"`;
  const lines: string[] = [];
  for (let i = 0; i < stamp.length; i++) {
    for (const c of ['0', '1', '9', 'x', '/', ':', ' ']) {
      if (c === stamp[i]) continue;
      // The last line's stamp, then one differing at byte i (valid or not), then the last one again.
      lines.push(line(stamp), line(stamp.slice(0, i) + c + stamp.slice(i + 1)), line(stamp));
    }
  }
  const { taken } = agree(lines);
  assert.ok(taken > lines.length / 2, `bytes read ${taken} of ${lines.length}`);
});

test('paths: unclosed, escaped, non-ASCII, ESC, text after the quote', () => {
  const head = '[GIN] 2025/01/02 - 15:04:05 | 200 |     967.824µs |       127.0.0.1 | GET      ';
  const headAscii = '[GIN] 2025/01/02 - 15:04:05 | 200 |    1.234567ms |       127.0.0.1 | GET      ';
  const tails = ['"/api/tags', '"/a\\"b"', '"/é"', '"/a" é', '"/a" x', '"/a"\x1b[0m', '"/a\x1b[31mb"', '"/a\x00b"', '""', '"', '"/a"b"c"'];
  const lines = [...tails.map((t) => head + t), ...tails.map((t) => headAscii + t)];
  const { taken } = agree(lines);
  // Declined: the escape, the é and the ESC inside the path, with either latency.
  assert.equal(taken, 2 * (tails.length - 3));
});

test('a client or path the caches keep, met again where the line around it differs: read as the string reader reads it', () => {
  // Once a line has put a client and a path in the caches, a line whose client field or last quote frames
  // the same bytes is read without scanning them; these lines frame them with what would change the reading.
  const line = (client: string, tail: string, lat = '   1.234567ms') => `[GIN] 2025/01/02 - 15:04:05 | 200 | ${lat} | ${client} | GET      ${tail}`;
  const kept = [line('      127.0.0.1', '"/api/tags"'), line('      127.0.0.1', '"/api/tags"', '    967.824µs')];
  const variants = [
    line('      127.0.0.1', '"/api/tags"'), line('      127.0.0.1', '"/api/tags" x"'), line('      127.0.0.1', '"/api/tags""'),
    line('      127.0.0.1', '"/api/tags"é"'), line('      127.0.0.1', '"/api/tags?/api/tags"'), line('      127.0.0.1', '""/api/tags"'),
    line('      127.0.0.1', '"/api/tags'), line('      127.0.0.1', '"/api/tags" '), line('      127.0.0.1', '"/api/tags"', '    967.824µs'),
    line('     127.0.0.1 ', '"/api/tags"'), line('      127.0.0.1', '"/api/tags"').replace('127.0.0.1 |', '127.0.0.1x|'),
    line('      127.0.0.1', '"/api/tags"').replace('127.0.0.1 | GET', '127.0.0.1 |GET'), line('   127.0.0.1|  ', '"/api/tags"'),
    line('127.0.0.1.127.0.0.1', '"/api/tags"'), line('       127.0.0.', '"/api/tags"'), line('      127.0.0.1', '"/api/tag"'),
    // As long as the kept values, with what a kept value cannot hold.
    line('      127.0.0.1', '"/api/tag""'), line('      127.0.0.1', '"/api/tag?"'), line('      127.0.0.1', '"/api/ta\u00e9"'),
    line('      127.0.0.1', '"/api/ta\\""'), line('      127.0.0 1', '"/api/tags"'), line('      127.0.0|1', '"/api/tags"'),
    // ...and in the bytes a long value's slot is not chosen by (its third and fourth here).
    line('      127.0.0.1', '"/a"i/tags"'), line('      127.0.0.1', '"/a?i/tags"'), line('      127.0.0.1', '"/a\u00e9/tags"'),
    line('      12 .0.0.1', '"/api/tags"'), line('      12|.0.0.1', '"/api/tags"'),
  ];
  const lines = [...kept, ...variants, ...kept, ...variants];
  const { taken } = agree(lines);
  // Declined, either time: the é after the path and in it (two), the escape, a client field without its
  // padding or bar (three) or with a space or bar inside (four).
  assert.equal(taken, lines.length - 2 * 11);
});

test('invalid UTF-8 and stray bytes: the byte reader steps aside or agrees', () => {
  const base = Buffer.from(PADDED_GIN_LINES[0]!, 'utf8');
  const micro = Buffer.from(PADDED_GIN_LINES[1]!, 'utf8');
  const wide = Buffer.from(PADDED_GIN_LINES[6]!, 'utf8');
  const lines: Buffer[] = [];
  for (const b of [base, micro, wide]) {
    for (let i = 0; i < b.length; i++) {
      for (const x of [0x80, 0xc2, 0xb5, 0xce, 0xff, 0x1b, 0x5c, 0x22, 0x7c, 0x20, 0x09, 0x00, 0x39]) {
        const c = Buffer.from(b); c[i] = x; lines.push(c);
      }
      lines.push(Buffer.concat([b.subarray(0, i), b.subarray(i + 1)]));
    }
    lines.push(Buffer.concat([b, Buffer.from([0xe2, 0x82])])); // a truncated character after the quote
  }
  agree(lines);
});

test('mangled padded lines: the byte reader steps aside or agrees', () => {
  const lines = PADDED_GIN_LINES.flatMap(mangled);
  const { taken } = agree(lines);
  assert.ok(taken > 100 && taken < lines.length / 2, `${taken} of ${lines.length}`);
});

test('random byte changes to real lines: the byte reader steps aside or agrees', () => {
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
  const real = ginLines().slice(0, 400).map((l) => Buffer.from(l, 'utf8'));
  const palette = [0x20, 0x7c, 0x22, 0x5c, 0x1b, 0x09, 0x30, 0x39, 0x2e, 0x73, 0x6d, 0xc2, 0xb5, 0xff, 0x41, 0x3f];
  const lines: Buffer[] = [];
  for (let k = 0; k < 20000; k++) {
    const c = Buffer.from(real[rnd(real.length)]!);
    for (let j = 1 + rnd(3); j > 0; j--) c[rnd(Math.min(c.length, 100))] = palette[rnd(palette.length)]!;
    lines.push(c);
  }
  const { taken } = agree(lines);
  assert.ok(taken > 1000, `${taken} taken`);
});

test('gin lines behind prefixes: the prefix read as text once per run of equal prefixes, the line from its bytes', () => {
  // journald short-iso and short (English and not), docker --timestamps, Docker Desktop, compose, two of them
  // at once, a stray quote, a JSON wrapper, and prefixes that only look like one (a host holding `[GIN] `).
  const prefixes = [
    '2025-01-02T15:04:05+0000 gpu-box ollama[812]: ', '2025-01-02T15:04:05+0000 gpu-box ollama[813]: ', '2025-01-02T15:04:05+0100 other ollama: ',
    'Jan 02 15:04:05 gpu-box ollama[812]: ', 'Jan  2 15:04:05 gpu-box ollama[812]: ', 'Mär 02 15:04:05 gpu ollama[1]: ',
    '2025-01-02T15:04:05.123456789Z ', '2025-01-02 15:04:05 ', 'ollama-1  | ', '2025-01-02T15:04:05.5Z ollama  | ',
    '"2025-01-02T15:04:05+0000 gpu ollama[1]: ', '{"level":30,"msg":"', 'gpu [GIN] ollama[1]: ', '2025-01-02T15:04:05+0000 [GIN] x[1]: ',
    'Jan 02 15:04:05 gpu-box ollama[812]:', 'not a prefix ', 'x'.repeat(190) + ' ', '2025-01-02T15:04:05+0000 h\u00e9te ollama[2]: ',
  ];
  const gins = [...PADDED_GIN_LINES, ...ginLines().slice(0, 300)];
  const lines: string[] = [];
  for (const p of prefixes) for (const g of gins) lines.push(p + g);
  // Runs of one prefix (the bytes compared, not read again) and prefixes that change line by line.
  for (let i = 0; i < gins.length; i++) lines.push(prefixes[i % prefixes.length]! + gins[i]!, prefixes[i % 3]! + gins[i]!);
  for (const l of PADDED_GIN_LINES.slice(0, 2)) for (const m of mangled(prefixes[0]! + l)) lines.push(m);
  // A line that repeats the last prefix's bytes but not the mark after them, or is too short to hold it, is
  // looked through as any other; so is one that repeats it with a mark earlier in its place.
  for (const p of prefixes.slice(0, 4)) {
    const g = PADDED_GIN_LINES[0]!;
    lines.push(p + g, p + 'time=2025-01-02T15:04:05.000Z level=INFO msg=x', p + g, p.slice(0, -1), p + g, p + '[GIN', p + g, `${p}[GIN] ${p}${g}`, p + g, p + ' ' + g);
  }
  agree(lines);
  // The host is the prefix's, unless --host names one.
  const b = Buffer.from(prefixes[0]! + PADDED_GIN_LINES[0]!);
  assert.equal(parser().parseBytes(b, 0, b.length).host, 'gpu-box');
  const named = new LineParser({ tz, host: 'named', defaultHost: 'box', source: 's', fallbackMs: 0 });
  assert.equal(named.parseBytes(b, 0, b.length).host, 'named');
});
