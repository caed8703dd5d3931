// One test per SPL rule of splunk-model.md §3, plus each command and the error contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSearchText, SearchCompileError } from './compile.js';
import { MacroTable } from './macros.js';
import { runPlan } from '../engine/pipeline.js';
import { TimeZone } from '../util/timezone.js';
import type { Row } from '../engine/value.js';

const tz = TimeZone.resolve('UTC');
const NOW = Date.UTC(2025, 5, 14, 12, 0, 0) / 1000;
function macros(): MacroTable {
  const m = new MacroTable();
  m.set({ name: 'ollama_server', args: [], definition: '(sourcetype="ollama:server")' });
  m.set({ name: 'noop_filter', args: [], definition: 'search *' });
  m.set({ name: 'by_src', args: ['x'], definition: 'src="$x$"' });
  m.set({ name: 'loop', args: [], definition: '`loop`' });
  return m;
}
function run(spl: string, events: Row[], zone = tz): Row[] {
  const { plan } = compileSearchText(spl, macros(), { tz: zone, now: NOW });
  return runPlan(plan, events, { tz: zone, now: NOW, warn: () => {} });
}
function err(spl: string): string {
  try { compileSearchText(spl, macros(), { tz, now: NOW }); } catch (e) { if (e instanceof SearchCompileError) return e.detail; throw e; }
  assert.fail(`expected an error for ${spl}`);
}
let t0 = Date.UTC(2025, 5, 14, 10, 0, 0) / 1000;
const ev = (raw: string, fields: Row = {}): Row => ({ _time: t0++, _raw: raw, sourcetype: 'ollama:server', host: 'h', ...fields });

test('term search is case-insensitive at token boundaries; "[GIN]" and "GIN" match [GIN-debug]', () => {
  const evs = [ev('[GIN] 2025 | 200 | x'), ev('[GIN-debug] POST /api/pull'), ev('ENGINE ready'), ev('time=x msg=hi')];
  assert.equal(run('"[GIN]"', evs).length, 1);
  assert.equal(run('"GIN"', evs).length, 2);
  assert.equal(run('gin', evs).length, 2);
  assert.equal(run('engine', evs).length, 1);
  assert.equal(run('eng*', evs).length, 1);
  assert.equal(run('*gine*', evs).length, 1);
});

test('quoted phrases match _raw; wildcards inside terms', () => {
  const evs = [ev('msg="llama runner started in 2.51 seconds"'), ev('llama_kv_cache_init: layer 4'), ev('runner llama')];
  assert.equal(run('"llama runner"', evs).length, 1);
  assert.equal(run('"llama_kv_cache"', evs).length, 1);
  assert.equal(run('llama*started', evs).length, 1);
});

test('field=value: case-insensitive value, wildcards, case-sensitive field names', () => {
  const evs = [ev('a', { level: 'WARN', msg: 'Failed to pull' }), ev('b', { level: 'warn', msg: 'ok' }), ev('c', { Level: 'WARN' })];
  assert.equal(run('level=WARN', evs).length, 2);
  assert.equal(run('msg="*failed*"', evs).length, 1);
  assert.equal(run('level=W*', evs).length, 2);
});

test('!= does not match events lacking the field; NOT field=value does', () => {
  const evs = [ev('a', { src: '1.1.1.1' }), ev('b', { src: '2.2.2.2' }), ev('c')];
  assert.deepEqual(run('src!=1.1.1.1', evs).map((r) => r._raw), ['b']);
  assert.deepEqual(run('NOT src=1.1.1.1', evs).map((r) => r._raw).sort(), ['b', 'c']);
});

test('numeric comparisons in search; IN lists; OR binds tighter than implicit AND', () => {
  const evs = [ev('a', { status: 200, m: 'GET' }), ev('b', { status: 404, m: 'POST' }), ev('c', { status: 503, m: 'GET' })];
  assert.deepEqual(run('status>=400', evs).map((r) => r._raw).sort(), ['b', 'c']);
  assert.deepEqual(run('status IN (200, 503)', evs).map((r) => r._raw).sort(), ['a', 'c']);
  assert.deepEqual(run('m=GET status=200 OR status=503', evs).map((r) => r._raw).sort(), ['a', 'c']);
  assert.deepEqual(run('(m=POST OR status=200) NOT b', evs).map((r) => r._raw), ['a']);
  assert.deepEqual(run('m=GET AND status<300', evs).map((r) => r._raw), ['a']);
});

test('macros expand before parsing, with arguments; unknown macros and cycles are errors', () => {
  const evs = [ev('a', { src: 'x' }), ev('b', { src: 'y', sourcetype: 'other' })];
  assert.deepEqual(run('`ollama_server` `by_src(x)` | `noop_filter`', evs).map((r) => r._raw), ['a']);
  assert.match(err('`nope` x'), /unknown macro `nope`/);
  assert.match(err('`loop`'), /expands to itself/);
  assert.match(err('x | `by_src`'), /defined with 1 argument/);
});

test('bin aligns to the epoch; day spans to midnight in the search zone', () => {
  const rows = run('* | bin _time span=5m | stats count by _time', [ev('a', { _time: 1000 }), ev('b', { _time: 1199 }), ev('c', { _time: 1200 })]);
  assert.deepEqual(rows, [{ _time: 900, count: 2 }, { _time: 1200, count: 1 }]);
  const berlin = TimeZone.resolve('Europe/Berlin');
  const day = run('* | bin _time span=1d | stats count by _time', [ev('a', { _time: Date.UTC(2025, 5, 14, 23, 30) / 1000 })], berlin);
  assert.equal(day[0]!._time, Date.UTC(2025, 5, 14, 22, 0) / 1000);
});

test('bin: a numeric field becomes a "lo-hi" range, as= writes another field, a non-numeric value is left alone', () => {
  const evs = [ev('a', { n: 7 }), ev('b', { n: '12.5' }), ev('c', { n: 'x' }), ev('d')];
  const rows = run('* | bin n span=5 as b | bin n span=10 | table n, b', evs);
  assert.deepEqual(rows.map((r) => [r.n, r.b]), [[undefined, undefined], ['x', undefined], ['10-20', '10-15'], ['0-10', '5-10']]);
});

test('stats: functions, as, by; null by-fields dropped; multivalue by-fields split', () => {
  const evs = [
    ev('a', { src: 'x', n: '3', m: ['GET', 'POST'] }), ev('b', { src: 'x', n: '10', m: 'GET' }), ev('c', { n: '5' }), ev('d', { src: 'y', n: 'abc', m: 'GET' }),
  ];
  const rows = run('* | stats count, count(n) as cn, dc(n) as d, values(n) as v, list(n) as l, min(n) as mn, max(n) as mx, sum(n) as s, avg(n) as a by src', evs);
  assert.equal(rows.length, 2);
  assert.deepEqual(rows[0], { src: 'x', count: 2, cn: 2, d: 2, v: ['10', '3'], l: ['10', '3'], mn: 3, mx: 10, s: 13, a: 6.5 });
  assert.deepEqual(rows[1], { src: 'y', count: 1, cn: 1, d: 1, v: 'abc', l: 'abc', mn: 'abc', mx: 'abc' });
  const split = run('* | stats count by src, m', evs);
  assert.deepEqual(split, [{ src: 'x', m: 'GET', count: 2 }, { src: 'x', m: 'POST', count: 1 }, { src: 'y', m: 'GET', count: 1 }]);
  assert.deepEqual(run('nomatch | stats count', evs), [{ count: 0 }]);
  assert.deepEqual(run('nomatch | stats count by src', evs), []);
});

test('stats values() and dc(): a few distinct values, and many, in any order and with repeats, as a sorted set', () => {
  // Held in an array up to a few, then in a Set: the answer is the same on both sides of the change.
  let seed = 11;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (const distinct of [1, 2, 3, 8, 9, 10, 30]) {
    const pool = Array.from({ length: distinct }, (_, i) => (i % 3 === 0 ? i * 7 : `v${(i * 13) % 97}`));
    const evs = Array.from({ length: distinct * 6 }, (_, i) => ev(`e${i}`, { src: 'x', n: i < distinct ? pool[i]! : pool[rnd(distinct)]! }));
    const want = [...new Set(pool.map(String))].sort();
    const [row] = run('* | stats values(n) as v, dc(n) as d by src', evs.reverse());
    assert.deepEqual(row!.v, want.length === 1 ? want[0] : want, `${distinct} values`);
    assert.equal(row!.d, want.length);
  }
  // 5 and "5" are one value however many others came between.
  const mixed = [5, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', '5', 5].map((n, i) => ev(`m${i}`, { src: 'x', n }));
  assert.deepEqual(run('* | stats dc(n) as d by src', mixed)[0]!.d, 10);
});

test('stats groups: a new group with a multivalue by-field is split; 5 and "5" are one group; flushed bins start afresh', () => {
  const evs = [ev('a', { src: 'x', m: ['GET', 'POST'], n: 5 }), ev('b', { src: 'x', m: 'GET', n: '5' }), ev('c', { src: 'y', m: ['HEAD'], n: 5 })];
  assert.deepEqual(run('* | stats count by src, host, m', evs), [{ src: 'x', host: 'h', m: 'GET', count: 2 }, { src: 'x', host: 'h', m: 'POST', count: 1 }, { src: 'y', host: 'h', m: 'HEAD', count: 1 }]);
  assert.deepEqual(run('* | stats count by n, src', evs).map((r) => [String(r.n), r.src, r.count]), [['5', 'x', 2], ['5', 'y', 1]]);
  // Hourly bins over three days: closed bins are passed on and forgotten while the scan goes on, and the same
  // client in a later bin is a new group.
  const long = Array.from({ length: 72 * 4 }, (_, i) => ({ _time: NOW - 72 * 3600 + i * 900, _raw: 'r', sourcetype: 'ollama:server', host: 'h', src: i % 8 < 4 ? 'a' : 'b' }));
  const rows = run('* | bin _time span=1h | stats count by _time, src', long);
  assert.equal(rows.length, 72);
  assert.ok(rows.every((r) => r.count === 4));
});

test('stats groups: runs of one group, interrupted by multivalue, missing and number-or-string values, match a reference', () => {
  // A seeded walk with long runs of the same by-values (the shortcut that skips building keys) over three days,
  // so hourly bins are flushed in the middle of runs.
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const evs: Row[] = [];
  let src: Row[string] = 'a';
  for (let i = 0; i < 4000; i++) {
    if (rnd(10) === 0) src = (['a', 'b', 5, '5', ['a', 'b'], undefined] as Row[string][])[rnd(6)];
    const e: Row = { _time: NOW - 72 * 3600 + i * 64, _raw: `r${i}`, sourcetype: 'ollama:server', host: rnd(20) === 0 ? 'g' : 'h', k: `k${rnd(3)}` };
    if (src !== undefined) e.src = src;
    evs.push(e);
  }
  const want = new Map<string, { count: number; ks: Set<string> }>();
  for (const e of evs) {
    if (e.src === undefined) continue;
    for (const v of [e.src].flat()) {
      const key = `${Math.floor((e._time as number) / 3600) * 3600}|${String(v)}|${e.host}`;
      const g = want.get(key) ?? { count: 0, ks: new Set<string>() };
      g.count++;
      g.ks.add(e.k as string);
      want.set(key, g);
    }
  }
  const rows = run('* | bin _time span=1h | stats count, values(k) as ks by _time, src, host', evs);
  const got = new Map(rows.map((r) => [`${r._time}|${String(r.src)}|${r.host}`, { count: r.count, ks: new Set([r.ks].flat() as string[]) }]));
  assert.equal(got.size, want.size);
  for (const [k, g] of want) assert.deepEqual(got.get(k), g, k);
});

test('stats groups: a group filled again after its bin was passed on answers as a new one, for every function', () => {
  // Three days of hourly bins: each bin's groups are passed on an hour after it ends and kept to be filled
  // for later bins' groups (StatsStage.spare). Each group's row must be what a stats given only that group's
  // events makes, where every group is new.
  let seed = 11;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const evs: Row[] = [];
  for (let i = 0; i < 3000; i++) {
    const e: Row = { _time: NOW - 72 * 3600 + i * 86, _raw: `r${i}`, sourcetype: 'ollama:server', host: 'h', src: `c${rnd(6)}` };
    if (rnd(4) !== 0) e.k = `k${rnd(5)}`;
    if (rnd(3) !== 0) e.n = rnd(7) === 0 ? 'text' : rnd(100) / 4;
    evs.push(e);
  }
  const q = '* | bin _time span=1h | stats count, count(n) as cn, dc(k) as dk, values(k) as vk, list(k) as lk, sum(n) as sn, avg(n) as an, '
    + 'min(n) as mn, max(n) as xn, first(k) as fk, last(k) as zk, earliest(k) as ek, latest(k) as tk, range(n) as rn, stdev(n) as dn by _time, src';
  const rows = run(q, evs);
  const groups = new Map<string, Row[]>();
  for (const e of evs) {
    const key = `${Math.floor((e._time as number) / 3600)}|${e.src}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const alone = [...groups.values()].flatMap((g) => run(q, g));
  const order = (r: Row) => `${r._time}|${r.src}`;
  assert.equal(rows.length, groups.size);
  assert.deepEqual(rows, alone.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0)));
});

test('values() sorts lexicographically; dc() counts distinct strings ("1" ≠ "1.0")', () => {
  const rows = run('* | stats values(x) as v, dc(x) as d', [ev('a', { x: '9' }), ev('b', { x: '10' }), ev('c', { x: '1.0' }), ev('d', { x: '1' })]);
  assert.deepEqual(rows, [{ v: ['1', '1.0', '10', '9'], d: 4 }]);
});

test('earliest/latest go by _time; first/last by Splunk order (newest first)', () => {
  const evs = [ev('a', { _time: 20, x: 'mid' }), ev('b', { _time: 10, x: 'old' }), ev('c', { _time: 30, x: 'new' })];
  assert.deepEqual(run('* | stats earliest(x) as e, latest(x) as l, first(x) as f, last(x) as z', evs), [{ e: 'old', l: 'new', f: 'new', z: 'mid' }]);
});

test('where/eval: numeric vs string comparison, case sensitivity, null handling', () => {
  const evs = [ev('a', { n: '10', s: 'Abc' }), ev('b', { n: '9', s: 'abc' })];
  assert.deepEqual(run('* | where n > 9', evs).map((r) => r._raw), ['a']);
  assert.deepEqual(run('* | where s="abc"', evs).map((r) => r._raw), ['b']);
  assert.deepEqual(run('* | where s > "B"', evs).map((r) => r._raw), ['b']);
  assert.deepEqual(run('* | where missing=1 OR missing!=1', evs), []);
  // A string (a rex capture) against a numeric literal: numeric when it looks numeric (spaces around allowed),
  // else compared as text ("abc" > "55", "1.5s" < "55").
  const caps = [ev('num', { t: '56.5' }), ev('pad', { t: ' 60 ' }), ev('low', { t: '7' }), ev('word', { t: 'abc' }), ev('unit', { t: '1.5s' }), ev('exp', { t: '1e3' })];
  const which = (spl: string) => run(spl, caps).map((r) => r._raw).sort();
  assert.deepEqual(which('* | where t > 55'), ['exp', 'num', 'pad', 'word']);
  assert.deepEqual(which('* | where t <= 55'), ['low', 'unit']);
  assert.deepEqual(which('* | where t = 7'), ['low']);
  assert.deepEqual(which('* | where t != 7'), ['exp', 'num', 'pad', 'unit', 'word']);
  // Two fields: single values, a multivalue side (any of its values), a null side (never true, even for !=).
  const pairs = [ev('one', { x: '5', y: 5 }), ev('mv', { x: ['1', '9'], y: '9' }), ev('text', { x: 'b', y: 'a' }), ev('null', { x: '5' })];
  const pair = (spl: string) => run(spl, pairs).map((r) => r._raw).sort();
  assert.deepEqual(pair('* | where x = y'), ['mv', 'one']);
  assert.deepEqual(pair('* | where x != y'), ['mv', 'text']);
  assert.deepEqual(pair('* | where x > y'), ['text']);
  const r = run('* | eval a=n*2+1, b=s."-".n, c=a/0, d=case(n>9, "big", n<0, "neg"), e=coalesce(missing, "", "x"), f=if(like(s, "A%"), "y", "n") | table a b c d e f', evs);
  assert.deepEqual(r, [{ a: 19, b: 'abc-9', f: 'n', e: '' }, { a: 21, b: 'Abc-10', d: 'big', e: '', f: 'y' }]);
});

test('eval functions', () => {
  const r = run(`* | eval
    m=if(match(p, "^/api/(tags|ps)$"), 1, 0), n=tonumber("0x1F", 16), t=tostring(5), rd=round(2.345, 2), lo=lower("AbC"), up=upper("x"),
    ln=len("héllo"), ss=substr("abcdef", 2, 3), ng=substr("abcdef", -2), rp=replace("a-b-c", "-", "+"),
    nu=if(isnull(zz), "null", "not"), nn=if(isnotnull(p), "y", "n"), nl=null(),
    sf=strftime(0, "%Y-%m-%d %H:%M:%S"), sp=strptime("2025-06-14 12:00:00", "%Y-%m-%d %H:%M:%S"), nw=now(),
    mc=mvcount(split("a,b,c", ",")), mj=mvjoin(split("a,b,c", ","), "|"), mi=mvindex(split("a,b,c", ","), -1),
    c4=if(cidrmatch("10.0.0.0/8", "10.1.2.3"), 1, 0), c6=if(cidrmatch("fd00::/8", "fd12::1"), 1, 0),
    c46=if(cidrmatch("10.0.0.0/8", "::ffff:10.9.9.9"), 1, 0), cno=if(cidrmatch("10.0.0.0/8", "11.0.0.1"), 1, 0)
    | fields - _raw _time sourcetype host p`, [ev('x', { p: '/api/tags' })]);
  assert.deepEqual(r[0], { m: 1, n: 31, t: '5', rd: 2.35, lo: 'abc', up: 'X', ln: 5, ss: 'bcd', ng: 'ef', rp: 'a+b+c', nu: 'null', nn: 'y', sf: '1970-01-01 00:00:00', sp: 1749902400, nw: NOW, mc: 3, mj: 'a|b|c', mi: 'c', c4: 1, c6: 1, c46: 1, cno: 0 });
});

test('rex: named groups, field=, PCRE (?P<name>), no match leaves fields alone', () => {
  const evs = [ev('source=server.go:544 msg="x"'), ev('nothing here', { code_source: 'keep' })];
  const r = run('* | rex field=_raw "source=(?<code_source>[^\\s]+)" | rex "(?P<word>noth\\w+)" | table code_source word', evs);
  assert.deepEqual(r, [{ code_source: 'keep', word: 'nothing' }, { code_source: 'server.go:544' }]);
  assert.match(err('* | rex "(?<a>[a-"'), /invalid regular expression/);
  assert.match(err('* | rex "no groups"'), /named group/);
});

test('rex after its first match: a multivalue field is read by its first value, rows without the field or a match pass unchanged', () => {
  const evs = [ev('x', { f: 'id=1' }), ev('x', { f: ['id=2', 'id=3'] }), ev('x', { id: 'kept' }), ev('x', { f: 'none', id: 'also' }), ev('x', { f: 42 })];
  const rows = run('* | rex field=f "id=(?<id>\\d+)" | table id', evs);
  assert.deepEqual(rows.map((r) => r.id), [undefined, 'also', 'kept', '2', '1']);
});

test('rename, table, fields, sort, head, dedup', () => {
  const evs = [ev('a', { src: 'x', n: 3 }), ev('b', { src: 'y', n: 1 }), ev('c', { src: 'x', n: 2 })];
  assert.deepEqual(run('* | rename src as client | table client', evs).map((r) => r.client), ['x', 'y', 'x']);
  assert.deepEqual(run('* | sort n | table n', evs), [{ n: 1 }, { n: 2 }, { n: 3 }]);
  assert.deepEqual(run('* | sort - n | table n', evs), [{ n: 3 }, { n: 2 }, { n: 1 }]);
  assert.deepEqual(run('* | head 2 | table _raw', evs), [{ _raw: 'c' }, { _raw: 'b' }]);
  assert.deepEqual(run('* | dedup src | table _raw', evs), [{ _raw: 'c' }, { _raw: 'b' }]);
  assert.deepEqual(Object.keys(run('* | fields src', evs)[0]!).sort(), ['_raw', '_time', 'src']);
  assert.deepEqual(run('* | table _raw', evs).map((r) => r._raw), ['c', 'b', 'a']);
});

test('sort with a limit keeps only the best rows, in the same order as a full sort (ties newest first)', () => {
  // 1000 rows with many ties: the bounded buffer is cut back to the limit many times along the way.
  const evs = Array.from({ length: 1000 }, (_, i) => ev(`e${i}`, { n: (i * 7919) % 13, k: i, _time: NOW - 1000 + i }));
  const expected = (limit: number) => evs.map((e, i) => ({ k: i, n: e.n as number }))
    .sort((a, b) => b.n - a.n || b.k - a.k).slice(0, limit);
  assert.deepEqual(run('* | sort 25 - n | table k n', evs), expected(25));
  assert.deepEqual(run('* | sort 1 - n | table k n', evs), expected(1));
  assert.deepEqual(run('* | sort 0 - n | table k n', evs), expected(1000));
  assert.equal(run('* | sort - n', evs).length, 1000);
});

test('earliest= and latest= in the search bound the time range', () => {
  const evs = [ev('a', { _time: NOW - 7200 }), ev('b', { _time: NOW - 600 }), ev('c', { _time: NOW })];
  assert.deepEqual(run('earliest=-1h latest=now', evs).map((r) => r._raw), ['b']);
});

test('errors say where and what', () => {
  assert.match(err('x | frobnicate y'), /unknown command "frobnicate".*column 5/s);
  assert.match(err('x | eval y=nosuch(1)'), /unknown eval function nosuch\(\)/);
  assert.match(err('x | eval y=round(1,2,3)'), /round\(\) takes 1 to 2 arguments, got 3/);
  assert.match(err('x | stats frob(x)'), /unknown statistical function "frob"/);
  assert.match(err('x | where (a > 1'), /expected "\)"/);
  assert.match(err('x "unterminated'), /unterminated string/);
  assert.match(err('x [search y]'), /subsearches/);
  assert.match(err('x | bin _time span=5q'), /unknown span unit/);
  assert.match(err('x | eval'), /eval needs an assignment/);
  assert.match(err('a OR'), /OR needs a search term after it/);
  assert.match(err('x | head foo'), /head takes a number/);
  const detail = err('x |\n stats nope(y)');
  assert.match(detail, /line 2, column 8/);
});

test('names every object inherits (constructor, toString, __proto__…) are unknown commands, functions and units, not found', () => {
  for (const name of Object.getOwnPropertyNames(Object.prototype)) {
    assert.match(err(`x | ${name} y`), /unknown command/, name);
    assert.match(err(`x | eval y=${name}(1)`), /unknown eval function/, name);
    assert.match(err(`x | stats ${name}(x)`), /unknown statistical function/, name);
    assert.match(err(`x | bin _time span=5${name}`), /unknown span unit|expected a span/, name);
    assert.match(err(`earliest=-1${name} x`), /earliest/, name);
  }
});

test('eval cannot assign a boolean (Splunk refuses it too)', () => {
  assert.throws(() => run('* | eval x=1<2', [ev('a')]), /true\/false/);
});

test('a term search after _raw is rewritten sees the new _raw, not the lower-cased copy kept for the old one', () => {
  const evs = [ev('Hello World'), ev('hello there')];
  assert.equal(run('hello | eval _raw="Other text" | search hello', evs).length, 0);
  assert.equal(run('hello | eval _raw="Other text" | search other', evs).length, 2);
  assert.equal(run('hello | rex field=_raw mode=sed "s/world/moon/i" | search moon', evs).length, 1);
  // The same events through a second search afterwards: the kept copy still answers for the original _raw.
  assert.equal(run('world', evs).length, 1);
});

test('rows refilled per event before stats carry nothing over from the event before', () => {
  // rex leaves fields alone on no match, eval writes null: neither may show the previous event's value.
  const evs = [ev('user=alice a=1'), ev('nothing here a=2'), ev('user=bob a=1'), ev('plain', { user: 'carol' })];
  const rows = run('* | rex field=_raw "user=(?<user>\\w+)" | rex field=_raw "a=(?<a>\\d)" | eval x=if(a="1", "one", null()) | stats count, count(x) as xs, values(a) as as by user', evs);
  assert.deepEqual(rows.map((r) => [r.user, r.count, r.xs, r.as]), [['alice', 1, 1, '1'], ['bob', 1, 1, '1'], ['carol', 1, 0, undefined]]);
  // Without stats the rows are kept, and each keeps its own fields.
  const kept = run('* | rex field=_raw "user=(?<user>\\w+)" | eval x=if(isnull(user), null(), upper(user)) | table user, x', evs);
  assert.deepEqual(kept.map((r) => [r.user, r.x]), [['carol', 'CAROL'], ['bob', 'BOB'], [undefined, undefined], ['alice', 'ALICE']]);
});

test('an expression over one field answers from its memo for repeated, alternating and number-or-string values', () => {
  const vals = ['/api/chat', '/api/chat', '/api/tags', '/api/chat', 5, '5', 5, '/api/tags', undefined, '/api/tags'];
  const evs = vals.map((v) => ev('x', v === undefined ? {} : { uri_path: v }));
  const rows = run('* | eval m=if(match(uri_path, "^/api/c"), "chat", "other"), n=len(uri_path) | table uri_path, m, n', evs);
  const expected = vals.map((v) => [v, v === undefined ? 'other' : String(v).startsWith('/api/c') ? 'chat' : 'other', v === undefined ? undefined : String(v).length]).reverse();
  assert.deepEqual(rows.map((r) => [r.uri_path, r.m, r.n]), expected);
});

test('stats aggregates: eval() arguments (true counts once, false and null not at all), multivalue inputs, a missing _time', () => {
  const evs = [
    ev('a', { src: 'x', status: 200, tags: ['p', 'q'] }),
    ev('b', { src: 'x', status: 404, tags: 'p' }),
    ev('c', { src: 'x', tags: ['r'] }),
    ev('d', { src: 'y', status: '500' }),
    { _raw: 'no time', sourcetype: 'ollama:server', src: 'y', status: 200 },
  ];
  const rows = run('* | stats count, count(eval(status=200)) as ok, sum(eval(if(status>=400, 1, null()))) as bad, values(tags) as tags, count(tags) as tagn, dc(status) as kinds by src', evs);
  assert.deepEqual(rows, [
    { src: 'x', count: 3, ok: 1, bad: 1, tags: ['p', 'q', 'r'], tagn: 4, kinds: 2 },
    { src: 'y', count: 2, ok: 1, bad: 1, tagn: 0, kinds: 2 },
  ]);
});
