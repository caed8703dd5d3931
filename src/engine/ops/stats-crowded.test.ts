// A stats by binned _time with more groups open than its limit passes each bin on as soon as it has ended:
// for a log in time order, the same rows; what stays open is bounded; a warning says so, once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatsStage } from './stats.js';
import { STATS_FUNCTIONS } from '../../spl/stats-functions.js';
import { TimeZone } from '../../util/timezone.js';
import type { Stage, StageContext } from '../stage.js';
import type { Row } from '../value.js';

const tz = TimeZone.resolve('UTC');
const T0 = Date.UTC(2025, 5, 1) / 1000;

function stats(limit: number | undefined, warnings: string[]): { stage: StatsStage; rows: Row[] } {
  const rows: Row[] = [];
  const sink: Stage = { push: (r) => rows.push(r), end: () => {} };
  const ctx: StageContext = { tz, now: T0 + 86400, warn: (w) => warnings.push(w) };
  const aggs = [{ fn: STATS_FUNCTIONS.count!, as: 'count' }, { fn: STATS_FUNCTIONS.values!, field: 'uri', as: 'uris' }];
  const stage = new StatsStage(aggs, ['_time', 'src'], true, 300, ctx, sink, undefined, { span: 300, tz }, limit);
  return { stage, rows };
}

test('a crowded stats passes bins on once they end: the same rows for a log in order, what stays open bounded', () => {
  // Three hours of a scan from 20 new addresses a second, and a few addresses that come back.
  const events: Row[] = [];
  for (let s = 0; s < 3 * 3600; s++) {
    for (let k = 0; k < 20; k++) events.push({ _time: T0 + s, src: `10.${s % 7}.${s >> 8}.${(s * 20 + k) & 255}`, uri: '/api/version' });
    if (s % 10 === 0) events.push({ _time: T0 + s, src: 'again', uri: s % 20 === 0 ? '/api/tags' : '/api/ps' });
  }
  const quiet: string[] = [], told: string[] = [];
  const held = stats(undefined, quiet), bounded = stats(2000, told);
  let most = 0;
  for (const e of events) {
    held.stage.push(e);
    bounded.stage.push(e);
    most = Math.max(most, bounded.stage.openGroups);
  }
  held.stage.end();
  bounded.stage.end();
  assert.deepEqual(bounded.rows, held.rows);
  assert.ok(held.rows.length > 100_000, `${held.rows.length} rows`);
  // At most the bin under way (6,000 events, fewer addresses) and one group of the next.
  assert.ok(most <= 6001, `${most} open`);
  assert.ok(held.stage.openGroups === 0 && quiet.length === 0);
  assert.equal(told.length, 1);
  assert.match(told[0]!, /more than 2,000 groups open/);
});

test('an event for a bin a crowded stats has passed on is reported as late', () => {
  const told: string[] = [];
  const { stage, rows } = stats(10, told);
  for (let i = 0; i < 50; i++) stage.push({ _time: T0 + i, src: `a${i}`, uri: '/x' });
  stage.push({ _time: T0 + 400, src: 'b', uri: '/x' }); // the first bin has ended: passed on
  stage.push({ _time: T0 + 10, src: 'a1', uri: '/y' }); // late for it
  stage.end();
  assert.ok(told.some((w) => /more than 10 groups open/.test(w)));
  assert.ok(told.some((w) => /arrived after that window's results were passed on/.test(w)));
  assert.equal(rows.filter((r) => r.src === 'a1').length, 2);
});
