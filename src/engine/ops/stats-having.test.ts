import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSearchText } from '../../spl/compile.js';
import { MacroTable } from '../../spl/macros.js';
import { runPlan } from '../pipeline.js';
import { TimeZone } from '../../util/timezone.js';
import type { Row } from '../value.js';
import { StatsStage } from './stats.js';
import type { Stage } from '../stage.js';
import type { Accumulator } from '../../spl/stats-functions.js';
import { Rng } from '../../sim/rng.js';

const tz = TimeZone.resolve('UTC');
const NOW = Date.UTC(2025, 5, 14, 12, 0, 0) / 1000;
const run = (spl: string, events: Row[]): Row[] => {
  const { plan } = compileSearchText(spl, new MacroTable(), { tz, now: NOW });
  return runPlan(plan, events, { tz, now: NOW, warn: () => {} });
};

test('stats then where: trying the where on each group first gives the rows the where gives after', () => {
  const g = new Rng(7);
  const r = () => g.next();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const events: Row[] = [];
  let t = NOW - 30000;
  for (let i = 0; i < 3000; i++) {
    t += Math.floor(r() * 20);
    const e: Row = { _time: t, _raw: `line ${i}`, src: pick(['a', 'b', 'c', 'd', '5', 5]), path: pick(['/x', '/y', '/z', '10', '9']) };
    if (r() < 0.8) e.n = pick([1, 2, 3, '4', 'x', 2.5]);
    events.push(e);
  }
  // The where reads by-fields, aggregates, names given twice, a field that is in neither, and nothing.
  const wheres = [
    'c > 40', 'c > 40 AND dc_p >= 4', 's > 100 OR src="a"', 'isnull(missing) AND c < 10', 'x = 2', 'x = "9"',
    'mvcount(p) > 4', 'len(src) = 1 AND avg_n > 2', 'c > 1000', '1=1', 'isnotnull(max_n) AND max_n >= 3',
  ];
  const stats = [
    'bin _time span=10m | stats count as c, dc(path) as dc_p, sum(n) as s, values(path) as p, avg(n) as avg_n, max(n) as max_n by _time, src',
    'stats count as c, values(path) as p, first(n) as x, last(path) as x by src',
    'stats count as c, sum(n) as s, values(n) as x, dc(path) as dc_p',
    'stats count as src, dc(path) as c, values(path) as p by src, path',
  ];
  let kept = 0;
  for (const s of stats) for (const w of wheres) {
    // A where 1=1 in between stops the stats from trying the real where first.
    const direct = run(`search * | ${s} | where ${w}`, events);
    const after = run(`search * | ${s} | where 1=1 | where ${w}`, events);
    assert.deepEqual(direct, after, `${s} | where ${w}`);
    kept += direct.length;
  }
  assert.ok(kept > 50, `some groups pass (${kept})`);
});

test('stats then where: a group the where drops never finishes the results the where does not read', () => {
  let results = 0;
  const counting = { needsField: true, create: (): Accumulator => ({ add() {}, result() { results++; return 'v'; } }) };
  const count = { needsField: false, create: (): Accumulator => { let n = 0; return { add() { n++; }, result() { return n; } }; } };
  const rows: Row[] = [];
  const sink: Stage = { push: (r) => rows.push(r), end() {} };
  const stage = new StatsStage([{ fn: count, as: 'c' }, { fn: counting, field: 'p', as: 'p' }], ['src'], false, undefined,
    { tz, now: NOW, warn: () => {} }, sink, { test: (r) => (r.c as number) > 2, reads: new Set(['c']) });
  for (const src of ['a', 'a', 'a', 'b', 'c', 'c']) stage.push({ _time: NOW, src, p: 'x' });
  stage.end();
  assert.deepEqual(rows, [{ src: 'a', c: 3, p: 'v' }]);
  assert.equal(results, 1, 'only the kept group computed p');
});
