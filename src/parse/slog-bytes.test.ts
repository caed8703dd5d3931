// Reading a slog line's head from its bytes is a shortcut: the event must be exactly the one the string parser
// makes from the decoded line (its fields, their order, and the time later lines without one inherit), or the
// byte reader must step aside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineParser } from './line-parser.js';
import { readSlogHead, SlogHead } from './slog-bytes.js';
import { TimeZone } from '../util/timezone.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const tz = TimeZone.resolve('UTC');
const parser = () => new LineParser({ tz, defaultHost: 'box', source: 'server.log', fallbackMs: Date.UTC(2025, 0, 1) });

/** The slog lines (starting `time=`) of the real-log fixture, the sample and the datasets, each once. */
function slogLines(): string[] {
  const files = [join(ROOT, 'test', 'fixtures', 'real-ollama-logs.txt'), join(ROOT, 'samples', 'server.log'),
    ...readdirSync(join(ROOT, 'datasets')).filter((f) => f.endsWith('.log')).map((f) => join(ROOT, 'datasets', f))];
  const out = new Set<string>();
  for (const f of files) for (const l of readFileSync(f, 'utf8').split('\n')) if (l.startsWith('time=')) out.add(l);
  return [...out];
}

/**
 * Feeds the lines to two parsers, one by bytes and one by strings, each line inside a larger buffer so that
 * offsets matter, and after each a line without a time of its own (which takes the last line's); counts the
 * lines whose head the byte reader took.
 */
function agree(lines: Array<string | Buffer>): { taken: number } {
  const byBytes = parser(), byText = parser();
  const untimed = Buffer.from('llama_model_loader: - kv 0');
  let taken = 0;
  for (const l of lines) {
    const bytes = typeof l === 'string' ? Buffer.from(l, 'utf8') : l;
    const buf = Buffer.concat([Buffer.from('xx\n'), bytes, Buffer.from('\ntime=2025')]);
    const s = 3, e = 3 + bytes.length;
    if (readSlogHead(buf, s, e, new SlogHead(), new DataView(buf.buffer, buf.byteOffset, buf.byteLength))) taken++;
    const text = buf.toString('utf8', s, e);
    const got = byBytes.parseBytes(buf, s, e), want = byText.parse(text);
    assert.deepEqual(got, want, JSON.stringify(text));
    assert.deepEqual(Object.keys(got), Object.keys(want), JSON.stringify(text));
    assert.equal(byBytes.eventTime, got._time, JSON.stringify(text));
    assert.equal(byBytes.eventIsGin, got.line_type === 'gin', JSON.stringify(text));
    assert.deepEqual(byBytes.parseBytes(untimed, 0, untimed.length), byText.parse(untimed.toString()), JSON.stringify(text));
  }
  return { taken };
}

const SLOG = 'time=2025-06-01T00:00:21.449Z level=DEBUG source=cache.go:258 msg="loading cache slot" id=0 cache=2763 prompt=312 used=2442 remaining=47';

test('real and generated slog lines: the byte reader takes nearly all, with the string parser\'s events', () => {
  const lines = slogLines();
  const { taken } = agree(lines);
  assert.ok(lines.length > 200, `${lines.length} lines`);
  assert.ok(taken / lines.length > 0.8, `heads read ${taken} of ${lines.length}`);
});

test('every stamp form: the byte reader reads the plain ones as parseRfc3339 does and leaves the rest', () => {
  const stamps = ['2025-10-02T14:46:19.789-04:00', '2025-06-01T00:00:01.002Z', '2024-02-29T23:59:60z', '1999-12-31T23:59:59+14:00',
    '2025-10-02T14:46:19.123456789+05:30', '2025-10-02T14:46:19Z', '0025-01-01T00:00:00Z', '2025-10-02T14:46:19.99999999999999Z',
    '2025-10-02T14:46:19.0000000000005Z', '9999-12-31T23:59:59.9999Z', '2025-13-45T99:99:99Z',
    // Left to the string reader: not the plain form.
    '2025-10-02T14:46:19.-00:00', '2025-10-02T14:46:19.789+0400', '2025-10-02 14:46:19Z', '2025-10-02T14:46:19', '"2025-10-02T14:46:19Z"',
    '2025-10-02T14:46:19.123456789012345678Z', '2025-1-02T14:46:19Z', '2025-10-02T14:46:19.5Zx', '２０２５-10-02T14:46:19Z'];
  const lines = stamps.map((t) => `time=${t} level=INFO source=routes.go:1 msg="Listening on 127.0.0.1:11434 (version 0.5.7)"`);
  const { taken } = agree(lines);
  assert.equal(taken, 11);
});

test('slog lines changed one byte at a time, at every position of the head: taken only when read alike', () => {
  const lines: Array<string | Buffer> = [];
  // slog's own line, and one whose level and source are quoted (which the reader takes too).
  for (const line of [SLOG, SLOG.replace('level=DEBUG source=cache.go:258', 'level="DEBUG" source="cache.go:258"')]) {
    const base = Buffer.from(line);
    const head = line.indexOf(' id=') + 4;
    for (let i = 0; i < head; i++) {
      for (const c of [32, 34, 61, 92, 0x7f, 0x00, 0xc3, 0xff, 0x39, 0x5a, 0x2d, 0x3a, 0x2e, 0x78]) {
        lines.push(Buffer.concat([base.subarray(0, i), Buffer.from([c]), base.subarray(i + 1)]));
        lines.push(Buffer.concat([base.subarray(0, i), Buffer.from([c]), base.subarray(i)]));
      }
      lines.push(Buffer.concat([base.subarray(0, i), base.subarray(i + 1)]), base.subarray(0, i));
    }
  }
  lines.push(SLOG.replace('msg="loading cache slot"', 'msg=bare'), SLOG.replace('msg="loading cache slot"', 'msg="a \\"quoted\\" word"'),
    SLOG.replace('msg="loading cache slot"', 'msg="réglage"'), SLOG.replace('msg="loading cache slot"', 'msg=""'),
    SLOG.replace('msg="loading cache slot"', 'msg="loading cache slot"x=1'), SLOG.replace('level=DEBUG', 'level='),
    SLOG.replace('msg="loading cache slot"', 'msg="never closed'), SLOG + ' level=WARN time=2026-01-01T00:00:00Z source=x msg=again host=evil _time=0',
    SLOG + ' prompt="ünïcode \\u00e9"', Buffer.concat([Buffer.from(SLOG), Buffer.from(' bad=\xff\xfe', 'latin1')]), SLOG.replace('source=cache.go:258', 'source="cache.go:258"'),
    SLOG.replace(' level', '  level'), SLOG.replace('time=', 'time="') + '"', SLOG.slice(0, SLOG.indexOf(' msg=')), 'time=2025-06-01T00:00:21.449Z level=INFO');
  const { taken } = agree(lines);
  // Many single-byte changes leave a head the reader still takes (a digit for a digit, another letter in a value).
  assert.ok(taken > 200 && taken < lines.length - 200, `${taken} of ${lines.length}`);
});

test('values repeated from the cache are the bytes\' own: a value differing in one byte is read again', () => {
  const msg = 'runner with non-zero duration has gone idle, adding timer';
  const lines: string[] = [];
  for (let i = 0; i < msg.length; i++) {
    const other = msg.slice(0, i) + (msg[i] === 'x' ? 'y' : 'x') + msg.slice(i + 1);
    const source = `sched.go:${100 + i}`;
    lines.push(...[msg, other, msg].map((m) => `time=2025-06-01T00:00:21.449Z level=DEBUG source=${source} msg="${m}" duration=5m0s`));
    lines.push(`time=2025-06-01T00:00:21.449Z level=DEBUG source=${source.replace(/.$/, (d) => String((+d + 1) % 10))} msg=${msg.replace(/ /g, '_').slice(0, i + 1)}`);
  }
  const { taken } = agree(lines);
  assert.equal(taken, lines.length);
});
