// Risk-based alerting from the command line: scan raises incidents, risk ranks objects, the findings and
// incidents lifecycles, drilldowns run on the logs a finding came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../detections/loader.js';
import { SCENARIOS } from '../sim/scenarios.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'ollama-sentinel.js');
function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--tz', 'UTC'], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const dataset = (n: string) => join(PACKAGE_ROOT, 'datasets', `${n}.log`);
const ATTACKER = '198.51.100.150';
const STAGES = [
  'Ollama API Reconnaissance From External Source', 'Ollama Exploit Chain Version Probe Then Management Action',
  'Ollama LLMjacking Sustained Inference From External Source', 'Ollama Management API From External Source',
  'Ollama Model Name Enumeration', 'Ollama Model Push To Outside',
];

test('scan: a multi-stage attack from one source raises one incident that names every stage', () => {
  const r = cli(['scan', dataset('multi-stage-intrusion')]);
  assert.equal(r.code, 1);
  assert.equal(r.out.match(/▲ Risk incident/g)?.length, 1);
  assert.match(r.out, new RegExp(`▲ Risk incident 1: ${ATTACKER.replace(/\./g, '\\.')} \\(system\\), risk 313 from 6 detections across 4 tactics`));
  for (const s of STAGES) assert.ok(r.out.split('▲')[1]!.includes(s), `stage ${s} missing`);
  assert.match(r.err, /; 1 risk incident\n/);

  const j = cli(['incidents', dataset('multi-stage-intrusion'), '--format', 'json']);
  const incidents = JSON.parse(j.out) as Array<Record<string, unknown>>;
  assert.equal(incidents.length, 1);
  const i = incidents[0]!;
  assert.equal(i.risk_object, ATTACKER);
  assert.deepEqual(i.detections, STAGES);
  assert.deepEqual(i.tactics, ['Reconnaissance', 'Initial Access', 'Exfiltration', 'Impact']);
  assert.deepEqual(i.rules, ['Risk Threshold Exceeded For Object Over 24 Hour Period', 'ATT&CK Tactic Threshold Exceeded For Object Over Previous 7 Days']);
  assert.equal(i.risk_score, 313);
});

test('scan: no incident on an ordinary day or on any near-miss scenario', () => {
  for (const name of ['ordinary-day', ...SCENARIOS.filter((s) => s.kind === 'benign').map((s) => s.name)]) {
    const r = cli(['incidents', dataset(name), '--format', 'json']);
    assert.equal(r.code, 0, `${name}: ${r.out}`);
    assert.deepEqual(JSON.parse(r.out), []);
  }
});

test('scan --state, risk, findings and incidents lifecycles, drilldown', () => {
  const S = mkdtempSync(join(tmpdir(), 'risk-'));
  assert.equal(cli(['scan', dataset('multi-stage-intrusion'), '--state', S]).code, 1);
  assert.equal(cli(['scan', dataset('multi-stage-intrusion'), '--state', S]).code, 1);
  const findings = JSON.parse(cli(['findings', '--state', S, '--format', 'json']).out) as Array<{ id: number; detection: string; status: string }>;
  assert.equal(findings.length, 7, 'a second scan of the same log adds nothing');
  assert.equal((JSON.parse(cli(['incidents', '--state', S, '--format', 'json']).out) as unknown[]).length, 1);

  // Per-object risk, ranked, and one object's timeline.
  const ranked = JSON.parse(cli(['risk', '--state', S, '--format', 'json']).out) as Array<{ rank: number; risk_object: string; risk_score: number; detections: string[] }>;
  assert.deepEqual(ranked.map((o) => [o.rank, o.risk_object, o.risk_score]), [[1, ATTACKER, 313], [2, 'vm', 50]]);
  assert.deepEqual(ranked[0]!.detections, STAGES);
  const timeline = JSON.parse(cli(['risk', '--state', S, '--object', ATTACKER, '--format', 'json']).out) as Array<{ _time: number; detection: string }>;
  assert.equal(timeline.length, 6);
  assert.deepEqual(timeline.map((t) => t._time), [...timeline.map((t) => t._time)].sort((a, b) => a - b));

  // Lifecycle from the command line.
  const mgmt = findings.find((f) => f.detection === 'Ollama Management API From External Source')!;
  let r = cli(['findings', 'ack', String(mgmt.id), '--state', S, '--note', 'checking with the admin', '--author', 'ana']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, `finding ${mgmt.id}: new → acknowledged\n`);
  r = cli(['findings', 'ack', String(mgmt.id), '--state', S]);
  assert.equal(r.code, 2);
  assert.match(r.err, /already acknowledged/);
  assert.equal(cli(['findings', 'close', String(mgmt.id), '--state', S, '--note', 'not the admin: blocked', '--author', 'ana']).code, 0);
  const shown = JSON.parse(cli(['findings', 'show', String(mgmt.id), '--state', S, '--format', 'json']).out) as Array<{ status: string; notes: string[] }>;
  assert.equal(shown[0]!.status, 'closed');
  assert.equal(shown[0]!.notes.length, 2);
  assert.match(shown[0]!.notes[1]!, /ana \[closed\] not the admin: blocked$/);
  assert.equal((JSON.parse(cli(['findings', '--state', S, '--status', 'closed', '--format', 'json']).out) as unknown[]).length, 1);
  assert.equal(cli(['incidents', 'close', '1', '--state', S, '--note', 'handled']).code, 0);
  assert.equal((JSON.parse(cli(['incidents', '--state', S, '--status', 'new', '--format', 'json']).out) as unknown[]).length, 0);
  assert.match(cli(['incidents', 'show', '1', '--state', S]).out, /\[closed\][\s\S]*note .* \[closed\] handled/);

  // Drilldown: the finding's values in its drilldown search, run over the file it was scanned from.
  const printed = cli(['drilldown', String(mgmt.id), '--state', S, '--print']);
  assert.match(printed.out, /drilldown 1: Requests from 198\.51\.100\.150 in the alert window\n {3}window 2025-06-16 10:00:\d\d \+0000 → 2025-06-16 12:59:\d\d \+0000\n {3}`ollama_access` src="198\.51\.100\.150" \| table/);
  const rows = JSON.parse(cli(['drilldown', String(mgmt.id), '--state', S, '--format', 'json']).out) as Array<{ src: string; uri_path: string }>;
  assert.equal(rows.length, 51);
  assert.ok(rows.every((x) => x.src === ATTACKER));
  assert.ok(rows.some((x) => x.uri_path === '/api/delete'));

  // Usage errors say what is wrong.
  assert.match(cli(['drilldown', '999', '--state', S]).err, /no finding 999/);
  assert.match(cli(['drilldown', String(mgmt.id), '--state', S, '--name', 'nope']).err, /no drilldown "nope" for "Ollama Management API From External Source" \(1: Requests from/);
  assert.match(cli(['incidents', 'ack', '--state', S]).err, /incident ID must be a number/);
  assert.match(cli(['risk']).err, /risk needs --state DIR/);
  assert.match(cli(['findings', 'archive', '1', '--state', S]).err, /unknown findings action "archive"/);
  assert.match(cli(['risk', '--state', join(S, 'nope')]).err, /no findings stored here/);
});

test('scan: a row without _time is dated by the end of the data in the output and by --now in the ledger', () => {
  const dir = mkdtempSync(join(tmpdir(), 'risk-'));
  const log = join(dir, 'server.log');
  writeFileSync(log, [
    'time=2025-06-01T10:00:00.000Z level=WARN source=server.go:100 msg="dial tcp: lookup registry.ollama.ai: no such host"',
    'time=2025-06-01T10:05:00.000Z level=WARN source=server.go:100 msg="connection refused"',
    '[GIN] 2025/06/01 - 10:06:40 | 200 |      1.2ms |       127.0.0.1 | GET      "/api/tags"',
  ].join('\n') + '\n');
  const S = join(dir, 'state');
  // Its stats is by host alone: the row has no _time.
  const r = cli(['scan', log, '--only', 'Ollama Abnormal Network Connectivity', '--host', 'gpu1', '--now', '2026-01-01T00:00:00Z', '--format', 'json', '--state', S]);
  assert.equal(r.code, 1, r.err);
  const events = JSON.parse(r.out) as Array<{ _time: number; risk_object: string }>;
  // A row for each warning (Splunk's second stats is by the multivalue list of them).
  assert.deepEqual(events.map((e) => [e.risk_object, e._time]), [['gpu1', Date.UTC(2025, 5, 1, 10, 6, 40) / 1000], ['gpu1', Date.UTC(2025, 5, 1, 10, 6, 40) / 1000]]);
  const timeline = JSON.parse(cli(['risk', '--state', S, '--object', 'gpu1', '--format', 'json']).out) as Array<{ _time: number }>;
  // The two rows are one finding (the same detection, time and risk object): one risk event in the ledger.
  assert.deepEqual(timeline.map((e) => e._time), [Date.UTC(2026, 0, 1) / 1000]);
});
