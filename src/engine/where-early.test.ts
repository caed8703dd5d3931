import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSearchText } from '../spl/compile.js';
import { MacroTable } from '../spl/macros.js';
import { SplError } from '../spl/errors.js';
import { TimeZone } from '../util/timezone.js';
import { withWhereEarly } from './where-early.js';
import { runPlan } from './pipeline.js';
import type { Row } from './value.js';

const tz = TimeZone.resolve('UTC');
const compile = (spl: string) => compileSearchText(spl, new MacroTable(), { tz, now: 0 });
const run = (spl: string, evs: Row[]) => runPlan(compile(spl).plan, evs, { tz, now: 0, warn: () => {} });

test('a where moves ahead of evals that copy a field or set a literal, unless they assign what it reads', () => {
  const kinds = (spl: string) => withWhereEarly(compile(spl).plan.operators).map((o) => o.kind === 'where' ? `where(${o.expr.span.start})` : o.kind);
  const a = '* | eval src=src_ip | eval dest="x", n=5 | where rt > 55 | eval y=rt | where y > 1';
  assert.deepEqual(kinds(a), ['search', `where(${a.indexOf('rt > 55')})`, 'eval', 'eval', 'eval', `where(${a.indexOf('y > 1')})`]);
  // An eval that could fail (a call, arithmetic, a comparison) keeps its place ahead of the where.
  for (const e of ['eval a=lower(b)', 'eval a=b+1', 'eval a=b>1', 'eval a=true()']) {
    const spl = `* | ${e} | where rt > 55`;
    assert.deepEqual(kinds(spl), ['search', 'eval', `where(${spl.indexOf('rt > 55')})`], e);
  }
  const own = '* | eval rt=src | where rt > 55';
  assert.deepEqual(kinds(own), ['search', 'eval', `where(${own.indexOf('rt > 55')})`]);
});

test('the rows are those of the search as written; an eval that fails still fails', () => {
  const evs: Row[] = [
    { _time: 1, _raw: 'a', rt: '60', src_ip: '10.0.0.1' },
    { _time: 2, _raw: 'b', rt: 3, src_ip: '10.0.0.2' },
    { _time: 3, _raw: 'c', rt: ['70', '80'], src_ip: ['10.0.0.3', '10.0.0.4'] },
    { _time: 4, _raw: 'd', src_ip: '10.0.0.5' },
    { _time: 5, _raw: 'e', rt: '56', src: 'kept' },
  ];
  const spl = '* | eval src=src_ip | eval dest="x", n=5 | where rt > 55 | table _time, src, dest, n, rt';
  // coalesce() is a call: the where stays behind it, as written.
  assert.deepEqual(run(spl, evs), run(spl.replace('eval src=src_ip', 'eval src=coalesce(src_ip)'), evs));
  assert.deepEqual(run(spl, evs).map((r) => r._time), [5, 3, 1]);
  assert.deepEqual(run(spl, evs).find((r) => r._time === 5), { _time: 5, dest: 'x', n: 5, rt: '56' });
  assert.throws(() => run('* | eval b=rt>2 | where rt > 100', evs), (e: unknown) => e instanceof SplError && /true\/false/.test(e.message));
});

// Splunk's Exfiltration search: a rex over _raw, two renames and a where on a capture.
const REX = '| rex field=_raw "\\|\\s+(?<status_code>\\d+)\\s+\\|\\s+(?<response_time>[\\d\\.]+)s\\s+\\|\\s+(?<src_ip>[\\:\\da-f\\.]+)\\s+\\|\\s+(?<http_method>\\w+)\\s+\\"(?<uri_path>[^\\"]+)\\""';

test('a where on a rex capture is tried on the match before the row is made: the same rows', () => {
  const gin = (t: number, latency: string, client: string, path: string) =>
    `[GIN] 2025/06/01 - 00:00:0${t % 10} | 200 | ${latency.padStart(13)} | ${client.padStart(15)} | POST     "${path}"`;
  const evs: Row[] = [];
  for (let i = 0; i < 400; i++) {
    const latency = i % 3 === 0 ? `${50 + (i % 13)}.${i}s` : i % 3 === 1 ? `${i}.5ms` : '1m5.2s';
    evs.push({ _time: 1000 + i, _raw: gin(i, latency, `10.0.0.${i % 7}`, i % 5 ? '/api/chat' : '/api/generate') });
  }
  // Rows the rex does not match keep their own fields for the where: one holds its own response_time.
  evs.push({ _time: 2000, _raw: 'no gin here', response_time: '99', src_ip: '192.0.2.1', uri_path: '/own' });
  evs.push({ _time: 2001, _raw: 'no gin here', response_time: ['1', '2'] });
  evs.push({ _time: 2002, response_time: '98', src_ip: '192.0.2.2', uri_path: '/no-raw' });
  const tail = '| eval src=src_ip | eval dest=uri_path | where response_time > 55 | stats count, max(response_time) as m by src, dest';
  const spl = `* ${REX} ${tail}`;
  const got = run(spl, evs);
  // The same search with the where kept apart from the rex (coalesce() is a call, so it stays between).
  const apart = run(`* ${REX} | eval keep=coalesce(1) ${tail}`, evs);
  assert.deepEqual(got, apart);
  assert.ok(got.length > 5, 'the where keeps some rows');
  assert.ok(got.some((r) => r.src === '192.0.2.1' && r.m === 99), 'a row the rex did not match is tested on its own field');
  assert.ok(got.some((r) => r.src === '192.0.2.2' && r.m === 98), 'a row without _raw passes the rex as it is');
});
