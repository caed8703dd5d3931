// A rex answered from a bare plain gin line's spans (span-rex.ts): held to the pattern run over the line, for
// Splunk's three gin patterns and patterns on the rule's edges, over real, generated, mangled and crafted lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineParser } from '../parse/line-parser.js';
import { ginLines, mangled, PADDED_GIN_LINES } from '../parse/gin-test-lines.js';
import { compileSplRegex } from '../spl/regex.js';
import { TimeZone } from '../util/timezone.js';
import { BareGinColumns, SpanRex } from './span-rex.js';

/** The pattern as a rex runs it: Splunk's text compiled, its names taken out. */
const rex = (pattern: string): RegExp => compileSplRegex(pattern, 0).unnamed ?? compileSplRegex(pattern, 0).re;

// Splunk's gin patterns (Exfiltration, Excessive API Requests, Prompt Injection), then others the rule takes.
const SPLIT = [
  String.raw`\|\s+(?<status_code>\d+)\s+\|\s+(?<response_time>[\d\.]+)s\s+\|\s+(?<src_ip>[\:\da-f\.]+)\s+\|\s+(?<http_method>\w+)\s+\"(?<uri_path>[^\"]+)\"`,
  String.raw`\|\s+(?<client_ip>\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})\s+\|`,
  String.raw`\|\s+(?<status_code>\d+)\s+\|\s+(?<response_time>[\d\.]+[a-z]+)\s+\|\s+(?<src_ip>[\:\da-f\.]+)\s+\|\s+(?<http_method>\w+)\s+\"(?<uri_path>[^\"]+)\"`,
  String.raw`\|\s+(?<a>\d+)\s+\|`,
  String.raw`\|\s+(?<a>\d+)\s+\|(?<rest>.*)`,
  String.raw`\|\s*(?<n>[\d.]+)(?<unit>ms|µs|s)\s*\|\s+(?<c>[\w:.]+)\s+\|\s+(?:GET|POST)\s+"(?<p>/api/[a-z]+)`,
  String.raw`(?i)\|\s+(?<c>[A-F\d:.]+)\s+\|\s+(?<m>post|get)\s`,
  String.raw`\|\s*(?<x>[^|"\s]*)\s*\|\s+(?<c>\d+\.\d+\.\d+\.\d+)?\s*\|`,
  String.raw`\|(?:\s)+(?<s>[0-9]{3}) \|`,
  String.raw`\|\|`,
];
// Patterns the rule does not take: a part that can match a bar, an alternation, lookarounds, a back-reference,
// anchors, a word boundary, text before the first bar, a bar alone.
const NOT_SPLIT = [
  String.raw`\|(?<a>.*)\|`, String.raw`\|\s+(?<a>\S+)\s+\|`, String.raw`\|\s+(?<a>[^"]+)\s+\|`, String.raw`\|\s+(?<a>\d+)\s+\||x`,
  String.raw`\|(?=\s)(?<a>\s\d+)\s+\|`, String.raw`\|\s+(?<a>\d)\1\s+\|`, String.raw`^\[GIN\].*?\|\s+(?<a>\d+)\s+\|`,
  String.raw`\|\s+\b(?<a>\d+)\s+\|`, String.raw`GIN\] (?<d>\S+) \|\s+(?<a>\d+)\s+\|`, String.raw`\|(?<a>.*)`, String.raw`\|\s+(?<a>[\x7c\d]+)\s+\|`,
];

/** A line in gin's padded layout. */
const gin = (client: string, method: string, path: string, latency = '1.234567ms', status = '200') =>
  `[GIN] 2025/01/02 - 15:04:05 | ${status} | ${latency.padStart(13)} | ${client.padStart(15)} | ${method.padEnd(7)}  "${path}"`;

const CRAFTED = [
  gin('10.0.0.1', 'POST', '/api/chat', '61.2s'), gin('10.0.0.1', 'POST', '/a | 1.2.3.4 | b', '61.2s'),
  gin('10.0.0.1', 'GET', '/x|', '2.5s', '099'), gin('1.2.3.4', 'GET', '| 5 |'), gin('::1', 'POST', '/api/generate', '1m2.5s'),
  gin('999.1.1.1', 'GET', '/api/tags', '3.5µs'), gin('1.2.3.4.5', 'GET', '/'), gin('fe80::1%eth0', 'PUT', '/api/blobs/x'),
  gin('2001:db8:8123:4567:89ab:cdef:0123:4567', 'DELETE', '/api/delete', '8.310506395s'), gin('', 'GET', '/api/version'),
  gin('a.b.c.d', 'OPTIONS', '/v1/models?x=|'), gin('10.0.0.1', 'PATCH', '/' + 'p'.repeat(120)), gin('ABC:DEF::1', 'post', '/api/chat'),
  gin('10.0.0.1', 'POST', '/api/chat', '1.5s', '503'), gin('10.0.0.1', 'GET', '/?q="x"'),
];

function lines(): string[] {
  return [...new Set([...ginLines(), ...PADDED_GIN_LINES, ...PADDED_GIN_LINES.flatMap(mangled), ...CRAFTED, ...CRAFTED.flatMap(mangled)])];
}

test('a pattern of bars is split only when no part between two bars can match one', () => {
  for (const p of SPLIT) assert.ok(SpanRex.of(rex(p)), p);
  for (const p of NOT_SPLIT) assert.equal(SpanRex.of(rex(p)), undefined, p);
});

test('a bare plain gin line answered from its spans gets what the pattern finds in the whole line', () => {
  const parser = new LineParser({ tz: TimeZone.resolve('UTC'), defaultHost: 'h', source: 's', fallbackMs: 0 });
  const all = lines();
  const cols = new BareGinColumns(1);
  let bare = 0;
  for (const p of SPLIT) {
    const re = rex(p);
    const spans = SpanRex.of(re)!;
    let answered = 0, matched = 0;
    // Twice over: the second time what was kept per status, client and path answers.
    for (let round = 0; round < 2; round++) {
      for (const line of all) {
        const b = Buffer.from(line);
        const ev = parser.parseBytes(b, 0, b.length);
        cols.bare[0] = parser.bareGin ? 1 : 0;
        if (!parser.bareGin) continue;
        if (round === 0 && p === SPLIT[0]) bare++;
        cols.client[0] = parser.ginClientSlot;
        cols.path[0] = parser.ginPathSlot;
        const got = spans.match(ev._raw as string, ev, cols);
        if (got === undefined) continue;
        answered++;
        re.lastIndex = 0;
        const want = re.exec(ev._raw as string);
        assert.equal(got === null, want === null, `${p}\n${line}`);
        if (want === null) continue;
        matched++;
        for (let k = 1; k < want.length; k++) assert.equal(got![k], want[k], `${p} group ${k}\n${line}`);
      }
    }
    assert.ok(answered > bare, `${p}: ${answered} lines answered of ${bare} bare ones, twice`);
    if (p !== String.raw`\|\|`) assert.ok(matched > 50, `${p}: only ${matched} matches`);
  }
  assert.ok(bare > 500, `only ${bare} bare lines`);
});

test('a line whose path holds a bar, or that is not bare, is left to the pattern', () => {
  const parser = new LineParser({ tz: TimeZone.resolve('UTC'), defaultHost: 'h', source: 's', fallbackMs: 0 });
  const spans = SpanRex.of(rex(SPLIT[1]!))!;
  const cols = new BareGinColumns(1);
  const answer = (line: string) => {
    const b = Buffer.from(line);
    const ev = parser.parseBytes(b, 0, b.length);
    cols.bare[0] = parser.bareGin ? 1 : 0;
    cols.client[0] = parser.ginClientSlot;
    cols.path[0] = parser.ginPathSlot;
    return spans.match(ev._raw as string, ev, cols);
  };
  assert.deepEqual(answer(gin('10.0.0.1', 'GET', '/api/tags'))?.[1], '10.0.0.1');
  assert.equal(answer(gin('::1', 'GET', '/api/tags')), null);
  assert.equal(answer(gin('::1', 'GET', '/a | 1.2.3.4 | b')), undefined, 'a bar in the path');
  assert.equal(answer(gin('::1', 'GET', '/a?x=| 1.2.3.4 |')), undefined, 'a bar in the query');
  assert.equal(answer('Jan 02 15:04:05 gpu ollama[1]: ' + gin('10.0.0.1', 'GET', '/api/tags')), undefined, 'a prefix');
});
