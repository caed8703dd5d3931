// A plain gin line's terms are looked for in its client, method and path (PLAIN_GIN_SHAPE, spanTerm): held
// here to the answer the whole line gives, over real, generated, mangled and crafted lines, and to the
// dispatch alternatives (an event a search passes passes one of them); behind a prefix, in the prefix too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineParser, PLAIN_GIN_SHAPE, PREFIXED_PLAIN_GIN_SHAPE } from '../parse/line-parser.js';
import { ginLines, mangled, PADDED_GIN_LINES } from '../parse/gin-test-lines.js';
import { TimeZone } from '../util/timezone.js';
import { compileSearch } from './search-match.js';
import { PREFIX_FIELD, spanTerm } from './span-terms.js';
import { fieldAlternatives } from './search-gate.js';
import type { SearchExpr } from '../spl/ast.js';
import type { Row } from './value.js';

const spans = PLAIN_GIN_SHAPE.rawSpans;
const span = { start: 0, end: 0 };
const term = (text: string): SearchExpr => ({ kind: 'term', text, quoted: true, span });

// The built-in detections' words, and words that sit on the edges of a gin line's spans.
const TERMS = ['panic:', 'fatal error:', 'panic recovered', 'service stopped', 'terminated', 'exit', 'shutdown', 'crash',
  'killed', 'fs/ggml', 'gguf', 'CreateHandler', 'llama_kv_cache', 'compute buffer', 'requires more system memory',
  'out of memory', 'runtime OOM', '/api/generate', '/v1/chat/completions', 'api', 'chat', '/api/chat', 'post', 'GET',
  'head', 'options', 'delete', 'admin', '.env', 'v1', 'models', '127.0.0.1', '::1', '10.0', 'db8', 'x', 'é',
  // Words a fixed span may hold, or a separator, a space at an end, a wildcard: left to the whole line.
  'gin', '[gin]', 'ms', 's', 'µs', '200', '2025', '1 | post', 'post "/api', '"/api', ' exit', 'exit ', 'a*b', '*'];

/** A line in gin's padded layout. */
const gin = (client: string, method: string, path: string, latency = '1.234567ms') =>
  `[GIN] 2025/01/02 - 15:04:05 | 200 | ${latency.padStart(13)} | ${client.padStart(15)} | ${method.padEnd(7)}  "${path}"`;

/** Lines whose client, method or path hold the words, with separators and spaces around them. */
const CRAFTED = [
  gin('Panic:Exit:1', 'POST', '/api/chat'),
  gin('127.0.0.1', 'EXIT', '/api/chat'),
  gin('127.0.0.1', 'GET', '/x/panic: fatal error: y'),
  gin('127.0.0.1', 'GET', '/a|exit|b'),
  gin('127.0.0.1', 'GET', '/service stopped/ gguf '),
  gin('a"b', 'GET', '/crashed?x=crash', '967.824µs'),
  gin('EXIT.x.1', 'DELETE', '/API/Generate', '8.310506395s'),
  gin('2001:db8:8123::20', 'GET', '/v1/chat/completions?killed', '33.1µs'),
  gin('llama_kv_cache.example.com', 'HEAD', '/'),
  gin('127.0.0.1', 'POST', '/api/generate') + ' trailing exit',
];

/** Each line's event, and what the parser said of it: a plain gin line, the prefix in front of one. */
function parsed(lines: string[]): Array<{ ev: Row; plain: boolean; prefix: string | undefined }> {
  const parser = new LineParser({ tz: TimeZone.resolve('UTC'), defaultHost: 'h', source: 's', fallbackMs: 0 });
  return lines.map((line) => {
    const b = Buffer.from(line);
    const ev = parser.parseBytes(b, 0, b.length);
    return { ev, plain: parser.plainGin, prefix: parser.ginPrefix };
  });
}

test('a plain gin line: read from its bytes, its closing quote last', () => {
  const plain = (line: string) => parsed([line])[0]!.plain;
  assert.equal(plain(PADDED_GIN_LINES[0]!), true);
  assert.equal(plain('[GIN] 2025/01/02 - 15:04:05 | 200 |    1.234567ms |       127.0.0.1 | POST     "/api/chat" x'), false, 'text after the path');
  assert.equal(plain('[GIN] 2025/01/02 - 15:04:05 | 200 |    1.234567ms |       127.0.0.1 | POST     "/api/chat'), false, 'no closing quote');
  assert.equal(plain('Jan 02 15:04:05 gpu ollama[1]: [GIN] 2025/01/02 - 15:04:05 | 200 |    1.234567ms |       127.0.0.1 | POST     "/api/chat"'), false, 'a prefix');
  assert.equal(plain('[GIN] 2025/01/02 - 15:04:05 | 200 | 1m2.345678901s |        10.0.0.1 | POST     "/api/pull"'), false, 'a latency the string reader reads');
  assert.equal(plain('time=2025-01-02T15:04:05.000Z level=INFO source=x.go:1 msg="exit"'), false);
  const after = parsed([PADDED_GIN_LINES[0]!, 'time=2025-01-02T15:04:05.000Z level=INFO msg=x']);
  assert.deepEqual(after.map((p) => p.plain), [true, false], 'each line sets it');
});

test('which terms are looked for in the fields: none a fixed span can hold, none holding a separator', () => {
  const inFields = TERMS.filter((t) => spanTerm(t, spans));
  assert.ok(inFields.includes('panic:') && inFields.includes('fatal error:') && inFields.includes('/api/generate'));
  assert.equal(spanTerm('127.0.0.1', spans), false, 'digits and dots: a stamp or latency may hold them');
  for (const t of ['gin', '[gin]', 'ms', 's', 'µs', '200', '2025', '1 | post', 'post "/api', '"/api', ' exit', 'exit ', 'a*b', '*', '']) {
    assert.equal(spanTerm(t, spans), false, t);
  }
});

test('terms in a plain gin line\'s fields answer as in the whole line, and the dispatch alternatives hold', () => {
  const lines = [...ginLines(), ...PADDED_GIN_LINES, ...PADDED_GIN_LINES.flatMap(mangled), ...CRAFTED];
  const events = parsed(lines).filter((p) => p.plain).map((p) => p.ev);
  assert.ok(events.length > 2000, `only ${events.length} plain lines`);
  const exprs: SearchExpr[] = [
    ...TERMS.map(term),
    { kind: 'or', items: TERMS.slice(0, 9).map(term) },
    { kind: 'or', items: [term('exit'), term('gin'), term('/api/chat')] },
    { kind: 'and', items: [term('api'), { kind: 'not', item: term('chat') }] },
    { kind: 'or', items: [term('panic:'), { kind: 'and', items: [{ kind: 'compare', field: 'uri_path', op: '=', value: '/api/pull*', span }, { kind: 'compare', field: 'http_method', op: '=', value: 'POST', span }] }] },
  ];
  let found = 0;
  for (const e of exprs) {
    const whole = compileSearch(e), inFields = compileSearch(e, spans);
    const alternatives = fieldAlternatives(e, ['uri_path', 'src', 'status', 'http_method'], spans);
    for (const ev of events) {
      const want = whole(ev);
      assert.equal(inFields(ev), want, `${JSON.stringify(e)} on ${String(ev._raw)}`);
      if (want) {
        found++;
        if (alternatives) assert.ok(alternatives.some((a) => a.test({ [a.field]: ev[a.field] })), `no alternative of ${JSON.stringify(e)} passes ${String(ev._raw)}`);
      }
    }
  }
  assert.ok(found > 1000, `only ${found} matches`);
  // The crafted lines' words are found in their fields (and not, where the line's fixed spans hold them).
  const crafted = parsed(CRAFTED);
  assert.deepEqual(crafted.map((p) => p.plain), [true, true, true, true, true, true, true, true, true, false]);
  const hits = (text: string) => crafted.filter((p) => p.plain && compileSearch(term(text), spans)(p.ev)).length;
  assert.deepEqual([hits('panic:'), hits('exit'), hits('fatal error:'), hits('crash'), hits('gguf'), hits('killed')], [2, 4, 1, 1, 1, 1]);
});

/** Prefixes journald, Docker and compose put in front of gin lines, and some that are not one or not ASCII. */
const PREFIXES = [
  'Jan 02 15:04:05 gpu-box ollama[812]: ', 'Jan 02 15:04:06 crash-box exit[1]: ', '2025-01-02T15:04:05+0000 panic ollama[813]: ',
  '2025-01-02T15:04:05.123456789Z ', 'ollama-1  | ', '2025-01-02T15:04:05.5Z fatal  | ',
];
const NOT_SPANNED = ['Jan 02 15:04:05 gpu-box ollama[812]:', '2025-01-02T15:04:05+0000 h\u00e9te ollama[2]: ', 'not a prefix ', 'gpu [GIN] ollama[1]: '];

test('a plain gin line behind an ASCII prefix ending in a space: the parser names the prefix', () => {
  const line = PADDED_GIN_LINES[0]!;
  for (const p of PREFIXES) assert.equal(parsed([p + line])[0]!.prefix, p, p);
  for (const p of NOT_SPANNED) assert.equal(parsed([p + line])[0]!.prefix, undefined, p);
  assert.equal(parsed([line])[0]!.prefix, undefined, 'no prefix');
  assert.equal(parsed([PREFIXES[0] + line + ' x'])[0]!.prefix, undefined, 'not plain');
  const run = parsed([PREFIXES[0] + line, PREFIXES[0] + line, line, PREFIXES[1] + line]);
  assert.ok(run[0]!.prefix === run[1]!.prefix, 'one string while the bytes are the same');
  assert.deepEqual(run.map((r) => r.prefix), [PREFIXES[0], PREFIXES[0], undefined, PREFIXES[1]], 'each line sets it');
  // Its _raw: the prefix, then the plain line.
  assert.equal(run[0]!.ev._raw, PREFIXES[0] + line);
});

test('terms behind a prefix: the dispatch looks in the prefix and the fields, and holds to the whole line', () => {
  const spansBehind = PREFIXED_PLAIN_GIN_SHAPE.rawSpans;
  // A term could straddle the prefix and the line only across the prefix's last space and the line's `[`.
  assert.equal(spanTerm('ollama[812]: [gin]', spansBehind), false);
  assert.equal(spanTerm('ollama[812]: [gin]', spans), true, 'a plain line has no prefix to straddle');
  assert.equal(spanTerm('fatal error:', spansBehind), true);
  const words = [...TERMS, 'gpu-box', 'ollama[812]:', 'crash-box', 'exit[1]:', 'ollama-1', 'fatal', 'ollama[812]: [gin]', 'box ollama'];
  const gins = [...PADDED_GIN_LINES, ...ginLines().slice(0, 200), ...CRAFTED];
  const lines: string[] = [];
  for (const p of [...PREFIXES, ...NOT_SPANNED]) for (const g of gins) lines.push(p + g);
  const events = parsed(lines).filter((p) => p.prefix !== undefined);
  assert.ok(events.length > 1000, `only ${events.length} lines behind a prefix`);
  const exprs: SearchExpr[] = [
    ...words.map(term),
    { kind: 'or', items: words.slice(0, 9).map(term) },
    { kind: 'or', items: [term('exit'), term('gpu-box'), term('/api/chat'), term('ollama[812]: [gin]')] },
  ];
  let found = 0, inPrefix = 0;
  for (const e of exprs) {
    const whole = compileSearch(e);
    const alternatives = fieldAlternatives(e, ['uri_path', 'src', 'status', 'http_method'], spansBehind) ?? [];
    for (const { ev, prefix } of events) {
      const want = whole(ev);
      const value = (field: string) => (field === PREFIX_FIELD ? prefix : ev[field]);
      const passed = alternatives.filter((a) => a.test({ [a.field]: value(a.field) }));
      if (want) {
        found++;
        if (alternatives.length > 0) assert.ok(passed.length > 0, `no alternative of ${JSON.stringify(e)} passes ${String(ev._raw)}`);
        if (passed.every((a) => a.field === PREFIX_FIELD) && passed.length > 0) inPrefix++;
      }
      // An exact test passed on a string: the search passes (the runner then skips it).
      for (const a of passed) if (a.exact && typeof value(a.field) === 'string') assert.ok(want, `${JSON.stringify(e)} exact on ${a.field} for ${String(ev._raw)}`);
    }
  }
  assert.ok(found > 1000 && inPrefix > 100, `only ${found} matches, ${inPrefix} in a prefix alone`);
});
