// Detection content end to end: every detection's own tests, the sets, the tuning file, the simulator's
// determinism and replay (to a file and to a real HTTP Event Collector endpoint).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../detections/loader.js';
import { buildDataset, datasetNames } from '../sim/dataset.js';
import { SCENARIOS } from '../sim/scenarios.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'ollama-sentinel.js');
function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function tmpDir(): string { return mkdtempSync(join(tmpdir(), 'sentinel-')); }
const dataset = (n: string) => join(PACKAGE_ROOT, 'datasets', `${n}.log`);

test('ollama-sentinel test: every detection passes its own tests (positive and benign) and writes a report', () => {
  const report = join(tmpDir(), 'report.json');
  const r = cli(['test', '--report', report]);
  assert.equal(r.code, 0, r.out.split('\n').filter((l) => !l.startsWith('ok')).join('\n'));
  const rep = JSON.parse(readFileSync(report, 'utf8'));
  assert.equal(rep.summary.failed, 0);
  assert.ok(rep.summary.detections >= 22);
  // Every detection has at least one test expecting alerts and one expecting silence.
  const by = new Map<string, { pos: number; neg: number }>();
  for (const t of rep.results) {
    const e = by.get(t.detection) ?? { pos: 0, neg: 0 };
    if (t.expected_count > 0) e.pos++; else if (t.expected_count === 0) e.neg++;
    by.set(t.detection, e);
  }
  for (const [name, e] of by) assert.ok(e.pos > 0 && e.neg > 0, `${name} needs a positive and a benign test`);
});

test('ollama-sentinel test fails, says why and exits 1 when an expectation is wrong', () => {
  const dir = tmpDir();
  const src = readFileSync(join(PACKAGE_ROOT, 'detections', 'ollama_model_deletion_burst.yml'), 'utf8');
  writeFileSync(join(dir, 'd.yml'), src.replace('count: 1', 'count: 2').replace(/dataset: datasets\//g, `dataset: ${PACKAGE_ROOT}/datasets/`));
  const r = cli(['test', 'ollama_model_deletion_burst', '--detections', dir, '--report', '-']);
  assert.equal(r.code, 1);
  assert.match(r.out, /FAIL Ollama Model Deletion Burst :: four deletions\n\s+expected 2 alerts, got 1/);
});

test('default set: silent on an ordinary day, names the attacker and technique on each attack scenario', () => {
  const quiet = cli(['scan', dataset('ordinary-day'), '--tz', 'UTC', '--format', 'json']);
  assert.equal(quiet.code, 0, quiet.out);
  for (const s of SCENARIOS) {
    const r = cli(['scan', dataset(s.name), '--tz', 'UTC', '--host', 'gpu-box-01', '--format', 'json']);
    if (s.kind !== 'attack') { assert.equal(r.code, s.kind === 'benign' ? 0 : r.code, `${s.name}: ${r.out}`); continue; }
    assert.equal(r.code, 1, `${s.name} raised nothing`);
    const events = JSON.parse(r.out) as Array<{ risk_object: string; mitre_attack_id: string[] }>;
    assert.ok(events.some((e) => e.risk_object === s.actor && e.mitre_attack_id.length > 0), `${s.name}: ${s.actor} not named`);
  }
});

test('sets: --set splunk runs the faithful eight, --only and --exclude select, unknown names are usage errors', () => {
  const list = (args: string[]) => JSON.parse(cli(['detections', 'list', '--format', 'json', ...args]).out) as Array<{ slug: string; sets: string[]; corrects: string | null }>;
  const all = list([]);
  assert.ok(all.length >= 22);
  const splunk = list(['--set', 'splunk']);
  assert.equal(splunk.length, 8);
  const def = list(['--set', 'default']);
  assert.equal(def.filter((d) => d.corrects).length, 8);
  assert.equal(def.length + splunk.length, all.length);
  assert.deepEqual(list(['--only', 'ollama_context_stuffing,Ollama Queue Exhaustion']).map((d) => d.slug), ['ollama_context_stuffing', 'ollama_queue_exhaustion']);
  assert.equal(list(['--set', 'default', '--exclude', 'ollama_context_stuffing']).length, def.length - 1);
  const bad = cli(['scan', dataset('probllama'), '--only', 'no_such_thing']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--only: no detection named "no_such_thing"/);
  assert.match(cli(['scan', dataset('probllama'), '--set', 'nope']).err, /no detection set named "nope"/);
});

test('tuning: a known client is no longer external; broken entries are reported with file:line:col', () => {
  const dir = tmpDir();
  const tuning = join(dir, 't.yml');
  writeFileSync(tuning, 'trusted_networks: [127.0.0.0/8, "::1/128", 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]\nknown_clients: [198.51.100.0/24, "2001:db8:5ca::/48"]\ntrusted_registries: [registry.ollama.ai]\n');
  const r = cli(['scan', dataset('fingerprint-scan'), '--tz', 'UTC', '--tuning', tuning, '--only', 'ollama_api_reconnaissance_from_external_source']);
  assert.equal(r.code, 0, r.out);
  writeFileSync(tuning, 'trusted_networks:\n  - 10.0.0.0/8\n  - 10.0.0.0/33\n');
  const bad = cli(['scan', dataset('fingerprint-scan'), '--tuning', tuning]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /t\.yml:3:5: "10\.0\.0\.0\/33" is not an IP address or CIDR range/);
  writeFileSync(tuning, 'trusted_registry: [x]\n');
  assert.match(cli(['scan', dataset('fingerprint-scan'), '--tuning', tuning]).err, /unknown key "trusted_registry"/);
});

test('datasets: the committed files are exactly what the simulator writes, and simulate is deterministic', () => {
  for (const n of datasetNames()) assert.equal(readFileSync(dataset(n), 'utf8'), buildDataset(n), `${n} differs: run npm run datasets`);
  const a = cli(['simulate', 'probllama', '--seed', '7']);
  assert.equal(a.code, 0);
  assert.equal(a.out, cli(['simulate', 'probllama', '--seed', '7']).out);
  assert.notEqual(a.out, cli(['simulate', 'probllama', '--seed', '8']).out);
  assert.match(a.out, /downloading \.\/\.\.\/\.\.\/\.\.\/\. in 1 10 B part\(s\)/);
  assert.equal(cli(['simulate', 'nope']).code, 2);
});

test('replay: times shift so the last event is at --now, and the shifted log raises the same alerts then', () => {
  const r = cli(['replay', dataset('probllama'), '--now', '2026-11-23T12:00:00Z']);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  assert.match(lines[lines.length - 1]!, /^\[GIN\] 2026\/11\/23 - 12:00:00 \|/);
  assert.ok(lines.some((l) => /^time=2026-11-23T1\d:\d\d:\d\d\.\d{3}Z level=INFO source=download\.go:175 msg="downloading \.\/\.\.\/\.\.\/\.\.\/\. in 1 10 B part\(s\)"$/.test(l)));
  const scan = cli(['scan', '-', '--tz', 'UTC', '--host', 'h', '--only', 'ollama_path_traversal_in_model_digest', '--format', 'json'], r.out);
  const ev = JSON.parse(scan.out);
  assert.equal(ev.length, 2);
  assert.equal(new Date(ev[0]._time * 1000).toISOString().slice(0, 10), '2026-11-23');
});

test('replay --hec: sends every line as an event with Splunk auth, in batches, to a real HTTP endpoint', async () => {
  const got: Array<{ auth: string | undefined; path: string | undefined; events: Array<Record<string, unknown>> }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      got.push({ auth: req.headers.authorization, path: req.url, events: body.split('\n').map((l) => JSON.parse(l)) });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"text":"Success","code":0}');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  const child = await new Promise<{ code: number | null; err: string }>((ok) => {
    import('node:child_process').then(({ spawn }) => {
      const p = spawn(process.execPath, [BIN, 'replay', dataset('dns-rebinding'), '--hec', `http://127.0.0.1:${port}`, '--hec-token', 'tok', '--host', 'lab', '--batch', '200', '--now', '2026-11-23T12:00:00Z']);
      let err = '';
      p.stderr.on('data', (c) => { err += c; });
      p.on('close', (code) => ok({ code, err }));
    });
  });
  server.close();
  assert.equal(child.code, 0, child.err);
  const total = readFileSync(dataset('dns-rebinding'), 'utf8').trim().split('\n').length;
  assert.equal(got.reduce((n, b) => n + b.events.length, 0), total);
  assert.equal(got.length, Math.ceil(total / 200));
  assert.ok(got.every((b) => b.auth === 'Splunk tok' && b.path === '/services/collector/event'));
  const last = got[got.length - 1]!.events.at(-1)!;
  assert.equal(last.time, Date.parse('2026-11-23T12:00:00Z') / 1000);
  assert.equal(last.sourcetype, 'ollama:server');
  assert.equal(last.host, 'lab');
});

test('docs/detections.md is generated from the detection files and up to date', async () => {
  const { loadDetections, BUILTIN_DETECTIONS } = await import('../detections/loader.js');
  const { renderDetectionsPage } = await import('../docs/detections-page.js');
  const page = readFileSync(join(PACKAGE_ROOT, 'docs', 'detections.md'), 'utf8');
  assert.equal(page, renderDetectionsPage(loadDetections([BUILTIN_DETECTIONS])), 'run npm run docs');
});

test('memory-failure text in a request path (attacker-written) is not a memory failure; the same text in a server line is', async () => {
  const { ginLine, slogLine } = await import('../sim/format.js');
  const T0 = Date.UTC(2025, 5, 16, 11, 0, 0);
  const crafted = [0, 1, 2].map((i) => ginLine(T0 + i * 1000, 404, 1e6, '203.0.113.9', 'GET', '/out of memory/runtime OOM'));
  const r1 = cli(['scan', '-', '--only', 'Ollama Model Load Thrashing', '--tz', 'UTC', '--host', 'h', '--format', 'ndjson'], crafted.join('\n') + '\n');
  assert.equal(r1.code, 0, r1.err);
  const real = [0, 1].map((i) => slogLine(T0 + i * 1000, 'WARN', 'sched.go:187', 'NewLlamaServer failed', [['error', 'model requires more system memory (40.0 GiB) than is available (12.1 GiB)']]));
  const r2 = cli(['scan', '-', '--only', 'Ollama Model Load Thrashing', '--tz', 'UTC', '--host', 'h', '--format', 'ndjson'], [...crafted, ...real].join('\n') + '\n');
  assert.equal(r2.code, 1, r2.err);
  const events = r2.out.trim().split('\n').map((l) => JSON.parse(l) as { fields: Record<string, unknown> });
  assert.equal(events[0]!.fields.memory_failures, 2);
});
