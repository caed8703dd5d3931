// The watch engine with a controllable clock: cron schedules and their windows, catch-up after a restart,
// real-time alerts that update instead of repeating, and throttling with its suppressed count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MacroTable } from '../spl/macros.js';
import { TimeZone } from '../util/timezone.js';
import { parseDetection } from '../detections/loader.js';
import type { Detection } from '../detections/types.js';
import type { Row } from '../engine/value.js';
import { StateStore } from './store.js';
import { AlertBook, type AlertRecord, type OutputRecord } from '../risk/alert-book.js';
import { WatchEngine } from './engine.js';
import { parseCron, cronMatches, CronError } from './cron.js';
import { ginLine } from '../sim/format.js';
import { EventMaker } from './events.js';

const tz = TimeZone.resolve('UTC');
const H = Date.UTC(2025, 5, 16, 10, 0, 0) / 1000; // 10:00 UTC

function detection(extra: Record<string, unknown> = {}): Detection {
  const data = {
    name: 'Test Burst', id: 'test-burst', search: '`ollama_server` line_type=gin | bin _time span=5m | stats count by _time, src | where count > 3',
    rba: { message: '$src$ sent $count$', risk_objects: [{ field: 'src', type: 'system', score: 50 }], threat_objects: [] },
    ...extra,
  };
  return parseDetection({ file: 'test.yml', data, where: () => 'test.yml' });
}
function setup(d: Detection, realtime: boolean, dir = mkdtempSync(join(tmpdir(), 'watch-'))) {
  const macros = new MacroTable();
  macros.set({ name: 'ollama_server', args: [], definition: '(sourcetype="ollama:server")' });
  const store = new StateStore(dir);
  const sent: AlertRecord[] = [];
  const book = new AlertBook(store.risk, (a: OutputRecord) => { if (a.type === 'alert' || a.type === 'update') sent.push(a); }, { throttle: true });
  const engine = new WatchEngine({ detections: [d], macros, tz, realtime, store, book, warn: () => {} });
  return { engine, store, sent, book, dir };
}
const maker = new EventMaker(tz, 'h');
const req = (t: number, src: string): Row => maker.line('test', ginLine(t * 1000, 200, 1e6, src, 'GET', '/api/tags'));

test('cron: fields, ranges, steps, lists; day-of-month OR day-of-week; errors name the field', () => {
  const c = parseCron('*/15 9-17 * * 1-5');
  const at = (iso: string) => cronMatches(c, Date.parse(iso) / 60000, tz);
  assert.equal(at('2025-06-16T09:45:00Z'), true);   // a Monday
  assert.equal(at('2025-06-16T09:50:00Z'), false);
  assert.equal(at('2025-06-15T09:45:00Z'), false);  // a Sunday
  const either = parseCron('0 0 1 * 0');
  assert.equal(cronMatches(either, Date.parse('2025-06-01T00:00:00Z') / 60000, tz), true); // 1st (and a Sunday)
  assert.equal(cronMatches(either, Date.parse('2025-06-08T00:00:00Z') / 60000, tz), true); // a Sunday
  assert.equal(cronMatches(either, Date.parse('2025-06-09T00:00:00Z') / 60000, tz), false);
  assert.throws(() => parseCron('61 * * * *'), CronError);
  assert.throws(() => parseCron('* * *'), /five fields/);
});

test('scheduled: runs on its cron over [earliest, latest) of the run time, and catches up after a restart', () => {
  const d = detection({ schedule: { cron: '0 * * * *', earliest: '-70m@m', latest: '-10m@m' } });
  const { engine, sent, dir, store } = setup(d, false);
  engine.tick(H - 30);                        // first start: nothing ran before, nothing runs now
  // A burst at 10:02 and one at 10:55: the 11:00 run covers 09:50–10:50 and sees the first only.
  engine.ingest([0, 1, 2, 3].map((i) => req(H + 120 + i, '203.0.113.1')));
  engine.ingest([0, 1, 2, 3].map((i) => req(H + 3300 + i, '203.0.113.2')));
  engine.tick(H + 3599);
  assert.equal(sent.length, 0, 'not due before 11:00');
  engine.tick(H + 3600);
  assert.deepEqual(sent.map((a) => [a.type, a.fields.src, a.time]), [['alert', '203.0.113.1', H]]);
  engine.tick(H + 3660);
  assert.equal(sent.length, 1, 'one run per cron minute');
  store.close();
  // The watcher is down from 11:01 to 13:30: the 12:00 and 13:00 runs are caught up at restart.
  const again = setup(d, false, dir);
  again.engine.ingest([0, 1, 2, 3].map((i) => req(H + 3300 + i, '203.0.113.2')));
  again.engine.tick(H + 3.5 * 3600);
  assert.deepEqual(again.sent.map((a) => [a.fields.src, a.time]), [['203.0.113.2', H + 3300]]);
  again.store.close();
});

test('realtime: fires on the condition as events arrive, then updates the same finding as it grows', () => {
  const { engine, sent, store } = setup(detection(), true);
  for (let i = 0; i < 3; i++) engine.ingest([req(H + i, '198.51.100.9')]);
  engine.tick(H + 10);
  assert.equal(sent.length, 0);
  engine.ingest([req(H + 4, '198.51.100.9')]);
  engine.tick(H + 11);
  assert.deepEqual(sent.map((a) => [a.type, a.fields.count, a.risk_message]), [['alert', 4, '198.51.100.9 sent 4']]);
  engine.ingest([req(H + 5, '198.51.100.9'), req(H + 6, '198.51.100.9')]);
  engine.tick(H + 12);
  engine.tick(H + 13); // nothing new: nothing sent
  assert.deepEqual(sent.map((a) => [a.type, a.fields.count, a.updates]), [['alert', 4, 0], ['update', 6, 1]]);
  assert.equal(sent[0]!.finding_id, sent[1]!.finding_id);
  const f = store.db.prepare('SELECT count(*) AS n, max(updates) AS u FROM findings').get() as { n: number; u: number };
  assert.deepEqual([f.n, f.u], [1, 1]);
  store.close();
});

test('throttling: alerts with the same field values within the period are stored as suppressed and counted', () => {
  const d = detection({ throttle: { fields: ['src'], period: '1h' } });
  const { engine, sent, store, book } = setup(d, true);
  engine.ingest([0, 1, 2, 3].map((i) => req(H + i, '198.51.100.7')));
  engine.tick(H + 10);
  engine.ingest([0, 1, 2, 3].map((i) => req(H + 600 + i, '198.51.100.7')));   // next 5-minute bin, same src
  engine.tick(H + 610);
  engine.ingest([0, 1, 2, 3].map((i) => req(H + 600 + i, '198.51.100.8')));   // another src: not throttled
  engine.tick(H + 620);
  engine.ingest([0, 1, 2, 3].map((i) => req(H + 4000 + i, '198.51.100.7'))); // after the period
  engine.tick(H + 4000 + 10);
  assert.deepEqual(sent.map((a) => [a.fields.src, a.time]), [['198.51.100.7', H], ['198.51.100.8', H + 600], ['198.51.100.7', H + 3900]]);
  assert.equal(book.suppressedCount, 1);
  const s = store.db.prepare('SELECT suppressed FROM suppressions WHERE key LIKE ?').get('%198.51.100.7%') as { suppressed: number };
  assert.equal(s.suppressed, 1);
  assert.equal((store.db.prepare('SELECT count(*) AS n FROM findings WHERE suppressed = 1').get() as { n: number }).n, 1);
  store.close();
});

test('a detection with a bad cron is refused with its file and name', () => {
  assert.throws(() => setup(detection({ schedule: { cron: '0 25 * * *' } }), false), /test\.yml: detection "Test Burst": cron hour "25" is outside 0-23/);
});
