import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { compileSearchText } from '../spl/compile.js';
import { MacroTable } from '../spl/macros.js';
import { TimeZone } from '../util/timezone.js';
import { GIN_EVENT_SHAPE, LineParser, OTHER_EVENT_SHAPES } from '../parse/line-parser.js';
import { canMatchShape, fieldCondition, residualForShape, type Residual } from './search-gate.js';
import { compileSearch } from './search-match.js';
import { runJobs } from './runner.js';
import { Pipeline, runPlan } from './pipeline.js';
import type { Row } from './value.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'real-ollama-logs.txt');
const tz = TimeZone.resolve('UTC');
const plan = (spl: string) => compileSearchText(spl, new MacroTable(), { tz, now: 0 }).plan;
const gin = (spl: string) => canMatchShape(plan(spl), GIN_EVENT_SHAPE);

/** Every gin line of the real-log fixture and the datasets, with its event. */
function ginEvents(): Array<{ line: string; e: Row }> {
  const texts = [readFileSync(FIXTURE, 'utf8'), ...readdirSync(join(ROOT, 'datasets')).filter((f) => f.endsWith('.log')).map((f) => readFileSync(join(ROOT, 'datasets', f), 'utf8'))];
  const out: Array<{ line: string; e: Row }> = [];
  for (const text of texts) {
    const p = new LineParser({ tz, defaultHost: 'h', source: 's', fallbackMs: 0 });
    for (const line of text.split('\n')) {
      const e = p.parse(line);
      if (e.line_type === 'gin') out.push({ line, e });
    }
  }
  assert.ok(out.length > 100, `only ${out.length} gin lines`);
  return out;
}

test('the parser holds to the gin event shape on every gin line of the fixtures and datasets', () => {
  const allowed = new Set<string>(GIN_EVENT_SHAPE.fields);
  for (const { line, e } of ginEvents()) {
    for (const k of Object.keys(e)) assert.ok(allowed.has(k), `field ${k} on ${line}`);
    for (const [k, v] of Object.entries(GIN_EVENT_SHAPE.constants)) assert.equal(e[k], v);
    assert.ok((e._raw as string).includes(GIN_EVENT_SHAPE.rawContains), line);
  }
});

test('every line the parser reads is a gin event or one of the other shapes: its line_type and sourcetype', () => {
  const known = new Map(OTHER_EVENT_SHAPES.map((s) => [s.constants.line_type, s]));
  const texts = [readFileSync(FIXTURE, 'utf8'), ...readdirSync(join(ROOT, 'datasets')).filter((f) => f.endsWith('.log')).map((f) => readFileSync(join(ROOT, 'datasets', f), 'utf8'))];
  texts.push(['', '\u0000\u0001\u00ff', '[GIN-debug] GET / --> handler', '[Recovery] 2024/05/01 - 10:00:00 panic recovered:', 'panic: runtime error',
    '\tgoroutine 1 [running]:', 'time=2024-05-01T10:00:00Z level=INFO source=x.go:1 msg=hi', 'llama_model_loader: loaded meta data',
    '2024/05/01 10:00:00 routes.go:1 listening', '[GIN] 2024/05/01 - 10:00:00 | 200 |', 'Jun 01 00:00:00 gpu ollama[1]: msg', 'GIN', '[gin] x'].join('\n'));
  const seen = new Set<string>();
  for (const text of texts) {
    const p = new LineParser({ tz, defaultHost: 'h', source: 's', fallbackMs: 0 });
    for (const line of text.split('\n')) {
      const buf = Buffer.from(line);
      for (const e of [p.parse(line), p.parseBytes(buf, 0, buf.length)]) {
        const lt = e.line_type as string;
        seen.add(lt);
        if (lt === 'gin') continue;
        const shape = known.get(lt);
        assert.ok(shape, `line_type ${lt} of ${JSON.stringify(line)} has no shape`);
        for (const [k, v] of Object.entries(shape.constants)) assert.equal(e[k], v, line);
      }
    }
  }
  assert.deepEqual([...known.keys()].filter((lt) => !seen.has(lt)), [], 'every shape is met');
});

test('a search is handed the other line types only when one of them can pass it', () => {
  const other = (spl: string) => OTHER_EVENT_SHAPES.some((s) => canMatchShape(plan(spl), s));
  for (const s of ['line_type=gin', 'line_type=GIN status=200', '`x` line_type=gin', 'sourcetype=other', 'line_type=gin OR line_type=gin_x', 'NOT line_type=*'])
    assert.equal(other(s.replace('`x` ', '')), false, s);
  for (const s of ['*', '"GIN"', 'msg=*', 'line_type=runner', 'line_type!=gin', 'status=200', 'line_type=g*', 'NOT line_type=gin', 'line_type=gin OR msg=x'])
    assert.equal(other(s), true, s);
});

test('a search is kept from gin events only when no gin event can pass it', () => {
  for (const s of ['msg="x*"', 'line_type=slog', 'line_type!=gin', 'level=ERROR "boom"', 'msg=* OR line_type=runner', 'sourcetype=other', 'NOT line_type=gin', 'err<5', 'code_source IN ("a", "b")'])
    assert.equal(gin(s), false, s);
  for (const s of ['*', '"GIN"', 'panic', 'msg="x" OR status=500', 'line_type=gin', 'line_type=GIN', 'line_type=g*', 'NOT msg=x', 'msg!=x OR "a"', 'index=main msg=x OR src=1.2.3.4', 'status>499', 'index=*'])
    assert.equal(gin(s), true, s);
  // Only the leading search decides; a detection starting with another command sees every event.
  assert.equal(gin('msg=x | search msg=y'), false);
  assert.equal(canMatchShape({ operators: [] }, GIN_EVENT_SHAPE), true);
});

test('detections kept from gin events, or given them past a reduced search, give the same rows as when every event meets the full search', async () => {
  const text = readFileSync(FIXTURE, 'utf8');
  const searches = ['msg=* | stats count by level', 'line_type!=gin | stats count by line_type', 'NOT line_type=gin | head 5 | table _raw', '"GIN" | stats count',
    '"GIN" status>=400 | stats count by status', 'sourcetype="ollama:server" ("GIN" OR msg=*) earliest=0 | stats count by line_type',
    // Searches handed only the gin events whose path can interest them (FieldDispatch), and one that is not.
    'uri_path="/api/chat" | stats count by status', '(uri_path IN ("/api/tags", "/api/version", "/") AND status=200) OR uri_path="/api/generate" | stats count by uri_path',
    'line_type=gin NOT uri_path="/api/chat" http_method=POST | stats count by uri_path', 'uri_path="/api/*" OR "GIN" | stats count',
    // Handed only the gin events whose client passes the where's test on src.
    'line_type=gin | where NOT cidrmatch("127.0.0.0/8", src) AND status=200 | stats count by src',
    'line_type=gin | where cidrmatch("127.0.0.0/8", src) | stats count by uri_path', 'status=200 OR status=404 | stats count by status',
    // Handed past its search only when the test the dispatch passed is the search (an OR's item, not an AND's).
    '"GET" (uri_path="/api/chat" OR src="127.0.0.1") | stats count by uri_path, http_method', 'uri_path="/api/chat" status=500 | stats count by status',
    '(uri_path="/api/chat" OR uri_path="/api/tags") NOT http_method=GET | stats count by uri_path, http_method',
    // Handed no event of another line_type, or only some.
    'line_type=GIN | stats count by line_type', 'line_type=gin OR line_type=panic | stats count by line_type', 'line_type=runner | stats count'];
  const jobs = searches.map((s, i) => ({ key: String(i), plan: plan(s), expanded: s }));
  const res = await runJobs([{ name: 'fixture', mtimeMs: 0, open: () => Readable.from([Buffer.from(text)]) }], jobs, { tz, now: 0, host: 'h' });
  const p = new LineParser({ tz, host: 'h', defaultHost: 'h', source: 'fixture', fallbackMs: 0 });
  const events = text.split('\n').map((l) => p.parse(l));
  if (text.endsWith('\n')) events.pop();
  for (const j of jobs) {
    const expected = runPlan(j.plan, events, { tz, now: 0, warn: () => {} });
    assert.ok(expected.length > 0, j.expanded);
    assert.deepEqual(res.rows.get(j.key), expected, j.expanded);
  }
});

const show = (r: Residual): string => {
  if (typeof r === 'boolean') return String(r);
  switch (r.kind) {
    case 'term': return JSON.stringify(r.text);
    case 'compare': return `${r.field}${r.op}${r.value}`;
    case 'in': return `${r.field} IN (${r.values.join(',')})`;
    case 'not': return `NOT ${show(r.item)}`;
    default: return `(${r.items.map(show).join(` ${r.kind} `)})`;
  }
};
const reduced = (spl: string) => show(residualForShape(plan(spl), GIN_EVENT_SHAPE));

test('the tests every gin event passes are dropped from a search, and the others kept', () => {
  assert.equal(reduced('sourcetype="ollama:server" "GIN"'), 'true');
  assert.equal(reduced('"[GIN]" line_type=gin'), 'true');
  assert.equal(reduced('GIN*'), 'true');
  assert.equal(reduced('sourcetype="ollama:server" "GIN" ("/api/generate" OR status=500)'), '("/api/generate" or status=500)');
  assert.equal(reduced('line_type=gin uri_path IN ("/api/pull", "/api/push")'), 'uri_path IN (/api/pull,/api/push)');
  assert.equal(reduced('msg="x" OR (line_type=gin status=500)'), 'status=500');
  assert.equal(reduced('NOT "GIN" OR src=1.2.3.4'), 'src=1.2.3.4');
  assert.equal(reduced('line_type=slog "GIN"'), 'false');
  // Not decided by the text every gin line holds: a token inside it, a term running past it, other words.
  assert.equal(reduced('IN'), '"IN"');
  assert.equal(reduced('"[GIN] 2025"'), '"[GIN] 2025"');
  assert.equal(reduced('GINX'), '"GINX"');
  assert.equal(reduced('"GIN]x"'), '"GIN]x"');
  assert.equal(canMatchShape({ operators: [] }, GIN_EVENT_SHAPE), true);
});

test('on every gin line of the fixtures and datasets, the reduced search decides as the full one does', () => {
  const searches = ['"GIN"', '"[GIN]" status>=500', 'GIN* OR msg=x', 'sourcetype="ollama:server" "GIN" ("/api/generate" OR "/v1/chat/completions")',
    'NOT "GIN" OR uri_path="/api/tags"', 'line_type=gin (http_method=POST uri_path IN ("/api/create", "/api/blobs/*"))', '"gin" "POST"',
    '(sourcetype="ollama:server" line_type=gin) NOT src IN ("127.0.0.1", "::1")', 'vendor_product="Ollama*" app=ollama status!=200'];
  const tests = searches.map((s) => {
    const p = plan(s);
    const full = compileSearch(p.operators[0]!.kind === 'search' ? p.operators[0]!.expr : null);
    const r = residualForShape(p, GIN_EVENT_SHAPE);
    return { s, full, reduced: typeof r === 'boolean' ? () => r : compileSearch(r) };
  });
  for (const { line, e } of ginEvents()) for (const t of tests) assert.equal(t.reduced(e), t.full(e), `${t.s} on ${line}`);
});

test('a condition on one field implied by a reduced search: every event the search passes passes it', () => {
  const cases: Array<[string, string | undefined]> = [
    ['uri_path="/api/chat" | stats count', 'uri_path=/api/chat'],
    ['http_method=POST uri_path IN ("/api/pull", "/api/push") | stats count', 'uri_path IN (/api/pull,/api/push)'],
    ['uri_path="/api/me" OR (uri_path="/api/user/*" AND status=200) | stats count', '(uri_path=/api/me or uri_path=/api/user/*)'],
    ['uri_path="/api/me" OR status=200 | stats count', undefined],
    ['"panic:" OR uri_path="/api/me" | stats count', undefined],
    ['NOT uri_path="/api/chat" status=500 | stats count', 'NOT uri_path=/api/chat'],
    ['status=503 | stats count', undefined],
  ];
  for (const [spl, want] of cases) {
    const c = fieldCondition(residualForShape(plan(spl), GIN_EVENT_SHAPE), 'uri_path');
    assert.equal(c === undefined ? undefined : show(c), want, spl);
  }
  // Soundness over random searches and events: wherever the search passes, so does the condition.
  let seed = 5;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const leaf = (): string => [
    () => `uri_path=${['"/api/chat"', '"/api/*"', '"/"', '"/API/CHAT"'][rnd(4)]}`,
    () => `uri_path IN ("/api/tags", "/api/ps")`, () => `status=${[200, 404, 500][rnd(3)]}`,
    () => `http_method=${['GET', 'POST'][rnd(2)]}`, () => ['"chat"', '"GIN"', '"tags"'][rnd(3)],
  ][rnd(5)]!();
  const expr = (d: number): string => {
    const r = d > 2 ? 0 : rnd(4);
    if (r === 0) return leaf();
    if (r === 1) return `NOT ${leaf()}`;
    return `(${expr(d + 1)} ${r === 2 ? 'AND' : 'OR'} ${expr(d + 1)})`;
  };
  const paths = ['/api/chat', '/api/tags', '/api/ps', '/', '/api/CHAT', '/v1/models'];
  const events: Row[] = paths.flatMap((uri_path) => [200, 404, 500].flatMap((status) => ['GET', 'POST'].map((http_method) =>
    ({ line_type: 'gin', sourcetype: 'ollama:server', uri_path, status, http_method, _raw: `[GIN] 2025/01/01 - 00:00:00 | ${status} | 1ms | 10.0.0.1 | ${http_method} "${uri_path}"` }))));
  let implied = 0;
  for (let k = 0; k < 400; k++) {
    const spl = `${expr(0)} | stats count`;
    const residual = residualForShape(plan(spl), GIN_EVENT_SHAPE);
    const c = fieldCondition(residual, 'uri_path');
    if (c === undefined || typeof residual === 'boolean') continue;
    implied++;
    const search = compileSearch(residual), cond = compileSearch(c);
    for (const e of events) if (search(e)) assert.ok(cond({ uri_path: e.uri_path }), `${spl}: ${show(c)} fails ${e.uri_path}`);
  }
  assert.ok(implied > 50, `only ${implied} searches implied a condition`);
});

test('the condition a search is dispatched on: its test on a path, client, status or method, and the costly first tests of the where after it', () => {
  const cond = (spl: string) => {
    const rule = new Pipeline(plan(spl), { ctx: { tz, now: 0, warn: () => {} } }).dispatchCondition(GIN_EVENT_SHAPE);
    const one = (c: { field: string; test: (r: Row) => boolean }) => ({ field: c.field, passes: ['/api/chat', '10.1.2.3', '127.0.0.1'].filter((v) => c.test({ [c.field]: v })) });
    return rule && (rule.tests.length === 1 ? one(rule.tests[0]!) : { [rule.kind]: rule.tests.map(one) });
  };
  assert.deepEqual(cond('uri_path="/api/chat" | where cidrmatch("10.0.0.0/8", src)'),
    { all: [{ field: 'uri_path', passes: ['/api/chat'] }, { field: 'src', passes: ['10.1.2.3'] }] }, 'the search\'s test and the where\'s, both');
  assert.deepEqual(cond('line_type=gin | where cidrmatch("10.0.0.0/8", src) AND status=200'), { field: 'src', passes: ['10.1.2.3'] });
  assert.equal(cond('line_type=gin | where status=200 AND cidrmatch("10.0.0.0/8", src)'), undefined,
    'only the where\'s first tests: the others are evaluated only when those are true, and could raise an error');
  assert.deepEqual(cond('line_type=gin | where isnotnull(src) AND NOT cidrmatch("10.0.0.0/8", src) AND status=200'),
    { field: 'src', passes: ['/api/chat', '127.0.0.1'] }, 'the first tests that read the one field, together');
  assert.deepEqual(cond('line_type=gin | where match(uri_path, "^/api/") AND cidrmatch("10.0.0.0/8", src) AND status=200 AND match(uri_path, "chat")'),
    { all: [{ field: 'uri_path', passes: ['/api/chat'] }, { field: 'src', passes: ['10.1.2.3'] }] }, 'each first group that reads one field, up to a cheap test');
  assert.equal(cond('line_type=gin | where status=200'), undefined, 'a cheap test in a where is left to the search');
  assert.deepEqual((cond('status=503 OR status=500 | where cidrmatch("10.0.0.0/8", src)') as unknown as { all: Array<{ field: string }> }).all.map((c) => c.field), ['status', 'src']);
  assert.deepEqual(cond('src="127.0.0.1" OR src="::1"'), { field: 'src', passes: ['127.0.0.1'] });
  assert.equal(cond('line_type=gin | where cidrmatch("10.0.0.0/8", src) OR status=200'), undefined, 'an OR in a where implies no test on one field');
  assert.deepEqual(cond('uri_path="/api/chat" OR src="10.1.2.3"'), { any: [{ field: 'uri_path', passes: ['/api/chat'] }, { field: 'src', passes: ['10.1.2.3'] }] },
    'an OR of tests on different fields: alternatives, one of which an event must pass');
  assert.deepEqual(cond('(uri_path="/api/chat" OR src="10.1.2.3") | where cidrmatch("10.0.0.0/8", src)'),
    { any: [{ field: 'uri_path', passes: ['/api/chat'] }, { field: 'src', passes: ['10.1.2.3'] }] }, 'alternatives go alone');
  assert.equal(cond('uri_path="/api/chat" OR "panic"'), undefined, 'a term may be anywhere in a gin line that is not plain');
  assert.equal(cond('uri_path="/api/chat" OR response_time_ms>5'), undefined, 'a field nothing is dispatched on');
  assert.equal(cond('line_type=gin | eval x=lower(src) | where cidrmatch("10.0.0.0/8", src)'), undefined, 'only a where right after the search');
  assert.deepEqual(cond('line_type=gin | eval x=1 | where cidrmatch("10.0.0.0/8", src)'), { field: 'src', passes: ['10.1.2.3'] },
    'a where moved ahead of an eval that cannot fail (where-early.ts) is right after the search');
  assert.deepEqual(cond('line_type=gin OR msg="x" | where line_type!="gin" OR cidrmatch("10.0.0.0/8", src)'), { field: 'src', passes: ['10.1.2.3'] },
    'a where decided in part for gin events (where-gate.ts): its test of line_type is false for them');
  assert.equal(cond('line_type=gin | where line_type="gin" OR cidrmatch("10.0.0.0/8", src)'), undefined, 'and one that is true for them tests nothing');
});
