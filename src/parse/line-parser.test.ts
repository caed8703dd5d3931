import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { LINE_FIELDS_NOT_FROM_TEXT, LineParser } from './line-parser.js';
import { parseRfc3339, parseRfc3339Any } from './rfc3339.js';
import { cleanKey, readPairs } from './kv.js';
import { TimeZone } from '../util/timezone.js';
import { parseGoDuration, formatGinLatency } from './duration.js';
import { goQuote, readGoQuoted } from './gostring.js';

const mk = (tz = 'UTC', host?: string) => new LineParser({ tz: TimeZone.resolve(tz), defaultHost: 'box', source: 'server.log', fallbackMs: Date.UTC(2025, 0, 1), ...(host ? { host } : {}) });

test('gin line: every field, from the left', () => {
  const e = mk().parse('[GIN] 2025/01/02 - 15:04:05 | 200 |    1.234567ms |       127.0.0.1 | POST     "/api/chat"');
  assert.equal(e._time, Date.UTC(2025, 0, 2, 15, 4, 5) / 1000);
  assert.equal(e.status, 200); assert.equal(e.http_response_code, 200);
  assert.equal(e.response_time, '1.234567ms'); assert.equal(e.response_time_ms, 1.234567);
  assert.equal(e.src, '127.0.0.1'); assert.equal(e.src_ip, '127.0.0.1');
  assert.equal(e.http_method, 'POST'); assert.equal(e.uri_path, '/api/chat'); assert.equal(e.url, '/api/chat');
  assert.equal(e.uri_query, undefined);
  assert.equal(e.dest, 'box'); assert.equal(e.host, 'box');
  assert.equal(e.vendor_product, 'Ollama API Server'); assert.equal(e.app, 'ollama'); assert.equal(e.sourcetype, 'ollama:server');
});

test('gin latencies in every Go form', () => {
  const cases: Array<[string, number]> = [['0s', 0], ['512ns', 0.000512], ['28.205µs', 0.028205], ['28.205us', 0.028205], ['1.193025ms', 1.193025], ['35.684791792s', 35684.791792], ['2m1s', 121000], ['8m44s', 524000], ['30m0s', 1800000], ['1h24m39s', 5079000]];
  for (const [text, ms] of cases) {
    assert.equal(parseGoDuration(text), ms, text);
    const e = mk().parse(`[GIN] 2025/01/02 - 15:04:05 | 200 | ${text.padStart(13)} |       127.0.0.1 | GET      "/"`);
    assert.equal(e.response_time_ms, ms, text);
  }
  assert.equal(parseGoDuration('abc'), undefined);
  assert.equal(formatGinLatency(121.7e9), '2m1s');
  assert.equal(formatGinLatency(28205), '28.205µs');
});

test('gin clients: IPv6, IPv4-mapped, overflowing and empty', () => {
  for (const ip of ['::1', 'fe80::1c2a:3bff:fe4d:5e6f', '::ffff:10.1.2.3', '2001:db8::7']) {
    assert.equal(mk().parse(`[GIN] 2025/01/02 - 15:04:05 | 200 |      28.205µs | ${ip.padStart(15)} | GET      "/api/tags"`).src, ip);
  }
  const e = mk().parse('[GIN] 2025/01/02 - 15:04:05 | 200 |      28.205µs |                 | GET      "/api/tags"');
  assert.equal(e.line_type, 'gin');
  assert.equal(e.src, undefined);
});

test('gin path: Go escapes, query string, and a crafted path cannot fake client or status', () => {
  const path = '/api/tags?x=1" | 500 | 1s | 6.6.6.6 | DELETE "/level=WARN\x1b[31m';
  const line = `[GIN] 2025/01/02 - 15:04:05 | 404 |      28.205µs |     203.0.113.9 | GET      ${goQuote(path)}`;
  const e = mk().parse(line);
  assert.equal(e.status, 404); assert.equal(e.src, '203.0.113.9'); assert.equal(e.http_method, 'GET');
  assert.equal(e.url, path); assert.equal(e.uri_path, '/api/tags'); assert.equal(e.uri_query, 'x=1" | 500 | 1s | 6.6.6.6 | DELETE "/level=WARN\x1b[31m');
  assert.equal(e.level, undefined);
  assert.equal(readGoQuoted('"a\\u00e9\\x41\\"b"', 0).value, 'aéA"b');
});

test('gin with colour codes (a terminal) still parses', () => {
  const e = mk().parse('[GIN] 2025/01/02 - 15:04:05 |\x1b[97;42m 200 \x1b[0m|      28.205µs |       127.0.0.1 |\x1b[97;44m GET     \x1b[0m "/api/tags"');
  assert.equal(e.status, 200); assert.equal(e.uri_path, '/api/tags');
});

test('gin timestamps take the zone given (and DST)', () => {
  const e = mk('America/New_York').parse('[GIN] 2025/07/01 - 12:00:00 | 200 |      28.205µs |       127.0.0.1 | GET      "/"');
  assert.equal(e._time, Date.UTC(2025, 6, 1, 16, 0, 0) / 1000);
  const w = mk('America/New_York').parse('[GIN] 2025/01/01 - 12:00:00 | 200 |      28.205µs |       127.0.0.1 | GET      "/"');
  assert.equal(w._time, Date.UTC(2025, 0, 1, 17, 0, 0) / 1000);
});

test('slog line: levels, quoted values with escapes, dotted keys, source → code_source', () => {
  const e = mk().parse('time=2024-12-02T09:25:57.245Z level=INFO source=memory.go:343 msg="offload to cuda" layers.requested=-1 memory.available="[11.0 GiB]" err="Get \\"http://x\\": dial tcp" "Build Number"=2025.2');
  assert.equal(e._time, Date.UTC(2024, 11, 2, 9, 25, 57, 245) / 1000);
  assert.equal(e.level, 'INFO'); assert.equal(e.code_source, 'memory.go:343'); assert.equal(e.source, 'server.log');
  assert.equal(e.msg, 'offload to cuda'); assert.equal(e.layers_requested, '-1'); assert.equal(e.memory_available, '[11.0 GiB]');
  assert.equal(e.err, 'Get "http://x": dial tcp'); assert.equal(e.Build_Number, '2025.2');
  const d = mk().parse('time=2025-10-02T14:46:19.789-04:00 level=DEBUG-4 source=server.go:544 msg=x');
  assert.equal(d.level, 'DEBUG-4'); assert.equal(d._time, Date.UTC(2025, 9, 2, 18, 46, 19, 789) / 1000);
  const w = mk().parse('time=2024-06-13T13:05:28.941-07:00 level=DEBUG source=payload.go:71 msg="availableServers : found" file=C:\\Users\\lukas\\AppData\\cpu');
  assert.equal(w.file, 'C:\\Users\\lukas\\AppData\\cpu');
  const q = mk().parse('time=2024-06-13T13:05:28.941-07:00 level=INFO source=x.go:1 msg="C:\\\\Users\\\\me"');
  assert.equal(q.msg, 'C:\\Users\\me');
});

test('slog fields come in the order of their pairs, repeated keys as multivalues, whichever keys come first', () => {
  const fields = (line: string) => { const e = mk().parse(line); return Object.entries(e).filter(([k]) => !['_time', '_raw'].includes(k)); };
  const base = [['host', 'box'], ['source', 'server.log'], ['sourcetype', 'ollama:server'], ['line_type', 'slog'], ['dest', 'box'], ['vendor_product', 'Ollama API Server'], ['app', 'ollama']];
  const t = '2025-01-01T00:00:00.5Z';
  // slog's usual four first (made in one step), then a repeat of each and one more.
  assert.deepEqual(fields(`time=${t} level=INFO source=a.go:1 msg=x time=again level=L2 source=b.go:2 msg=y n=1`),
    [...base, ['time', [t, 'again']], ['level', ['INFO', 'L2']], ['code_source', ['a.go:1', 'b.go:2']], ['msg', ['x', 'y']], ['n', '1']]);
  // The same pairs in another order, or one missing: the fields follow the pairs.
  assert.deepEqual(fields(`level=INFO time=${t} msg=x source=a.go:1`),
    [...base, ['level', 'INFO'], ['time', t], ['msg', 'x'], ['code_source', 'a.go:1']]);
  assert.deepEqual(fields(`time=${t} level=INFO msg=x`), [...base, ['time', t], ['level', 'INFO'], ['msg', 'x']]);
  assert.equal(mk().parse(`time=${t} level=INFO source=a.go:1 msg=x time=2030-01-01T00:00:00Z`)._time, Date.UTC(2025, 0, 1, 0, 0, 0, 500) / 1000);
});

test('a line of many pairs, or of keys no line has shown: the same fields, in the same order', () => {
  // Such an event is made a dictionary before its pairs are added (addPairs); nothing of it may show.
  const t = '2025-01-01T00:00:00.5Z';
  let seed = 7;
  const fresh = () => `q${(seed = (seed * 48271) % 2147483647).toString(36)}`;
  for (const n of [2, 5, 11, 12, 13, 40]) {
    for (const keys of [Array.from({ length: n }, (_, i) => `k${i % 7}`), Array.from({ length: n }, (_, i) => (i % 6 === 5 ? 'msg' : fresh()))]) {
      const line = `time=${t} level=INFO source=a.go:1 msg=x ` + keys.map((k, i) => `${k}=${i}`).join(' ');
      const want = new Map<string, string | string[]>([['time', t], ['level', 'INFO'], ['code_source', 'a.go:1'], ['msg', 'x']]);
      keys.forEach((k, i) => { const p = want.get(k); want.set(k, p === undefined ? String(i) : Array.isArray(p) ? [...p, String(i)] : [p, String(i)]); });
      const b = Buffer.from(line);
      for (const e of [mk().parse(line), mk().parseBytes(b, 0, b.length)]) {
        assert.deepEqual(Object.entries(e).slice(9), [...want], line);
        assert.deepEqual(Object.keys(e).slice(0, 9), ['_time', '_raw', 'host', 'source', 'sourcetype', 'line_type', 'dest', 'vendor_product', 'app'], line);
        assert.equal(e._time, Date.UTC(2025, 0, 1, 0, 0, 0, 500) / 1000, line);
      }
    }
  }
});

test('slog pairs: cut out by searching, as reading every character gives them, on mangled lines', () => {
  // The reader by characters, as kv.ts read pairs before it searched for quotes, backslashes and spaces.
  const byChars = (s: string): string[] => {
    const out: string[] = [];
    let i = 0;
    const n = s.length;
    const word = () => { const a = i; while (i < n && s.charCodeAt(i) !== 32) i++; return s.slice(a, i); };
    while (i < n) {
      while (i < n && s.charCodeAt(i) === 32) i++;
      if (i >= n) break;
      let key: string;
      if (s[i] === '"') { const q = readGoQuoted(s, i); key = q.value; i = q.end; }
      else { const a = i; while (i < n && s[i] !== '=' && s[i] !== ' ') i++; key = s.slice(a, i); }
      if (s[i] !== '=') { word(); continue; }
      i++;
      let value: string;
      if (s[i] === '"') { const q = readGoQuoted(s, i); value = q.value; i = q.end; } else value = word();
      if (key.length > 0) out.push(key, value);
    }
    return out;
  };
  const base = ['time=2025-01-01T00:00:00Z level=INFO source=a.go:1 msg="a \\"quoted\\" word" err="x\\ny" n=1 "odd key"=v',
    'msg="" a="" b="\\\\" c="unterminated', 'k=v  w  x="y"z q="\\u00e9" r=\\"s\\"'];
  const pieces = ['"', '\\', ' ', '=', 'a', '\\"', '""'];
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const out: string[] = [];
  for (let k = 0; k < 20000; k++) {
    let t = base[rnd(base.length)]!;
    for (let j = rnd(4); j >= 0; j--) { const at = rnd(t.length + 1); t = t.slice(0, at) + pieces[rnd(pieces.length)] + t.slice(at + (rnd(2))); }
    assert.deepEqual(readPairs(t, 0, out), byChars(t), t);
  }
});

test('slog values cannot claim index-time fields', () => {
  const e = mk().parse('time=2025-01-01T00:00:00.000Z level=INFO source=a.go:1 msg=x host=evil sourcetype=other _raw=zzz');
  assert.equal(e.host, 'box'); assert.equal(e.sourcetype, 'ollama:server');
});

test('pair keys that name what every object inherits are fields of the event\'s own; keys starting with _ are none', () => {
  // Read from the text (parse) and from the bytes (parseBytes: slog heads from bytes, the rest from the text).
  const t = '2025-01-01T00:00:00.000Z';
  const lines = [
    `time=${t} level=INFO source=a.go:1 msg=x constructor=evil toString=x __proto__=y hasOwnProperty=z valueOf=1 _x=2 -y=3 constructor=again`,
    `level=INFO msg=x constructor=evil toString=x __proto__=y hasOwnProperty=z valueOf=1 _x=2 -y=3 constructor=again`,
    `2024/05/12 06:47:18 routes.go:1006: INFO server config constructor=evil toString=x __proto__=y hasOwnProperty=z valueOf=1 _x=2 -y=3 constructor=again`,
  ];
  for (const line of lines) {
    const b = Buffer.from(line);
    for (const e of [mk().parse(line), mk().parseBytes(b, 0, b.length)]) {
      assert.equal(Object.getPrototypeOf(e), Object.prototype, line);
      assert.deepEqual(e.constructor, ['evil', 'again'], line);
      assert.equal(e.toString, 'x', line);
      assert.equal(e.hasOwnProperty, 'z', line);
      assert.equal(e.valueOf, '1', line);
      assert.ok(!Object.hasOwn(e, '__proto__') && !('_x' in e) && !('_y' in e), line);
      assert.deepEqual(JSON.parse(JSON.stringify(e)).constructor, ['evil', 'again'], line);
    }
  }
});

test('std logger, runner, GIN-debug and panic lines', () => {
  const p = mk();
  const s = p.parse('2024/05/12 06:47:18 routes.go:1006: INFO server config env="map[OLLAMA_DEBUG:false]"');
  assert.equal(s.line_type, 'stdlog'); assert.equal(s.level, 'INFO'); assert.equal(s.msg, 'server config'); assert.equal(s.env, 'map[OLLAMA_DEBUG:false]'); assert.equal(s.code_source, 'routes.go:1006');
  assert.equal(s._time, Date.UTC(2024, 4, 12, 6, 47, 18) / 1000);
  const r = p.parse('llama_model_loader: - type  f32:  401 tensors');
  assert.equal(r.line_type, 'runner'); assert.equal(r._time, s._time);
  assert.equal(p.parse('[GIN-debug] POST   /api/pull                 --> x (5 handlers)').line_type, 'gin_debug');
  assert.equal(p.parse('panic: runtime error: makeslice: len out of range').line_type, 'panic');
  assert.equal(p.parse('goroutine 14 [running]:').line_type, 'panic');
  assert.equal(p.parse('github.com/ollama/ollama/fs/ggml.newArray[...](...)').line_type, 'panic');
  assert.equal(p.parse('\tgithub.com/ollama/ollama/fs/ggml/gguf.go:404 +0x1c').line_type, 'panic');
  const after = p.parse('time=2026-02-25T10:31:00.000Z level=INFO source=routes.go:1 msg="Listening on [::]:11434 (version 0.17.0)"');
  assert.equal(after.line_type, 'slog');
});

test('prefixes: journald (English and Chinese months), docker timestamps, compose, Docker Desktop, JSON wrapper', () => {
  const j = mk().parse('Dec 11 09:58:58 quorra ollama[1543654]: [GIN] 2024/12/11 - 09:58:58 | 500 |        29m59s |      10.0.0.123 | POST     "/api/chat"');
  assert.equal(j.host, 'quorra'); assert.equal(j.src, '10.0.0.123'); assert.equal(j.response_time_ms, 1799000);
  const c = mk().parse('2月 06 10:58:20 tm-C660-G3 ollama[1343580]: time=2025-02-06T10:58:20.665+08:00 level=INFO source=images.go:432 msg="total blobs: 5"');
  assert.equal(c.host, 'tm-C660-G3'); assert.equal(c.msg, 'total blobs: 5');
  const forced = mk('UTC', 'override').parse('Dec 11 09:58:58 quorra ollama[1]: time=2025-01-01T00:00:00Z level=INFO source=a.go:1 msg=x');
  assert.equal(forced.host, 'override');
  const d = mk().parse('2025-04-01T08:18:11.233596000Z [GIN] 2025/04/01 - 08:18:11 | 200 |      52.504µs |       127.0.0.1 | HEAD     "/"');
  assert.equal(d.http_method, 'HEAD');
  const r = mk().parse('2025-04-01T08:18:00.513604000Z llama_model_loader: - kv 1');
  assert.equal(r._time, Date.UTC(2025, 3, 1, 8, 18, 0) / 1000 + 0.513604);
  const comp = mk().parse('"ollama-intel-arc  | time=2025-06-18T00:53:55.896+08:00 level=WARN source=sched.go:647 msg="gpu VRAM usage didn\'t recover within timeout" seconds=5.26');
  assert.equal(comp.level, 'WARN'); assert.equal(comp.seconds, '5.26');
  const dd = mk().parse('2025-01-19 19:58:17 time=2025-01-19T17:58:17.608+08:00 level=ERROR source=sched.go:455 msg="error loading llama server" error="llama runner process has terminated: exit status 2"');
  assert.equal(dd.error, 'llama runner process has terminated: exit status 2');
  const js = mk().parse('{"level":50,"time":1752516972565,"pid":10104,"hostname":"Ryzen7","msg":"time=2025-07-14T19:16:12.565+01:00 level=ERROR source=server.go:449 msg=\\"llama runner terminated\\" error=\\"exit status 0xc0000409\\"\\n"}');
  assert.equal(js.msg, 'llama runner terminated'); assert.equal(js.error, 'exit status 0xc0000409');
});

test('a journald-like prefix whose month is a name every object inherits is no prefix, and no time is NaN', () => {
  const gin = '[GIN] 2025/01/02 - 15:04:05 | 200 |    1.234567ms |       127.0.0.1 | GET      "/api/tags"';
  const runner = 'llama_model_loader: - kv  0: general.name str = x';
  for (const m of ['constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'toString', 'isPrototypeOf']) {
    const p = mk();
    for (const line of [`${m} 02 15:04:05 gpu ollama[1]: ${gin}`, `${m} 02 15:04:05 gpu ollama[1]: ${runner}`]) {
      const b = Buffer.from(line);
      for (const e of [p.parse(line), p.parseBytes(b, 0, b.length)]) {
        assert.equal(e.host, 'box', line);
        assert.ok(Number.isFinite(e._time), line);
        assert.equal(Object.getPrototypeOf(e), Object.prototype, line);
      }
    }
  }
  // A real month still is one.
  assert.equal(mk().parse(`Jan 02 15:04:05 gpu ollama[1]: ${runner}`).host, 'gpu');
});

test('every line of the real-log fixture parses into the right shape', () => {
  const text = readFileSync(new URL('../../../test/fixtures/real-ollama-logs.txt', import.meta.url), 'utf8');
  const p = mk();
  let gin = 0, slog = 0;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# ')) continue;
    const e = p.parse(line);
    assert.equal(typeof e._time, 'number', line);
    assert.ok(Number.isFinite(e._time as number), line);
    assert.equal(e._raw, line);
    if (line.includes('[GIN] ')) { assert.equal(e.line_type, 'gin', line); assert.ok(e.uri_path, line); assert.ok(typeof e.status === 'number', line); gin++; }
    else if (/(^|\s|")time=\d{4}-/.test(line) && !line.startsWith('{')) { assert.equal(e.line_type, 'slog', line); assert.ok(e.level, line); slog++; }
    else if (line.startsWith('{')) { assert.equal(e.line_type, 'slog', line); }
    else if (/^\S*\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} \w+\.go:/.test(line)) assert.equal(e.line_type, 'stdlog', line);
    else if (line.includes('[GIN-debug]')) assert.equal(e.line_type, 'gin_debug', line);
    else if (/^(llama|llm|ggml)_/.test(line)) assert.equal(e.line_type, 'runner', line);
  }
  assert.ok(gin >= 40 && slog >= 40, `gin=${gin} slog=${slog}`);
});

test('hostile lines never throw', () => {
  const p = mk();
  const lines = ['', '\u0000\u0000', '[GIN] ', '[GIN] 2025/13/45 - 99:99:99 | abc', 'time=', 'time=garbage level=', '\uFFFD\uFFFD', '"'.repeat(5000),
    'time=2025-01-01T00:00:00Z msg="' + '\\'.repeat(9999), '[GIN] 2025/01/02 - 15:04:05 | 200 |      28.205µs |       127.0.0.1 | GET      "/unterminated',
    'a'.repeat(10000), 'Jan 01 00:00:00 ' + 'x'.repeat(300)];
  for (const l of lines) assert.doesNotThrow(() => p.parse(l));
});

test('slog times: the character-code reader agrees with the general one on valid and broken stamps', () => {
  const base = ['2025-10-02T14:46:19.789-04:00', '2025-06-01T00:00:01.002Z', '2024-02-29T23:59:60z', '1999-12-31T23:59:59+14:00',
    '2025-10-02T14:46:19.123456789+05:30', '2025-10-02T14:46:19Z', '0025-01-01T00:00:00Z', '2025-10-02T14:46:19.-00:00', '2025-10-02T14:46:19.99999999999999Z', '2025-10-02T14:46:19.0000000000005Z'];
  const pieces = ['0', '9', '-', '+', ':', 'T', 'Z', '.', ' ', 'x', '١', '５'];
  let seed = 5;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const cases = [...base];
  for (let k = 0; k < 20000; k++) {
    const b = base[rnd(base.length)]!;
    const i = rnd(b.length + 1);
    const op = rnd(3);
    cases.push(op === 0 ? b.slice(0, i) + pieces[rnd(pieces.length)] + b.slice(i + 1) : op === 1 ? b.slice(0, i) + b.slice(i + 1) : b.slice(0, i) + pieces[rnd(pieces.length)] + b.slice(i));
  }
  let valid = 0;
  for (const t of cases) {
    const want = parseRfc3339Any(t);
    if (want !== undefined) valid++;
    assert.equal(parseRfc3339(t), want, t);
  }
  assert.ok(valid > 3000, `${valid} valid`);
  assert.equal(parseRfc3339('2025-10-02T14:46:19.789-04:00'), Date.UTC(2025, 9, 2, 18, 46, 19, 789));
});

test('slog keys: anything but letters, digits and _ becomes _', () => {
  for (const [k, want] of [['msg', 'msg'], ['a.b', 'a_b'], ['x-y z', 'x_y_z'], ['é', '_'], ['', ''], ['A_9', 'A_9'], ['a\u0000', 'a_']])
    assert.equal(cleanKey(k), want, k);
});

test('a line other than gin: every field but LINE_FIELDS_NOT_FROM_TEXT is text of the line, when it has no escape and is ASCII', () => {
  const root = new URL('../../../', import.meta.url).pathname;
  const files = [`${root}test/fixtures/real-ollama-logs.txt`, `${root}samples/server.log`, ...readdirSync(`${root}datasets`).filter((f) => f.endsWith('.log')).map((f) => `${root}datasets/${f}`)];
  const lines = new Set<string>();
  for (const f of files) for (const l of readFileSync(f, 'utf8').split('\n')) if (!l.includes('[GIN] ')) lines.add(l);
  // Mangled slog and std-logger lines: pairs repeated, keys that need cleaning, values with spaces and quotes.
  for (const l of [...lines].slice(0, 400)) {
    lines.add(`${l} a.b=1 a.b=2 x-y="v w" "quoted key"=z trailing`);
    lines.add(l.replace(/ /g, '  '));
    lines.add(l.replace(/"/g, ''));
  }
  const notFromText = new Set<string>([...LINE_FIELDS_NOT_FROM_TEXT, '_raw']);
  const p = mk(), byBytes = mk();
  let checked = 0;
  for (const line of lines) {
    // As parsed from the text, and from the bytes (as a scan reads them).
    const b = Buffer.from(line);
    for (const e of [p.parse(line), byBytes.parseBytes(b, 0, b.length)]) {
      if (e.line_type === 'gin' || /[^\x00-\x7f]|\\/.test(line)) continue;
      for (const [k, v] of Object.entries(e)) {
        if (notFromText.has(k)) continue;
        for (const x of Array.isArray(v) ? v : [v]) {
          assert.equal(typeof x, 'string', `${k} in ${line}`);
          assert.ok(line.includes(x as string), `${k}=${JSON.stringify(x)} is not text of ${JSON.stringify(line)}`);
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 2000, `${checked} values`);
});
