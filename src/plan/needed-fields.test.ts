// Projection pushdown: which input fields each operator's results depend on, and that copying only those
// fields changes no result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSearchText } from '../spl/compile.js';
import { MacroTable } from '../spl/macros.js';
import { runPlan } from '../engine/pipeline.js';
import { rowCopier } from '../engine/stage.js';
import { TimeZone } from '../util/timezone.js';
import type { Row } from '../engine/value.js';
import { ALL, neededFields, type FieldSet } from './needed-fields.js';

const tz = TimeZone.resolve('UTC');
const NOW = Date.UTC(2025, 5, 14, 12, 0, 0) / 1000;
const plan = (spl: string) => compileSearchText(spl, new MacroTable(), { tz, now: NOW }).plan;
const sorted = (s: FieldSet | undefined) => (s === ALL || s === undefined ? s : [...s].sort());

test('needed fields are worked out backwards from table and stats', () => {
  const n = neededFields(plan('search line_type=gin | eval lat=response_time_ms/1000, slow=if(lat>5, 1, 0) | bin _time span=5m | stats count, sum(slow) as slow by _time, src | table _time, src, count').operators);
  assert.deepEqual(sorted(n[4]), ['_time', 'count', 'src']); // table
  assert.deepEqual(sorted(n[3]), ['_time', 'slow', 'src']); // stats
  assert.deepEqual(sorted(n[2]), ['_time', 'slow', 'src']); // bin
  // eval: slow and lat are made here; lat is read by a later assignment of the same eval, so only its input is needed.
  assert.deepEqual(sorted(n[1]), ['_time', 'response_time_ms', 'src']);
  assert.deepEqual(sorted(n[0]), ['_time', 'line_type', 'response_time_ms', 'src']);
});

test('anything may be needed when the results keep every field, or a name is a wildcard or a bare term', () => {
  const at1 = (spl: string) => neededFields(plan(`search a=1 | ${spl}`).operators)[1];
  assert.equal(at1('eval b=2'), ALL);
  assert.equal(at1('eval b=2 | table b, x*'), ALL);
  assert.equal(at1('eval b=2 | search error | table b'), ALL);
  assert.equal(at1('eval b=2 | rename x* as y* | table b'), ALL);
  // fields - passes on what comes after it; fields + keeps only the listed ones (and the internal fields).
  assert.deepEqual(sorted(at1('eval b=2 | fields b, c')), ['_raw', '_time', 'c']);
  assert.equal(at1('eval b=2 | fields - c'), ALL);
});

test('rex, bin, rename, transaction, dedup and sort keep what they read and what they may leave alone', () => {
  const n = neededFields(plan('search a=1 | rex field=msg "id=(?<id>\\d+)" | rename host as box | dedup id sortby -n | sort - when | transaction box startswith=eval(k="a") | table id, box').operators);
  assert.deepEqual(sorted(n[1]), ['_time', 'box', 'host', 'id', 'k', 'msg', 'n', 'when']);
  // A transaction joins its events' _raw: needed only when something after it reads or keeps _raw.
  const kept = neededFields(plan('search a=1 | transaction src | fields src, eventcount').operators);
  assert.deepEqual(sorted(kept[1]), ['_raw', '_time', 'eventcount', 'src']);
  const read = neededFields(plan('search a=1 | transaction src | where match(_raw, "x") | table src').operators);
  assert.deepEqual(sorted(read[1]), ['_raw', '_time', 'src']);
});

test('a transaction whose joined _raw nothing reads gives the same rows from events without it', () => {
  const events: Row[] = Array.from({ length: 40 }, (_, i) => ({ _time: 1000 + i * 30, _raw: `line ${i}`, src: `10.0.0.${i % 3}`, uri_path: i % 4 === 0 ? '/api/version' : '/api/pull', host: 'h' }));
  const spl = 'search host=h | transaction src maxspan=5m startswith=eval(uri_path="/api/version") endswith=eval(uri_path="/api/pull") | table _time, host, src, duration, eventcount, uri_path';
  const n = neededFields(plan(spl).operators);
  assert.ok(n[1] !== ALL && !n[1]!.has('_raw'));
  const copy = rowCopier(n[1]!);
  const whole = runPlan(plan(spl), events, { tz, now: NOW, warn: () => {} });
  const projected = runPlan(plan(spl), events.map(copy), { tz, now: NOW, warn: () => {} });
  assert.ok(whole.length > 0);
  assert.deepEqual(projected, whole);
});

test('the copy holds the needed fields only, the shared event is untouched, and results do not change', () => {
  const copy = rowCopier(new Set(['_time', 'src', 'missing']));
  const ev: Row = { _time: 1, _raw: 'x', src: '10.0.0.1', host: 'h' };
  const c = copy(ev);
  assert.deepEqual(Object.keys(c).sort(), ['_time', 'missing', 'src']);
  assert.equal(c.missing, undefined);
  c.src = 'changed';
  assert.equal(ev.src, '10.0.0.1');
  assert.equal(rowCopier(ALL)(ev).host, 'h');
  // A field named __proto__ must never become the copy's prototype.
  assert.equal(Object.getPrototypeOf(rowCopier(new Set(['__proto__', 'a']))({ a: 1 })), Object.prototype);

  const events: Row[] = Array.from({ length: 50 }, (_, i) => ({ _time: 1000 + i * 60, _raw: `line ${i}`, sourcetype: 'ollama:server', src: `10.0.0.${i % 3}`, status: i % 5 === 0 ? 500 : 200, uri_path: i % 2 ? '/api/chat' : '/api/tags', host: 'h' }));
  const before = JSON.stringify(events);
  const spl = 'search sourcetype="ollama:server" | eval bad=if(status>=500, 1, 0) | bin _time span=10m | stats count, sum(bad) as bad, values(uri_path) as paths by _time, src | where bad > 0';
  const rows = runPlan(plan(spl), events, { tz, now: NOW, warn: () => {} });
  assert.equal(JSON.stringify(events), before);
  assert.ok(rows.length > 0);
  for (const r of rows) assert.deepEqual(Object.keys(r).sort(), ['_time', 'bad', 'count', 'paths', 'src']);
  // Streaming to the end keeps every field of the event, as before.
  const all = runPlan(plan('search sourcetype=* | eval slow=1 | where status=500'), events, { tz, now: NOW, warn: () => {} });
  assert.deepEqual(Object.keys(all[0]!).sort(), ['_raw', '_time', 'host', 'slow', 'sourcetype', 'src', 'status', 'uri_path']);
});
