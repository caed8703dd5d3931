// Risk incident rules with a controllable clock: every risk event's time and every evaluation's wall time are
// set by the test, so thresholds, dedup and throttling are pinned exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RiskStore } from './store.js';
import { AlertBook, type OutputRecord } from './alert-book.js';
import type { IncidentChange, IncidentConfig, IncidentLedger } from './incidents.js';
import { IncidentEngine } from './incident-engine.js';
import { ScanRecorder } from './scan-ledger.js';
import { Rng } from '../sim/rng.js';
import type { IncidentRecord } from './incident-record.js';
import { DEFAULT_SCHEDULE, type Detection } from '../detections/types.js';
import { applyAction } from './lifecycle.js';
import { loadIncidentConfig } from './incident-config.js';
import { tacticsFor } from './tactics.js';

const H = 3600;
const T0 = Date.UTC(2025, 5, 16, 0, 0, 0) / 1000;
const X = '198.51.100.7';

function det(slug: string, score: number, mitre: string[]): Detection {
  return {
    name: `Test ${slug}`, id: `id-${slug}`, version: 1, data_source: [], search: '| makeresults', references: [], drilldown_searches: [],
    rba: { message: '$src$ did ' + slug, risk_objects: [{ field: 'src', type: 'system', score }], threat_objects: [] },
    tags: { analytic_story: ['Suspicious Ollama Activities'], mitre_attack_id: mitre }, tests: [], sets: ['default'], differences: [],
    schedule: DEFAULT_SCHEDULE, file: `${slug}.yml`, filterMacro: `${slug}_filter`,
  };
}

const RULES: IncidentConfig = loadIncidentConfig();

function ledger(config: IncidentConfig = RULES) {
  const store = RiskStore.open();
  const out: IncidentRecord[] = [];
  const book = new AlertBook(store, (a: OutputRecord) => { if (a.type === 'incident' || a.type === 'incident_update') out.push(a); }, { throttle: true, incidents: config });
  /** A finding of `d` against `src` for the bin starting at `t`, recorded at wall time `t + 600`. */
  const hit = (d: Detection, t: number, src = X) => book.record(d, [{ _time: t, src, host: 'gpu' }], t + 600, [t - 3600, t + 600]);
  return { store, out, hit, book };
}

const recon = det('recon', 25, ['T1595.002']);
const mgmt = det('mgmt', 64, ['T1190', 'T1565.001']);
const push = det('push', 72, ['T1567']);
const jack = det('jack', 42, ['T1496.001']);
const scan40 = det('scan40', 40, ['T1595']);
const flood = det('flood', 60, ['T1498']);

test('the default rules file holds Splunk ES\'s two risk incident rules', () => {
  assert.deepEqual(RULES.rules.map((r) => [r.id, r.window, r.score_above, r.min_tactics, r.min_detections]), [
    ['risk_threshold_24h', 86400, 100, undefined, undefined], ['tactic_threshold_7d', 7 * 86400, undefined, 3, 4],
  ]);
  assert.equal(RULES.dedup, true);
  assert.equal(RULES.throttle, 86400);
  assert.deepEqual(tacticsFor(['T1190', 'T1565.001', 'T1499.003']), ['TA0001', 'TA0040']);
});

test('24 h score rule: fires once the sum passes 100 within 24 h, not at exactly 100, not across 24 h', () => {
  const a = ledger();
  a.hit(mgmt, T0);
  assert.equal(a.out.length, 0);
  a.hit(det('x36', 36, ['T1595']), T0 + 2 * H); // 64 + 36 = 100: not above
  assert.equal(a.out.length, 0);
  a.hit(det('x1', 1, ['T1595']), T0 + 3 * H); // 101
  assert.equal(a.out.length, 1);
  assert.equal(a.out[0]!.type, 'incident');
  assert.equal(a.out[0]!.time, T0 + 3 * H);
  assert.equal(a.out[0]!.risk_score, 101);
  assert.deepEqual(a.out[0]!.rules, ['risk_threshold_24h']);

  const b = ledger();
  b.hit(mgmt, T0);
  b.hit(flood, T0 + 24 * H); // the first left the window (t - 24h, t]
  assert.equal(b.out.length, 0);
  b.hit(flood, T0 + 24 * H - 1, '203.0.113.5'); // another object: separate
  assert.equal(b.out.length, 0);
  const c = ledger();
  c.hit(mgmt, T0);
  c.hit(flood, T0 + 24 * H - 1); // still inside
  assert.equal(c.out.length, 1);
  assert.equal(c.out[0]!.risk_score, 124);
});

test('dedup: a detection matching the same object every hour counts once per window; without dedup it trips the rule', () => {
  const a = ledger();
  for (let h = 0; h < 6; h++) a.hit(flood, T0 + h * H);
  assert.equal(a.out.length, 0, 'six hourly matches of one 60-point detection are one condition');
  const objs = a.store.riskRecords();
  assert.equal(objs.length, 6);

  const b = ledger({ ...RULES, dedup: false });
  for (let h = 0; h < 6; h++) b.hit(flood, T0 + h * H);
  assert.equal(b.out.length, 5, 'raised on the second hour, then updated by each later hour (within the throttle)');
  assert.equal(b.out[0]!.type, 'incident');
  assert.equal(b.out[0]!.time, T0 + H);
  assert.equal(b.out[0]!.risk_score, 120);
  assert.equal(b.out.filter((o) => o.type === 'incident').length, 1);
});

test('tactic rule: 3 tactics and 4 detections within 7 days, on low scores', () => {
  const low = (slug: string, mitre: string[]) => det(slug, 5, mitre);
  const a = ledger();
  a.hit(low('r1', ['T1595']), T0);
  a.hit(low('r2', ['T1595.002']), T0 + 2 * 86400);
  a.hit(low('ia', ['T1190']), T0 + 4 * 86400);
  assert.equal(a.out.length, 0, '3 detections');
  a.hit(low('imp', ['T1496']), T0 + 6 * 86400);
  assert.equal(a.out.length, 1);
  assert.deepEqual(a.out[0]!.rules, ['tactic_threshold_7d']);
  assert.deepEqual(a.out[0]!.tactics, ['Reconnaissance', 'Initial Access', 'Impact']);
  assert.equal(a.out[0]!.risk_score, 20);
  assert.deepEqual(a.out[0]!.stages.map((s) => s.tactic), ['Reconnaissance', 'Initial Access', 'Impact']);

  const b = ledger();
  b.hit(low('r1', ['T1595']), T0);
  b.hit(low('r2', ['T1595.002']), T0 + 86400);
  b.hit(low('ia', ['T1190']), T0 + 2 * 86400);
  b.hit(low('ia2', ['T1189']), T0 + 3 * 86400);
  assert.equal(b.out.length, 0, '4 detections but 2 tactics');
  const c = ledger();
  c.hit(low('r1', ['T1595']), T0);
  c.hit(low('ia', ['T1190']), T0 + 86400);
  c.hit(low('imp', ['T1496']), T0 + 7 * 86400); // r1 is 7 days old: out of (t - 7d, t]
  c.hit(low('ex', ['T1567']), T0 + 7 * 86400);
  assert.equal(c.out.length, 0);
});

test('throttling: one incident per object while it is younger than the throttle; after it, only new evidence raises another', () => {
  const a = ledger();
  a.hit(mgmt, T0);
  a.hit(push, T0 + H);
  assert.deepEqual(a.out.map((o) => [o.type, o.incident_id, o.risk_score]), [['incident', 1, 136]]);
  a.hit(recon, T0 + 2 * H);
  a.hit(jack, T0 + 5 * H);
  // Both rules now hold (4 detections, 4 tactics): the same incident, updated, names them all.
  assert.deepEqual(a.out.map((o) => [o.type, o.incident_id, o.updates]), [['incident', 1, 0], ['incident_update', 1, 1], ['incident_update', 1, 2]]);
  const last = a.out[a.out.length - 1]!;
  assert.deepEqual(last.rules, ['risk_threshold_24h', 'tactic_threshold_7d']);
  assert.deepEqual(last.detections, ['Test jack', 'Test mgmt', 'Test push', 'Test recon']);
  assert.equal(last.risk_score, 64 + 72 + 25 + 42);
  assert.equal(a.store.incidents().length, 1);

  // A day later the 7-day rule still holds on the same evidence: nothing new is raised.
  a.hit(recon, T0 + 2 * H); // the same finding again (same bin): no new risk event
  assert.equal(a.out.length, 3);
  // New evidence after the throttle: a second incident.
  a.hit(scan40, T0 + 30 * H);
  assert.deepEqual(a.out.slice(3).map((o) => [o.type, o.incident_id]), [['incident', 2]]);
  assert.deepEqual(a.out[3]!.rules, ['tactic_threshold_7d']);
  assert.equal(a.store.incidents().length, 2);
});

test('lifecycle: ack, close with notes; new evidence reopens a closed incident', () => {
  const a = ledger();
  a.hit(mgmt, T0);
  a.hit(push, T0 + H);
  const id = a.out[0]!.incident_id;
  assert.deepEqual(applyAction(a.store, 'incident', id, 'ack', 'looking', 'ana', T0 + 2 * H), { from: 'new', to: 'acknowledged' });
  assert.throws(() => applyAction(a.store, 'incident', id, 'ack', undefined, 'ana', T0), /already acknowledged/);
  assert.deepEqual(applyAction(a.store, 'incident', id, 'close', 'blocked at the firewall', 'ana', T0 + 3 * H), { from: 'acknowledged', to: 'closed' });
  assert.throws(() => applyAction(a.store, 'incident', id, 'note', '  ', 'ana', T0), /note needs --note/);
  assert.throws(() => applyAction(a.store, 'incident', 99, 'close', undefined, 'ana', T0), /no incident 99/);
  assert.deepEqual(a.store.notes('incident', id).map((n) => [n.status, n.text, n.author]), [['acknowledged', 'looking', 'ana'], ['closed', 'blocked at the firewall', 'ana']]);
  a.hit(jack, T0 + 4 * H);
  assert.equal(a.store.incident(id)!.status, 'new');
  assert.deepEqual(a.store.notes('incident', id).map((n) => [n.status, n.author]).slice(-1), [['new', 'ollama-sentinel']]);

  // Findings: the same lifecycle, and a closed finding whose result grows is reopened with a note.
  const f = a.store.riskRecords()[0]!.finding_id;
  applyAction(a.store, 'finding', f, 'close', 'known admin', 'bo', T0);
  a.hit(mgmt, T0); // same bin, same row: nothing changes
  assert.equal(a.store.findingById(f)!.status, 'closed');
  a.book.record(mgmt, [{ _time: T0, src: X, host: 'gpu', requests: 7 }], T0 + 900); // the same finding, grown
  assert.equal(a.store.findingById(f)!.status, 'new');
  assert.deepEqual(a.store.notes('finding', f).map((n) => [n.status, n.author]), [['closed', 'bo'], ['new', 'ollama-sentinel']]);
});

test('scale: an object with thousands of risk events (one detection every hour for half a year) is one condition', () => {
  const a = ledger();
  const hourly = det('hourly', 60, ['T1498']);
  const rows = Array.from({ length: 4000 }, (_, h) => ({ _time: T0 + h * H, src: X, host: 'gpu' }));
  a.book.record(hourly, rows, T0 + 4000 * H);
  assert.equal(a.out.length, 0, 'dedup: 60 points, however many hours');
  a.hit(mgmt, T0 + 3999 * H);
  assert.deepEqual(a.out.map((o) => [o.type, o.risk_score, o.raw_score]), [['incident', 124, 60 * 24 + 64]]);
  assert.equal(a.out[0]!.risk_events.length, 25, 'the evidence is the 24-hour window, not the half year');
});

test('after a scan into an empty ledger, the incidents from every risk event read at once are those of reading each object\'s', () => {
  // Many clients, most with a risk event or two; some past the score rule, some past the tactic rule, one whose
  // two detections pass together within 24 h, one whose do not, and incidents throttled and grown.
  // One object of two types: two objects to the rules.
  const asUser = (d: Detection): Detection => ({ ...d, name: `${d.name} user`, id: `${d.id}-user`, rba: { ...d.rba!, risk_objects: [{ field: 'src', type: 'user', score: 60 }] } });
  const dets = [recon, mgmt, push, jack, scan40, flood, det('low1', 5, ['T1595']), det('low2', 5, ['T1190']), det('low3', 5, ['T1496']), det('low4', 5, ['T1567']), asUser(push), asUser(jack)];
  const fill = (store: RiskStore) => {
    const rec = new ScanRecorder(store, { now: T0 + 30 * 86400, window: [T0, T0 + 30 * 86400], sources: ['bench.log'], incidents: RULES });
    const rng = new Rng(11);
    const rand = (n: number) => rng.int(0, n - 1);
    for (let i = 0; i < 600; i++) {
      const src = `203.0.113.${i % 150}`, d = dets[rand(dets.length)]!;
      rec.record(d, [{ _time: T0 + rand(20) * 86400 + rand(86400), src, host: 'gpu' }]);
    }
    rec.record(push, [{ _time: T0 + H, src: X, host: 'gpu' }]);
    rec.record(mgmt, [{ _time: T0 + 3 * H, src: X, host: 'gpu' }]);
    rec.record(dets[10]!, [{ _time: T0 + 5 * H, src: X, host: 'gpu' }]);
    rec.record(dets[11]!, [{ _time: T0 + 6 * H, src: X, host: 'gpu' }]);
    rec.record(push, [{ _time: T0, src: '192.0.2.9', host: 'gpu' }]);
    rec.record(mgmt, [{ _time: T0 + 2 * 86400, src: '192.0.2.9', host: 'gpu' }]);
    return rec;
  };
  const shown = (changes: IncidentChange[]) => changes.map((c) => JSON.stringify([c.type, c.incident, c.stages.map((s) => s.id)]));
  const atOnce = RiskStore.open();
  const got = fill(atOnce).finish();
  const each = RiskStore.open();
  fill(each);
  let asked = 0;
  const counting: IncidentLedger = {
    riskRecords: (f) => { asked++; return each.riskRecords(f); },
    lastIncident: (o, t) => each.lastIncident(o, t), usedEvidence: (o, t) => each.usedEvidence(o, t), saveIncident: (i) => each.saveIncident(i),
  };
  const spans = each.objectSpansAfter(0);
  const want = new IncidentEngine(RULES, counting).considerSpans(spans);
  assert.equal(asked, spans.length, 'one object after another');
  assert.ok(want.length >= 10, `${want.length} incidents`);
  assert.ok(want.some((c) => c.incident.risk_object === X) && !want.some((c) => c.incident.risk_object === '192.0.2.9'));
  assert.ok(want.some((c) => c.incident.risk_object_type === 'user'));
  assert.deepEqual(shown(got), shown(want));
  assert.deepEqual(atOnce.incidents(), each.incidents());
});
