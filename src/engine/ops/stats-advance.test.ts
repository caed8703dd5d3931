// A stats by _time after a stats by binned _time passes on its earlier groups as the bins close (Stage.advance):
// the same rows, in the same order, as when it holds them all to the end, and they leave long before it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSearchText } from '../../spl/compile.js';
import { MacroTable } from '../../spl/macros.js';
import { Pipeline } from '../pipeline.js';
import { TimeZone } from '../../util/timezone.js';
import type { Row } from '../value.js';
import { Rng } from '../../sim/rng.js';

const tz = TimeZone.resolve('UTC');
const NOW = Date.UTC(2025, 5, 14, 12, 0, 0) / 1000;

/** The rows, and how many had left before end(). */
function run(spl: string, events: Row[]): { rows: Row[]; early: number } {
  const { plan } = compileSearchText(spl, new MacroTable(), { tz, now: NOW });
  const rows: Row[] = [];
  const p = new Pipeline(plan, { ctx: { tz, now: NOW, warn: () => {} }, onRow: (r) => rows.push(r) });
  for (const e of events) p.push(e);
  const early = rows.length;
  p.end();
  return { rows, early };
}

test('a second stats by _time passes its groups on as the first closes its bins, with the rows it gives at the end', () => {
  const g = new Rng(11);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(g.next() * xs.length)]!;
  const events: Row[] = [];
  let t = NOW - 12 * 3600;
  for (let i = 0; i < 6000; i++) {
    t += Math.floor(g.next() * 14);
    events.push({ _time: t, _raw: `line ${i}`, src: pick(['a', 'b', 'c', '5', 5, '10']), path: pick(['/x', '/y', ['/z', '/w'], '10']), n: pick([1, 2, '3', 'x']) });
  }
  const head = 'search * | bin _time span=5m | stats count, values(path) as paths, sum(n) as s by _time, src | where count > 2 | eval sev=if(s > 30, "high", "low")';
  const tails = [
    'stats count by _time, src, count, paths, sev',
    'stats count as groups, values(src) as srcs by _time, sev | where groups > 1',
    'table _time, src, count, sev | stats count by _time',
    'fields _time, src, paths | stats dc(src) as srcs by _time, paths',
  ];
  for (const tail of tails) {
    const streamed = run(`${head} | ${tail}`, events);
    // Assigning _time stops the signal: this stats holds every group to the end, as before.
    const held = run(`${head} | eval _time=_time | ${tail}`, events);
    assert.equal(held.early, 0);
    assert.ok(streamed.early > streamed.rows.length / 2, `${tail}: ${streamed.early} of ${streamed.rows.length} early`);
    assert.deepEqual(streamed.rows, held.rows, tail);
  }
  // A stats not by _time first holds its groups, and one that renames _time away is not told.
  assert.equal(run(`${head} | stats count by src, _time`, events).early, 0);
  assert.equal(run(`${head} | rename _time as t | stats count by t`, events).early, 0);
});
