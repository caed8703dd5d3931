// A finding seen again with a changed row is updated in place: its row, message, score and window, and the risk
// events it had rewritten; and the ledger reads back what it wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RiskStore } from './store.js';
import { AlertBook, type OutputRecord } from './alert-book.js';
import { DEFAULT_SCHEDULE, type Detection } from '../detections/types.js';
import type { Row } from '../engine/value.js';

const T = Date.UTC(2025, 5, 16, 0, 0, 0) / 1000;

const d: Detection = {
  name: 'Test scan', id: 'id-scan', version: 1, data_source: [], search: '| makeresults', references: [], drilldown_searches: [],
  rba: { message: '$src$ sent $count$ requests', risk_objects: [{ field: 'src', type: 'system', score: 40 }], threat_objects: [] },
  tags: { analytic_story: ['Suspicious Ollama Activities'], mitre_attack_id: ['T1595'] }, tests: [], sets: ['default'], differences: [],
  schedule: DEFAULT_SCHEDULE, file: 'scan.yml', filterMacro: 'scan_filter',
};

test('a finding seen again: its row updated, its risk event rewritten in place, its window widened', () => {
  const store = RiskStore.open();
  const sent: OutputRecord[] = [];
  const book = new AlertBook(store, (a) => sent.push(a), { throttle: false });
  book.record(d, [{ _time: T, src: '198.51.100.7', count: 130 }], T + 600, [T - 600, T + 300]);
  const first = store.db.prepare('SELECT * FROM findings').get() as Record<string, unknown>;
  // The same bin and client (the identity) with more requests, later, over a window that starts earlier.
  book.record(d, [{ _time: T, src: '198.51.100.7', count: 150 }], T + 1200, [T - 1200, T + 200]);
  assert.deepEqual(sent.map((s) => s.type), ['alert', 'update']);

  const f = store.finding(String(first.ident))!;
  // Read by position (raw rows) as SELECT * reads it by name.
  assert.deepEqual({ ...f }, { ...(store.db.prepare('SELECT * FROM findings WHERE id = ?').get(first.id) as object) });
  assert.deepEqual(store.findingById(Number(first.id)), f);
  assert.equal(f.updates, 1);
  assert.equal(f.last_seen, T + 1200);
  assert.deepEqual([f.window_start, f.window_end], [T - 1200, T + 300]);
  assert.match(f.message, /sent 150 requests/);
  const events = store.db.prepare('SELECT risk_object, risk_message, event FROM risk_events ORDER BY id').all() as Array<{ risk_object: string; risk_message: string; event: string }>;
  assert.deepEqual(events.map((e) => e.risk_object), ['198.51.100.7']);
  assert.match(events[0]!.risk_message, /sent 150 requests/);
  assert.equal((JSON.parse(events[0]!.event) as { fields: { count: number } }).fields.count, 150);

  // Seen a third time: rewritten in place, no second event for the object.
  const ids = store.riskRecords({}).map((r) => r.id);
  book.record(d, [{ _time: T, src: '198.51.100.7', count: 170 }], T + 1800);
  const after = store.riskRecords({});
  assert.deepEqual(after.map((r) => [r.id, r.risk_object, r.message]), [[ids[0], '198.51.100.7', '198.51.100.7 sent 170 requests']]);
  assert.deepEqual(after.map((r) => r.tactics), [['TA0043']]);
  const full = store.riskRecords({ full: true, object: '198.51.100.7' });
  assert.deepEqual(full.map((r) => [r.mitre_attack_id, r.analytic_story]), [[['T1595'], ['Suspicious Ollama Activities']]]);
  assert.equal(store.finding(String(first.ident))!.updates, 2);
  // Without a window, the window stays as it was.
  assert.deepEqual([store.finding(String(first.ident))!.window_start, store.finding(String(first.ident))!.window_end], [T - 1200, T + 300]);
  assert.equal(store.finding('no such finding'), undefined);
});

/** Every table of the ledger, every column, in id order: what a run leaves behind. */
function dump(store: RiskStore): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const t of ['findings', 'risk_events', 'notes', 'incidents', 'suppressions']) out[t] = store.db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all();
  return out;
}

test('coalescing runs of one finding leaves the ledger as writing their rows one by one does', () => {
  const two: Detection = { ...d, name: 'Two objects', id: 'id-two', rba: { ...d.rba!, message: '$src$ and $dest$: $count$', risk_objects: [{ field: 'src', type: 'system', score: 40 }, { field: 'dest', type: 'system', score: 25 }] } };
  const row = (src: string, count: number, extra: Row = {}): Row => ({ _time: T, src, dest: 'gpu-1', count, ...extra });
  // Runs that change on every row, that repeat a row, that come back to an earlier row, single rows, a finding
  // already in the ledger (unchanged, then changed), a closed one that grows, and the same finding again after another.
  const batches: Array<[Detection, Row[], number, [number, number] | undefined]> = [
    [d, [row('a', 1), row('a', 2), row('a', 2), row('a', 3), row('b', 1), row('c', 1), row('c', 1)], T + 10, [T - 600, T]],
    [two, [row('a', 5, { methods: ['GET'] }), row('a', 5, { methods: ['POST'] }), row('a', 5, { methods: ['GET'] }), row('d', 1)], T + 20, [T - 300, T + 60]],
    [d, [row('a', 3), row('a', 3), row('b', 1), row('b', 2), row('e', 9), row('a', 4)], T + 30, undefined],
    [two, [row('d', 1), row('d', 2), row('d', 3)], T + 40, [T - 900, T + 30]],
  ];
  const run = (coalesce: boolean) => {
    const store = RiskStore.open();
    const sent: OutputRecord[] = [];
    const book = new AlertBook(store, (a) => sent.push(a), { throttle: false, sources: ['/var/log/ollama/server.log'], coalesce });
    for (const [k, [det, rows, now, window]] of batches.entries()) {
      if (k === 3) store.db.prepare("UPDATE findings SET status = 'closed' WHERE detection = ?").run(two.name);
      store.db.transaction(() => book.record(det, rows, now, window))();
    }
    return { store, sent };
  };
  const one = run(false);
  const many = run(true);
  assert.deepEqual(dump(many.store), dump(one.store));
  // The same findings are alerted; the runs send fewer updates.
  const alerts = (s: OutputRecord[]) => s.flatMap((r) => (r.type === 'alert' ? [[r.detection, r.fields.src]] : []));
  assert.deepEqual(alerts(many.sent), alerts(one.sent));
  assert.ok(many.sent.length < one.sent.length, `${many.sent.length} records against ${one.sent.length}`);
  // What was checked is not nothing: updates were counted, a closed finding reopened with a note.
  const f = dump(one.store).findings as Array<{ ident: string; updates: number; status: string }>;
  assert.ok(f.some((x) => x.updates >= 3), JSON.stringify(f.map((x) => x.updates)));
  assert.ok((dump(one.store).notes as unknown[]).length > 0);
});
