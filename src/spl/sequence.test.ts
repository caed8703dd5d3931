// transaction, streamstats and eventstats: the commands sequence detections need, with Splunk's semantics
// (docs/spl.md lists the choices made where Splunk's documentation is silent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSearchText, SearchCompileError } from './compile.js';
import { MacroTable } from './macros.js';
import { Pipeline, runPlan } from '../engine/pipeline.js';
import { TimeZone } from '../util/timezone.js';
import type { Row } from '../engine/value.js';
import { addTuningMacros } from '../detections/tuning.js';

const tz = TimeZone.resolve('UTC');
const NOW = Date.UTC(2025, 5, 14, 12, 0, 0) / 1000;
const T0 = Date.UTC(2025, 5, 14, 10, 0, 0) / 1000;
function plan(spl: string, m = new MacroTable()) { return compileSearchText(spl, m, { tz, now: NOW }).plan; }
function run(spl: string, events: Row[], m?: MacroTable): Row[] { return runPlan(plan(spl, m), events, { tz, now: NOW, warn: () => {} }); }
function err(spl: string): string {
  try { plan(spl); } catch (e) { if (e instanceof SearchCompileError) return e.detail; throw e; }
  assert.fail(`expected an error for ${spl}`);
}
/** A request from `src` to `uri` at T0 + `s` seconds (events are fed oldest first, as files are read). */
const req = (s: number, src: string, uri: string, extra: Row = {}): Row => ({ _time: T0 + s, _raw: `${src} ${uri}`, src, uri, ...extra });

test('transaction: startswith/endswith/maxspan per key; incomplete ones dropped; newest transaction first', () => {
  const evs = [
    req(0, 'a', '/api/version'), req(60, 'b', '/api/version'), req(120, 'a', '/api/tags'), req(300, 'a', '/api/pull'),
    req(400, 'b', '/api/tags'),                       // b never reaches a pull: evicted, dropped
    req(1000, 'c', '/api/version'), req(2000, 'c', '/api/pull'), // 1000 s apart > maxspan=15m: dropped
    req(3000, 'a', '/api/pull'),                      // a pull with no version before it: never starts
  ];
  const rows = run('* | transaction src maxspan=15m startswith=eval(uri="/api/version") endswith=eval(uri="/api/pull")', evs);
  assert.equal(rows.length, 1);
  assert.deepEqual({ ...rows[0] }, { src: 'a', uri: ['/api/pull', '/api/tags', '/api/version'], _time: T0, _raw: 'a /api/version\na /api/tags\na /api/pull', duration: 300, eventcount: 3 });
  const kept = run('* | transaction src maxspan=15m startswith=eval(uri="/api/version") endswith=eval(uri="/api/pull") keepevicted=true | table src closed_txn eventcount', evs);
  // c's pull comes after maxspan and does not start one: only the version request is kept; a's late pull is an orphan.
  assert.deepEqual(kept.map((r) => [r.src, r.closed_txn, r.eventcount]), [['c', 0, 1], ['b', 0, 2], ['a', 1, 3]]);
});

test('transaction: a new start closes the open one; search-string boundaries; maxpause and maxevents', () => {
  const evs = [req(0, 'a', '/api/version'), req(10, 'a', '/api/version'), req(20, 'a', '/api/pull')];
  const rows = run('* | transaction src startswith="/api/version" endswith=(uri="/api/pull")', evs);
  assert.deepEqual(rows.map((r) => [r._time, r.eventcount]), [[T0 + 10, 2]]);
  const paused = run('* | transaction src maxpause=5s', [req(0, 'a', '/x'), req(3, 'a', '/y'), req(30, 'a', '/z')]);
  assert.deepEqual(paused.map((r) => r.eventcount), [1, 2]);
  const capped = run('* | transaction src maxevents=2', [req(0, 'a', '/1'), req(1, 'a', '/2'), req(2, 'a', '/3')]);
  assert.deepEqual(capped.map((r) => r.eventcount), [1, 2]);
  // Events without the key field are not part of any transaction.
  assert.equal(run('* | transaction src', [{ _time: T0, _raw: 'x' }]).length, 0);
});

test('transaction: options and boundaries are checked with positions', () => {
  assert.match(err('* | transaction'), /needs at least one field/);
  assert.match(err('* | transaction src maxspan=5q'), /unknown span unit "q"/);
  assert.match(err('* | transaction src startswith=eval(uri="a"'), /expected "\)"/);
  assert.match(err('* | transaction src bogus=1'), /unknown transaction option "bogus"/);
  assert.match(err('* | transaction src mvlist=true'), /mvlist= is not supported/);
});

test('streamstats: running aggregates in Splunk order (newest first for raw events), by key, current=f, window', () => {
  const evs = [req(0, 'a', '/1', { n: 1 }), req(1, 'b', '/2', { n: 10 }), req(2, 'a', '/3', { n: 2 }), req(3, 'a', '/4', { n: 3 })];
  // Raw events: Splunk sees them newest first, so the oldest gets the largest running count.
  const raw = run('* | streamstats count as c sum(n) as s by src | table _time src c s', evs);
  assert.deepEqual(raw.map((r) => [r._time, r.c, r.s]), [[T0 + 3, 1, 3], [T0 + 2, 2, 5], [T0 + 1, 1, 10], [T0, 3, 6]]);
  const sorted = run('* | sort 0 _time | streamstats current=f last(uri) as prev count as c by src | table src uri prev c', evs);
  assert.deepEqual(sorted.map((r) => [r.src, r.uri, r.prev ?? null, r.c]), [['a', '/1', null, 0], ['b', '/2', null, 0], ['a', '/3', '/1', 1], ['a', '/4', '/3', 2]]);
  const win = run('* | sort 0 _time | streamstats window=2 sum(n) as s | table s', evs);
  assert.deepEqual(win.map((r) => r.s), [1, 11, 12, 5]);
});

test('streamstats: time_window keeps rows less than the span away; reset_on_change restarts on a new key', () => {
  const evs = [req(0, 'a', '/1'), req(4, 'a', '/2'), req(5, 'a', '/3'), req(20, 'a', '/4')];
  const tw = run('* | sort 0 _time | streamstats time_window=5s count as c | table c', evs);
  assert.deepEqual(tw.map((r) => r.c), [1, 2, 2, 1]);
  const reset = run('* | sort 0 _time | streamstats reset_on_change=true count as c by src | table c', [req(0, 'a', '/'), req(1, 'a', '/'), req(2, 'b', '/'), req(3, 'a', '/')]);
  assert.deepEqual(reset.map((r) => r.c), [1, 2, 1, 1]);
  assert.match(err('* | streamstats count current=f'), /unknown statistical function "current"/);
  assert.match(err('* | streamstats time_window=10 count'), /time_window needs a time unit/);
});

test('eventstats: group aggregates added to every row, order kept; rows without the by-field pass unchanged', () => {
  const evs = [req(0, 'a', '/1', { n: 1 }), req(1, 'b', '/2', { n: 10 }), req(2, 'a', '/3', { n: 2 }), { _time: T0 + 3, _raw: 'no src', n: 5 }];
  const rows = run('* | eventstats count as c, max(n) as top by src | table src n c top', evs);
  assert.deepEqual(rows.map((r) => [r.src ?? null, r.n, r.c ?? null, r.top ?? null]), [[null, 5, null, null], ['a', 2, 2, 2], ['b', 10, 1, 10], ['a', 1, 2, 2]]);
  const all = run('* | eventstats count as total | where n > 1 | table n total', evs);
  assert.deepEqual(all.map((r) => [r.n, r.total]), [[5, 4], [2, 4], [10, 4]]);
});

test('pipelines sharing events: a rex that does not match and a bin in one detection never change another\'s rows', () => {
  const a = new Pipeline(plan('* | rex field=_raw "(?<never>zzz)" | bin _time span=1h | eval src="changed"'), { ctx: { tz, now: NOW, warn: () => {} } });
  const b = new Pipeline(plan('* | rename nothing as other | bin span=1h _time as hour | table _time src'), { ctx: { tz, now: NOW, warn: () => {} } });
  const c = new Pipeline(plan('* | table _time src'), { ctx: { tz, now: NOW, warn: () => {} } });
  const evs = [req(65, 'x', '/1'), req(125, 'y', '/2')];
  for (const e of evs) { a.push(e); b.push(e); c.push(e); }
  a.end(); b.end();
  assert.deepEqual(c.end().map((r) => [r._time, r.src]), [[T0 + 125, 'y'], [T0 + 65, 'x']]);
  assert.deepEqual(evs.map((e) => [e._time, e.src]), [[T0 + 65, 'x'], [T0 + 125, 'y']]);
});

test('tuning macros: cidrmatch for IPv4, IPv6 and IPv4-mapped addresses; trusted registries with wildcards', () => {
  const m = new MacroTable();
  addTuningMacros(m, { trusted_networks: ['10.0.0.0/8', 'fc00::/7', '::1/128'], known_clients: ['203.0.113.7'], trusted_registries: ['registry.ollama.ai', '*.example.com'], file: 'test' });
  const evs = ['10.1.2.3', '::ffff:10.9.9.9', 'fd12:3456::1', '::1', '203.0.113.7', '203.0.113.8', '2001:db8::1'].map((src, i) => req(i, src, '/'));
  const ext = run('* | where `ollama_external_src(src)` | table src', evs, m);
  assert.deepEqual(ext.map((r) => r.src), ['2001:db8::1', '203.0.113.8']);
  const regs = ['registry.ollama.ai', 'REGISTRY.OLLAMA.AI', 'hub.example.com', 'example.com', 'evil.example.com.attacker.net'].map((r, i) => req(i, 's', '/', { registry: r }));
  const trusted = run('* | where `ollama_trusted_registry(registry)` | table registry', regs, m);
  assert.deepEqual(trusted.map((r) => r.registry), ['hub.example.com', 'REGISTRY.OLLAMA.AI', 'registry.ollama.ai']);
});

test('regex check: escapes before a quantifier are not mistaken for possessive quantifiers', () => {
  const rows = run('* | rex field=_raw "exit status (?<code>-?\\w+)" | table code', [{ _time: T0, _raw: 'exit status -2' }]);
  assert.deepEqual(rows.map((r) => r.code), ['-2']);
  assert.match(err('* | rex field=_raw "(?<x>a++)"'), /possessive quantifiers are not supported/);
});
