import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSearchText } from '../../spl/compile.js';
import { MacroTable } from '../../spl/macros.js';
import { runPlan } from '../pipeline.js';
import { TimeZone } from '../../util/timezone.js';
import { keyOf } from './group-index.js';
import { valuesOf, type Row, type Scalar } from '../value.js';
import { STATS_FUNCTIONS } from '../../spl/stats-functions.js';
import { Rng } from '../../sim/rng.js';

const tz = TimeZone.resolve('UTC');
const NOW = Date.UTC(2025, 5, 14, 12, 0, 0) / 1000;

// A group keeps every aggregate in one array, each at its offset (count one slot, dc and values three, any
// other function its accumulator object in one). Written the plain way for the reference: one accumulator
// object per aggregate per group.
test('stats: aggregates side by side in one group\'s slots answer as one accumulator each', () => {
  const aggs: Array<[string, string | undefined]> = [
    ['count', undefined], ['values', 'x'], ['dc', 'x'], ['max', 'x'], ['values', 'y'], ['count', 'y'],
    ['avg', 'n'], ['dc', 'y'], ['list', 'x'], ['first', 'y'], ['latest', 'x'], ['sum', 'n'],
  ];
  const spl = `search * | stats ${aggs.map(([f, a], i) => `${f}${a ? `(${a})` : ''} as a${i}`).join(', ')} by k`;
  const { plan } = compileSearchText(spl, new MacroTable(), { tz, now: NOW });
  for (let seed = 1; seed <= 40; seed++) {
    const r = new Rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[r.int(0, xs.length - 1)]!;
    const events: Row[] = [];
    for (let i = 0; i < 300; i++) {
      const e: Row = { _time: NOW - 1000 + i, k: r.int(0, 5) === 0 ? ['g1', 'g2'] : pick(['g1', 'g2', 'g3', 5, '5']) };
      if (r.int(0, 4) > 0) e.x = r.int(0, 3) === 0 ? [pick(['a', 'b', 7]), pick(['c', '7'])] : pick(['a', 'b', 'c', 7, '7', '']);
      if (r.int(0, 2) > 0) e.y = pick(['GET', 'POST', 200, '200']);
      if (r.int(0, 2) > 0) e.n = pick([1, 2.5, '3', 'x']);
      events.push(e);
    }
    const got = runPlan(plan, events, { tz, now: NOW, warn: () => {} });
    // The reference: the events oldest first, as runPlan hands them on, to accumulators told so.
    const groups = new Map<string, { k: Scalar; accs: ReturnType<typeof STATS_FUNCTIONS.count.create>[] }>();
    for (const e of events) {
      for (const k of valuesOf(e.k)) {
        let g = groups.get(keyOf(k));
        if (!g) groups.set(keyOf(k), (g = { k, accs: aggs.map(([f]) => STATS_FUNCTIONS[f]!.create(true)) }));
        aggs.forEach(([, field], i) => {
          if (field === undefined) { g!.accs[i]!.add(1, e._time as number); return; }
          for (const v of valuesOf(e[field])) g!.accs[i]!.add(v, e._time as number);
        });
      }
    }
    const want = [...groups.values()].map((g) => {
      const row: Row = { k: g.k };
      g.accs.forEach((a, i) => { const v = a.result(); if (v !== undefined) row[`a${i}`] = v; });
      return row;
    }).sort((a, b) => String(a.k) < String(b.k) ? -1 : String(a.k) > String(b.k) ? 1 : 0);
    assert.deepEqual(got, want, `seed ${seed}`);
  }
});
