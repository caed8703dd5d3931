// A bin left to the stats after it (bin-into-stats.ts) gives the rows the two stages give, whatever the events hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSearchText } from '../spl/compile.js';
import { MacroTable } from '../spl/macros.js';
import { Pipeline } from './pipeline.js';
import { binFusesIntoStats } from './bin-into-stats.js';
import { BinWatch } from './split.js';
import { StatsStage } from './ops/stats.js';
import { STATS_FUNCTIONS } from '../spl/stats-functions.js';
import { TimeZone } from '../util/timezone.js';
import type { Row } from './value.js';
import type { Stage } from './stage.js';
import { Rng } from '../sim/rng.js';

const tz = TimeZone.resolve('Europe/Berlin');
const NOW = Date.UTC(2025, 5, 14, 12, 0, 0) / 1000;
const ctx = { tz, now: NOW, warn: () => {} };

function planOf(spl: string) {
  return compileSearchText(spl, new MacroTable(), { tz, now: NOW }).plan;
}

function run(spl: string, events: Row[]): Row[] {
  const rows: Row[] = [];
  const p = new Pipeline(planOf(spl), { ctx, onRow: (r) => rows.push(r) });
  for (const e of events) p.push(e);
  p.end();
  return rows;
}

test('a bin of _time by a span of time fuses into a stats by _time that reads _time nowhere else', () => {
  const fuses = (spl: string) => binFusesIntoStats(planOf(`* | ${spl}`).operators, 1);
  assert.equal(fuses('bin _time span=5m | stats count, values(src) as s, first(x) as f by _time, src, host'), true);
  assert.equal(fuses('bin _time span=1d | stats count by _time'), true);
  assert.equal(fuses('bin _time span=5m | stats count by src, _time'), false, '_time not first');
  assert.equal(fuses('bin _time span=5m as t | stats count by _time'), false, 'binned into another field');
  assert.equal(fuses('bin _time span=5m | stats min(_time) as m by _time'), false, 'an aggregate of _time');
  assert.equal(fuses('bin _time span=5m | stats count(eval(_time > 5)) as n by _time'), false, 'an eval argument reading _time');
  assert.equal(fuses('bin _time span=5m | eval a=1 | stats count by _time'), false, 'not right before the stats');
  assert.equal(fuses('bin bytes span=10 | stats count by _time'), false, 'not _time');
  assert.equal(fuses('bin _time span=10 | stats count by _time'), true, 'a number of seconds');
});

/** Events oldest first with awkward values: multivalue by-fields and times, strings for times, no time at all. */
function events(seed: number, n: number): Row[] {
  const g = new Rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(g.next() * xs.length)]!;
  const out: Row[] = [];
  let t = NOW - 30 * 3600;
  for (let i = 0; i < n; i++) {
    t += Math.floor(g.next() * 400);
    const e: Row = { _time: t, src: pick(['a', 'b', 'c', '7']), host: 'h', x: pick(['p', 'q', 1, 2.5]) };
    const odd = g.next();
    if (odd < 0.03) e.src = ['a', 'b'];
    else if (odd < 0.05) e._time = String(t);
    else if (odd < 0.06) e._time = 'soon';
    else if (odd < 0.07) delete e._time;
    else if (odd < 0.08) e._time = [t];
    else if (odd < 0.09) e._time = [t, t + 1];
    else if (odd < 0.10) e._time = Number.NaN;
    out.push(e);
  }
  return out;
}

test('fused, a stats gives the rows the bin and the stats give apart, in the same order', () => {
  const stats = [
    'stats count, values(x) as xs, dc(x) as d, first(x) as f, last(x) as l, earliest(x) as e, latest(x) as la by _time, src, host',
    'stats count as n, sum(x) as s by _time | where n > 2',
    'stats list(x) as xs by _time, src',
  ];
  for (const span of ['5m', '1h', '1d', '2d', '90']) {
    for (const s of stats) {
      for (const seed of [1, 2, 3]) {
        const evs = events(seed, 600);
        // An eval between them keeps them apart: the oracle.
        const apart = run(`* | bin _time span=${span} | eval unread=1 | ${s}`, evs);
        const fused = run(`* | bin _time span=${span} | ${s}`, evs);
        assert.ok(apart.length > 0);
        assert.deepEqual(fused, apart, `span=${span} seed=${seed}: ${s}`);
      }
    }
  }
});

test('a stats given the bin bins each event as it places it, and so does the watch before it', () => {
  const rows: Row[] = [];
  const sink: Stage = { push: (r) => rows.push(r), end: () => {} };
  const utc = TimeZone.resolve('UTC');
  const stats = new StatsStage([{ fn: STATS_FUNCTIONS.count!, as: 'count' }], ['_time', 'src'], true, 300, ctx, sink, undefined, { span: 300, tz: utc });
  const watch = new BinWatch(300, stats, { span: 300, tz: utc });
  for (const t of [1000, 1100, 1299, 1300, 1500]) watch.push({ _time: t, src: 'a' });
  watch.end();
  assert.deepEqual(rows, [{ _time: 900, src: 'a', count: 2 }, { _time: 1200, src: 'a', count: 2 }, { _time: 1500, src: 'a', count: 1 }]);
  assert.equal(watch.seen.min, 900);
  assert.equal(watch.seen.max, 1500);
});
