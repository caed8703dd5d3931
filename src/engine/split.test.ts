// Where a search is cut for a split input, and the check that a stats run in each range gave one thread's groups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSearchText } from '../spl/compile.js';
import { MacroTable } from '../spl/macros.js';
import { TimeZone } from '../util/timezone.js';
import { Pipeline } from './pipeline.js';
import { binsApart, BinWatch, Capture } from './split.js';
import { LATE_HORIZON_SECONDS } from './ops/stats.js';
import type { Row } from './value.js';

const tz = TimeZone.resolve('UTC');
const ctx = { tz, now: 1e9, warn: () => {} };
const cut = (spl: string) => {
  const { plan } = compileSearchText(spl, new MacroTable(), { tz, now: 1e9 });
  return new Pipeline(plan, { ctx }).split;
};

test('a search is cut at its first operator that keeps rows between events', () => {
  assert.deepEqual(cut('search status=404 | eval a=1 | rex field=_raw "(?<b>x)" | table a, b'), { at: 4 });
  assert.deepEqual(cut('search status=404 | eval a=1 | stats count by src | where count > 2'), { at: 2 });
  assert.deepEqual(cut('search status=404 | sort 0 _time | streamstats count'), { at: 1 });
  assert.deepEqual(cut('search status=404 | transaction src maxspan=5m'), { at: 1 });
});

test('a stats by binned _time runs in each range, and the streaming operators after it: the cut follows them', () => {
  assert.deepEqual(cut('search status=404 | bin _time span=5m | stats count by _time, src | where count > 2'), { at: 4, stats: 2, binnedSpan: 300 });
  assert.deepEqual(cut('search status=404 | bin _time span=5m | stats count by _time, src | eval a=1 | stats count by a'), { at: 4, stats: 2, binnedSpan: 300 });
  // A sort with a limit is also run in each range, to keep only the rows it could pass on.
  assert.deepEqual(cut('search status=404 | bin _time span=5m | stats count by _time, src | sort -count | table src'), { at: 3, stats: 2, binnedSpan: 300, preselect: true });
  assert.deepEqual(cut('search status=404 | bin _time span=5m | stats count by _time, src | sort 0 -count'), { at: 3, stats: 2, binnedSpan: 300 });
  // Not by _time first, or _time changed after the bin, or rows no longer oldest first: cut before the stats.
  assert.deepEqual(cut('search status=404 | bin _time span=5m | stats count by src, _time'), { at: 2 });
  assert.deepEqual(cut('search status=404 | bin _time span=5m | eval _time=_time+1 | stats count by _time'), { at: 3 });
  assert.deepEqual(cut('search status=404 | bin _time span=5m | sort 0 src | stats count by _time'), { at: 2 });
});

test('a range\'s head keeps the rows at the cut, and the rest of the search takes them past the head', () => {
  const { plan } = compileSearchText('search line_type=gin | bin _time span=5m | stats count by _time, src | where count > 1', new MacroTable(), { tz, now: 1e9 });
  const events: Row[] = [0, 10, 20, 400, 410, 900].map((t, i) => ({ _time: t, line_type: 'gin', src: i === 2 ? 'b' : 'a' }));
  const whole = new Pipeline(plan, { ctx });
  for (const e of events) whole.push(e);
  const heads = [events.slice(0, 3), events.slice(3)].map((part) => {
    const h = new Pipeline(plan, { ctx, head: true });
    for (const e of part) h.push(e);
    return { rows: h.end(), bins: h.binsSeen };
  });
  assert.deepEqual(heads.map((h) => h.rows.length), [1, 1], 'each range gives its groups (those the where drops are dropped there)');
  assert.ok(heads.every((h) => h.rows.every((r) => (r.count as number) > 1)));
  assert.deepEqual(heads.map((h) => [h.bins!.min, h.bins!.max]), [[0, 0], [300, 900]]);
  assert.equal(binsApart(heads.map((h) => h.bins)), true);
  const rest = new Pipeline(plan, { ctx });
  for (const h of heads) rest.pushAtCut(h.rows);
  assert.deepEqual(rest.end(), whole.end());
});

test('bins of two ranges must not meet, and a range after rows must not be unsure of a bin', () => {
  const seen = (min: number, max: number, uncertain = false) => ({ min, max, uncertain });
  const none = { min: Infinity, max: -Infinity, uncertain: true };
  assert.equal(binsApart([seen(0, 300), seen(600, 900)]), true);
  assert.equal(binsApart([seen(0, 300), seen(300, 900)]), false, 'one bin in both');
  assert.equal(binsApart([seen(0, 600), seen(300, 900)]), false);
  assert.equal(binsApart([seen(0, 300), none, seen(600, 900)]), true, 'a range without rows is passed over');
  assert.equal(binsApart([seen(0, 300), seen(600, 900, true)]), false);
  assert.equal(binsApart([undefined, seen(600, 900, true)]), true, 'nothing came before: it started as one thread would');
  assert.equal(binsApart([]), true);
});

test('BinWatch is unsure of a row for a bin that may have been closed already', () => {
  const w = new BinWatch(300, new Capture());
  for (const t of [7200, 7500, 7500 - LATE_HORIZON_SECONDS - 300]) w.push({ _time: t });
  assert.deepEqual(w.seen, { min: 7500 - LATE_HORIZON_SECONDS - 300, max: 7500, uncertain: false }, 'at the limit: no bin that old is closed');
  w.push({ _time: 7500 - LATE_HORIZON_SECONDS - 600 });
  assert.equal(w.seen.uncertain, true);
});

test('Capture copies rows that may be shared; rows after a stats are its own', () => {
  const row: Row = { a: 1 };
  const copying = new Capture((r) => ({ ...r })), keeping = new Capture();
  copying.push(row); keeping.push(row);
  row.a = 2;
  assert.deepEqual(copying.rows, [{ a: 1 }]);
  assert.equal(keeping.rows[0], row);
});

test('a sort that only selects passes on the rows it would keep, in the order they came', async () => {
  const { SortStage } = await import('./ops/order.js');
  const rows: Row[] = [{ n: 3, i: 0 }, { n: 1, i: 1 }, { n: 3, i: 2 }, { n: 2, i: 3 }, { n: 3, i: 4 }];
  const keys = [{ field: 'n', desc: true, mode: 'auto' as const }];
  for (const reversed of [false, true]) {
    const sorted = new Capture(), selected = new Capture();
    const a = new SortStage(keys, 2, reversed, sorted), b = new SortStage(keys, 2, reversed, selected, true);
    for (const r of rows) { a.push(r); b.push(r); }
    a.end(); b.end();
    // Three rows tie for the top: plain order keeps the first two (or the last two, newest first, when reversed).
    assert.deepEqual(sorted.rows.map((r) => r.i), reversed ? [4, 2] : [0, 2]);
    assert.deepEqual(selected.rows.map((r) => r.i), reversed ? [2, 4] : [0, 2]);
  }
});

test('a head reset after its range takes the next range as a new head would, and leaves what it handed on alone', () => {
  const spl = 'search line_type=gin | bin _time span=5m | stats count, values(src) as srcs by _time, host | where count > 1 | sort -count | table _time, host, count, srcs';
  const { plan } = compileSearchText(spl, new MacroTable(), { tz, now: 1e9 });
  const ev = (t: number, src: string): Row => ({ _time: t, line_type: 'gin', src, host: 'h' });
  // The second range is earlier than the first: a head that remembered how far its bins had closed would
  // warn that its events came late, and number its groups after the first range's.
  const first = [ev(90_000, 'a'), ev(90_010, 'b'), ev(90_400, 'a'), ev(90_410, 'a'), ev(99_000, 'c'), ev(99_001, 'c')];
  const second = [ev(1000, 'x'), ev(1001, 'y'), ev(1400, 'x'), ev(1401, 'x'), ev(1402, 'z'), ev(9000, 'q')];
  const warnings: string[] = [];
  const run = (h: Pipeline, events: Row[]) => { for (const e of events) h.push(e); return { rows: h.end(), bins: h.binsSeen }; };
  const kept = new Pipeline(plan, { ctx: { ...ctx, warn: (m: string) => warnings.push(m) }, head: true });
  const a = run(kept, first);
  const handed = structuredClone(a);
  kept.reset();
  const b = run(kept, second);
  assert.deepEqual(a, handed, 'the first range\'s rows and bins are as they were handed on');
  assert.deepEqual(b, run(new Pipeline(plan, { ctx, head: true }), second));
  assert.deepEqual(b.rows.map((r) => r.count), [2, 3], 'the groups over the where, in the order the sort found them');
  assert.deepEqual(warnings, []);
  assert.throws(() => new Pipeline(plan, { ctx }).reset(), /head/);
});
