// `watch` end to end, as a user runs it: real files appended to, rotated, truncated; the watcher killed with
// SIGKILL and restarted; the HTTP Event Collector spoken to over HTTP; journald through a stand-in journalctl;
// a flaky webhook and a syslog listener. The findings must be exactly those of an uninterrupted run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, truncateSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createSocket } from 'node:dgram';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PACKAGE_ROOT } from '../detections/loader.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'ollama-sentinel.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Running { child: ChildProcess; logs: Array<Record<string, unknown>>; out: string[] }

function startWatch(args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [BIN, 'watch', ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const r: Running = { child, logs: [], out: [] };
  let errBuf = '', outBuf = '';
  child.stderr!.on('data', (b: Buffer) => {
    errBuf += b.toString();
    let i;
    while ((i = errBuf.indexOf('\n')) >= 0) { const l = errBuf.slice(0, i); errBuf = errBuf.slice(i + 1); try { r.logs.push(JSON.parse(l)); } catch { r.logs.push({ text: l }); } }
  });
  child.stdout!.on('data', (b: Buffer) => {
    outBuf += b.toString();
    let i;
    while ((i = outBuf.indexOf('\n')) >= 0) { r.out.push(outBuf.slice(0, i)); outBuf = outBuf.slice(i + 1); }
  });
  return r;
}

async function until<T>(what: string | (() => string), f: () => T | undefined | false, ms = 20000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await sleep(25);
  }
}

function storedLines(state: string): number {
  if (!existsSync(join(state, 'state.db'))) return 0;
  const db = new Database(join(state, 'state.db'), { readonly: true });
  try {
    const r = db.prepare("SELECT value FROM counters WHERE name = 'lines_ingested'").get() as { value: number } | undefined;
    return r?.value ?? 0;
  } catch { return 0; } finally { db.close(); }
}

function findings(state: string): string[] {
  const r = spawnSync(process.execPath, [BIN, 'findings', '--state', state, '--format', 'json', '--tz', 'UTC'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as Array<Record<string, unknown>>).map((f) => JSON.stringify([f.detection, f._time, f.risk_objects, f.fields])).sort();
}

async function stop(r: Running, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  const done = new Promise<number | null>((ok) => r.child.once('exit', (code) => ok(code)));
  r.child.kill(signal);
  return done;
}

const ready = (r: Running) => until('the watcher to start', () => r.logs.some((l) => l.msg === 'watching'));

/** The dataset split into chunks; the last chunk ends without its newline (a line still being written). */
function chunks(): string[] {
  const lines = readFileSync(join(PACKAGE_ROOT, 'datasets', 'api-flood.log'), 'utf8').trimEnd().split('\n');
  const n = lines.length;
  const cut = [0, 150, 300, 420, 560, 700, n];
  return cut.slice(1).map((c, i) => lines.slice(cut[i], c).join('\n') + '\n');
}

async function runScenario(dir: string, crash: boolean): Promise<{ state: string; total: number }> {
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const state = join(dir, 'state');
  const file = join(logs, 'server.log');
  const args = [join(logs, 'server*.log'), '--state', state, '--realtime', '--tz', 'UTC', '--host', 'gpu', '--poll', '50', '--format', 'none'];
  const parts = chunks();
  let total = 0;
  let w = startWatch(args);
  await ready(w);
  const write = async (text: string, wait = true) => {
    appendFileSync(file, text);
    total += text.split('\n').length - 1;
    if (wait) await until(() => `${total} stored lines (have ${storedLines(state)}; ${crash ? 'with' : 'without'} crashes)`, () => storedLines(state) === total);
  };
  const restart = async () => { assert.notEqual(await stop(w, 'SIGKILL'), 0); w = startWatch(args); await ready(w); };
  await write(parts[0]!);
  if (crash) { await write(parts[1]!, false); await restart(); await until('lines after restart', () => storedLines(state) === total); }
  else await write(parts[1]!);
  // Rename rotation (Ollama's own server.log → server-1.log): the old file is finished, the new one read from 0.
  renameSync(file, join(logs, 'server-1.log'));
  await write(parts[2]!, !crash);
  if (crash) { await restart(); await until('rotated lines', () => storedLines(state) === total); }
  await write(parts[3]!);
  // copytruncate: logrotate copies then truncates in place; the copy's name is outside the pattern.
  copyFileSync(file, join(logs, 'server.log.1'));
  truncateSync(file, 0);
  await sleep(200);
  await write(parts[4]!);
  // A line still being written is not read until its newline arrives.
  const last = parts[5]!.slice(0, -1);
  const cut = last.lastIndexOf('\n') + 1;
  appendFileSync(file, last.slice(0, cut) + last.slice(cut, cut + 20));
  total += last.slice(0, cut).split('\n').length - 1;
  await until('complete lines', () => storedLines(state) === total);
  await sleep(200);
  assert.equal(storedLines(state), total, 'a partial line is not taken');
  if (crash) await restart();
  await write(last.slice(cut + 20) + '\n');
  assert.equal(await stop(w), 0);
  return { state, total };
}

test('watch: rotation, copytruncate, a partial line and two kill -9 restarts give exactly the uninterrupted findings', async () => {
  const a = await runScenario(mkdtempSync(join(tmpdir(), 'watch-a-')), false);
  const b = await runScenario(mkdtempSync(join(tmpdir(), 'watch-b-')), true);
  const expectedLines = readFileSync(join(PACKAGE_ROOT, 'datasets', 'api-flood.log'), 'utf8').trimEnd().split('\n').length;
  assert.equal(a.total, expectedLines);
  assert.equal(storedLines(a.state), expectedLines, 'nothing lost, nothing doubled');
  assert.equal(storedLines(b.state), expectedLines, 'nothing lost, nothing doubled across crashes');
  const fa = findings(a.state);
  assert.deepEqual(findings(b.state), fa);
  // And they are what a one-shot scan of the same log reports.
  const scan = spawnSync(process.execPath, [BIN, 'scan', join(PACKAGE_ROOT, 'datasets', 'api-flood.log'), '--tz', 'UTC', '--host', 'gpu', '--format', 'json'], { encoding: 'utf8' });
  const fromScan = (JSON.parse(scan.stdout) as Array<{ detection: string; _time: number; risk_object: string }>).map((e) => `${e.detection}|${e._time}|${e.risk_object}`).sort();
  const fromWatch = fa.map((f) => { const [d, t, ros] = JSON.parse(f) as [string, number, string[]]; return ros.map((r) => `${d}|${t}|${r}`); }).flat().sort();
  assert.deepEqual(fromWatch, fromScan);
});

test('watch --realtime: alert delay from the line that completes a condition (reported, not asserted)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'watch-delay-'));
  const file = join(dir, 'server.log');
  writeFileSync(file, '');
  const out = join(dir, 'alerts.ndjson');
  const w = startWatch([file, '--state', join(dir, 'state'), '--realtime', '--tz', 'UTC', '--poll', '50', '--out', out, '--only', 'ollama_excessive_api_requests_from_external_source', '--format', 'none']);
  await ready(w);
  const base = Date.UTC(2025, 5, 16, 11, 0, 0);
  const { ginLine } = await import('../sim/format.js');
  const lines = Array.from({ length: 121 }, (_, i) => ginLine(base + i * 1000, 200, 2e5, '198.51.100.50', 'GET', '/api/tags'));
  appendFileSync(file, lines.slice(0, 120).join('\n') + '\n');
  await until('120 lines', () => storedLines(join(dir, 'state')) === 120);
  await sleep(200);
  assert.ok(!existsSync(out) || readFileSync(out, 'utf8') === '', 'no alert at 120 requests');
  const t0 = performance.now();
  appendFileSync(file, lines[120] + '\n');
  await until('the alert', () => existsSync(out) && readFileSync(out, 'utf8').includes('198.51.100.50'));
  const ms = performance.now() - t0;
  t.diagnostic(`line written → alert written: ${ms.toFixed(0)} ms with --poll 50`);
  const alert = JSON.parse(readFileSync(out, 'utf8').trim());
  assert.equal(alert.type, 'alert');
  assert.equal(alert.fields.request_count, 121);
  assert.equal(await stop(w), 0);
});

test('HEC receiver: Splunk endpoints, auth, gzip batches, raw lines, limits, status codes and bodies', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'watch-hec-'));
  const w = startWatch(['--hec', '0', '--hec-token', 'tok-1', '--hec-max-bytes', '200000', '--state', join(dir, 'state'), '--realtime', '--tz', 'UTC', '--poll', '50', '--format', 'ndjson']);
  await ready(w);
  const port = (w.logs.find((l) => l.msg === 'HTTP Event Collector listening') as { port: number }).port;
  const url = (p: string) => `http://127.0.0.1:${port}${p}`;
  const post = async (p: string, body: string | Buffer, headers: Record<string, string> = {}) => {
    const r = await fetch(url(p), { method: 'POST', headers, body });
    return { status: r.status, body: await r.json() as Record<string, unknown> };
  };
  const auth = { Authorization: 'Splunk tok-1' };
  const health = await fetch(url('/services/collector/health'));
  assert.deepEqual([health.status, await health.json()], [200, { text: 'HEC is healthy', code: 17 }]);
  assert.deepEqual(await post('/services/collector/event', '{"event":"x"}'), { status: 401, body: { text: 'Token is required', code: 2 } });
  assert.deepEqual(await post('/services/collector/event', '{"event":"x"}', { Authorization: 'Bearer tok-1' }), { status: 401, body: { text: 'Invalid authorization', code: 3 } });
  assert.deepEqual(await post('/services/collector/event', '{"event":"x"}', { Authorization: 'Splunk nope' }), { status: 403, body: { text: 'Invalid token', code: 4 } });
  assert.deepEqual(await post('/services/collector/event', '', auth), { status: 400, body: { text: 'No data', code: 5 } });
  assert.deepEqual(await post('/services/collector/event', '{"event": "a"} {"event": ', auth), { status: 400, body: { text: 'Invalid data format', code: 6, 'invalid-event-number': 0 } });
  assert.deepEqual(await post('/services/collector/event', '{"event":"a"}{"time":1}', auth), { status: 400, body: { text: 'Event field is required', code: 12, 'invalid-event-number': 1 } });
  assert.deepEqual(await post('/services/collector/event', '{"event":""}', auth), { status: 400, body: { text: 'Event field cannot be blank', code: 13, 'invalid-event-number': 0 } });
  assert.equal((await post('/services/collector/event', 'x'.repeat(300000), auth)).status, 413);
  assert.equal((await post('/services/collector/nope', '{}', auth)).status, 404);
  // A real batch: the flood as JSON events, gzip-compressed, with a JSON ollama:api event among them.
  const lines = readFileSync(join(PACKAGE_ROOT, 'datasets', 'api-flood.log'), 'utf8').trimEnd().split('\n');
  const half = Math.floor(lines.length / 2);
  const batch = lines.slice(0, half).map((l) => JSON.stringify({ event: l, host: 'gpu', sourcetype: 'ollama:server' })).join('\n')
    + JSON.stringify({ time: 1750071600, event: { model: 'llama3.1:8b', eval_count: 12 }, sourcetype: 'ollama:api' });
  assert.deepEqual(await post('/services/collector/event', gzipSync(batch), { ...auth, 'Content-Encoding': 'gzip' }), { status: 200, body: { text: 'Success', code: 0 } });
  assert.deepEqual(await post('/services/collector/raw?host=gpu&sourcetype=ollama:server', lines.slice(half).join('\n'), auth), { status: 200, body: { text: 'Success', code: 0 } });
  const alerts = await until('alerts from HEC events', () => { const a = w.out.map((l) => JSON.parse(l) as { detection: string; fields: { src: string } }); return a.length >= 4 ? a : undefined; });
  assert.deepEqual([...new Set(alerts.map((a) => a.fields.src))].sort(), ['2001:db8:bad::45', '203.0.113.45']);
  assert.equal(storedLines(join(dir, 'state')), lines.length + 1);
  assert.equal(await stop(w), 0);
  const db = new Database(join(dir, 'state', 'state.db'), { readonly: true });
  assert.deepEqual(db.prepare("SELECT sourcetype, raw FROM lines WHERE sourcetype = 'ollama:api'").all(), [{ sourcetype: 'ollama:api', raw: '{"model":"llama3.1:8b","eval_count":12}' }]);
  db.close();
});

test('journald: entries from journalctl -o json become events; a restart continues after the saved cursor', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'watch-jd-'));
  const argsLog = join(dir, 'args.log');
  const stub = join(dir, 'journalctl');
  const { ginLine } = await import('../sim/format.js');
  const base = Date.UTC(2025, 5, 16, 11, 0, 0);
  const entries = Array.from({ length: 130 }, (_, i) => JSON.stringify({ __CURSOR: `s=1;i=${i}`, __REALTIME_TIMESTAMP: String((base + i * 1000) * 1000), _HOSTNAME: 'gpu-box-07', SYSLOG_IDENTIFIER: 'ollama', _PID: '812', MESSAGE: ginLine(base + i * 1000, 200, 1e5, '203.0.113.99', 'GET', '/api/tags') }));
  writeFileSync(join(dir, 'entries.json'), entries.join('\n') + '\n');
  writeFileSync(stub, `#!/bin/sh\necho "$@" >> '${argsLog}'\ncase "$*" in *after-cursor*) ;; *) cat '${join(dir, 'entries.json')}' ;; esac\nexec sleep 600\n`);
  chmodSync(stub, 0o755);
  const args = ['--journald', 'ollama', '--state', join(dir, 'state'), '--realtime', '--tz', 'UTC', '--poll', '50', '--format', 'ndjson', '--only', 'ollama_excessive_api_requests_from_external_source'];
  let w = startWatch(args, { OLLAMA_SENTINEL_JOURNALCTL: stub });
  await ready(w);
  const alert = await until('the alert', () => w.out.length ? JSON.parse(w.out[0]!) as { fields: Record<string, unknown> } : undefined);
  assert.equal(alert.fields.src, '203.0.113.99');
  assert.equal(alert.fields.host, 'gpu-box-07');
  assert.equal(alert.fields.request_count, 121 + 9);
  assert.equal(await stop(w), 0);
  w = startWatch(args, { OLLAMA_SENTINEL_JOURNALCTL: stub });
  await ready(w);
  await until('journalctl restarted', () => readFileSync(argsLog, 'utf8').trim().split('\n').length === 2);
  assert.match(readFileSync(argsLog, 'utf8').trim().split('\n')[1]!, /-u ollama -f -o json --no-pager --after-cursor=s=1;i=129/);
  assert.equal(await stop(w), 0);
  assert.equal(w.out.length, 0, 'nothing alerted twice');
});

test('outputs: a failing webhook is retried with backoff and gets the alert once; syslog gets RFC 5424', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'watch-out-'));
  let calls = 0;
  const bodies: string[] = [];
  const hook = createServer((req, res) => {
    let b = '';
    req.on('data', (c) => { b += c; });
    req.on('end', () => { calls++; if (calls <= 2) { res.writeHead(503).end(); return; } bodies.push(b); res.writeHead(204).end(); });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const udp = createSocket('udp4');
  const syslog: string[] = [];
  udp.on('message', (m) => syslog.push(m.toString()));
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
  const file = join(dir, 'server.log');
  writeFileSync(file, '');
  const w = startWatch([file, '--state', join(dir, 'state'), '--realtime', '--tz', 'UTC', '--poll', '50', '--format', 'none',
    '--webhook', `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`, '--syslog', `udp://127.0.0.1:${udp.address().port}`,
    '--only', 'ollama_management_api_from_external_source']);
  await ready(w);
  const { ginLine } = await import('../sim/format.js');
  appendFileSync(file, ginLine(Date.UTC(2025, 5, 16, 11, 0, 0), 200, 3e6, '198.51.100.200', 'DELETE', '/api/delete') + '\n');
  await until('the webhook delivery', () => bodies.length === 1, 30000);
  await until('the syslog message', () => syslog.length === 1);
  assert.equal(calls, 3);
  const a = JSON.parse(bodies[0]!);
  assert.equal(a.detection, 'Ollama Management API From External Source');
  assert.equal(a.risk_events[0].risk_object, '198.51.100.200');
  assert.match(syslog[0]!, /^<163>1 2025-06-16T11:00:00\.000Z \S+ ollama-sentinel \d+ alert \[sentinel@32473 detection="Ollama Management API From External Source" score="64" finding="1" type="alert"\] 198\.51\.100\.200, outside/);
  assert.equal(await stop(w), 0);
  hook.close();
  udp.close();
});

test('watch: usage errors are clear and nothing starts', () => {
  const r = spawnSync(process.execPath, [BIN, 'watch', 'x.log'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /watch needs --state DIR/);
  const h = spawnSync(process.execPath, [BIN, 'watch', '--state', mkdtempSync(join(tmpdir(), 'w-')), '--hec', '8088'], { encoding: 'utf8' });
  assert.match(h.stderr, /--hec needs --hec-token/);
  const s = spawnSync(process.execPath, [BIN, 'watch', 'x.log', '--state', mkdtempSync(join(tmpdir(), 'w-')), '--syslog', 'smtp://x'], { encoding: 'utf8' });
  assert.match(s.stderr, /--syslog must look like udp:\/\/host:514/);
});

test('watch -: lines from stdin are detected as they arrive; a signal or the end of the input stops it cleanly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'watch-stdin-'));
  const args = ['-', '--state', join(dir, 'state'), '--realtime', '--tz', 'UTC', '--poll', '50', '--only', 'ollama_path_traversal_in_model_digest'];
  const w = startWatch(args);
  try {
    await ready(w);
    w.child.stdin!.write(readFileSync(join(PACKAGE_ROOT, 'datasets', 'probllama.log')));
    const a = await until('the alert', () => (w.out.length ? JSON.parse(w.out[0]!) as { fields: { digest_tokens: string } } : undefined));
    assert.equal(a.fields.digest_tokens, './../../../.');
    assert.equal(await stop(w), 0); // stdin still open: SIGTERM alone must end the process
  } finally {
    if (w.child.exitCode === null) w.child.kill('SIGKILL');
  }
  // A pipe that ends: `cat file | ollama-sentinel watch -` ends with the input, after its last alerts.
  const p = spawnSync(process.execPath, [BIN, 'watch', ...args.map((x) => (x === join(dir, 'state') ? join(dir, 'state2') : x))],
    { input: readFileSync(join(PACKAGE_ROOT, 'datasets', 'probllama.log')), encoding: 'utf8', timeout: 30000 });
  assert.equal(p.status, 0, p.stderr);
  assert.equal(p.stdout.trim().split('\n').length, 1);
  assert.match(p.stderr, /"msg":"stopping","reason":"end of input"/);
});

test('watch: findings add up to a risk incident, sent once and then updated as the attack goes on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'watch-incident-'));
  const file = join(dir, 'server.log');
  const lines = readFileSync(join(PACKAGE_ROOT, 'datasets', 'multi-stage-intrusion.log'), 'utf8').trimEnd().split('\n');
  const half = lines.findIndex((l) => l.includes('| 2025/06/16 - 12:'));
  writeFileSync(file, lines.slice(0, half).join('\n') + '\n');
  const state = join(dir, 'state');
  const w = startWatch([file, '--state', state, '--from-beginning', '--realtime', '--tz', 'UTC', '--poll', '50']);
  type Rec = { type: string; incident_id?: number; detections?: string[]; updates?: number };
  const recs = () => w.out.map((l) => JSON.parse(l) as Rec).filter((r) => r.type.startsWith('incident'));
  try {
    await ready(w);
    await until('the incident', () => recs().length > 0);
    assert.equal(recs()[0]!.type, 'incident');
    assert.ok(!recs()[0]!.detections!.includes('Ollama LLMjacking Sustained Inference From External Source'));
    appendFileSync(file, lines.slice(half).join('\n') + '\n');
    await until('the update', () => recs().some((r) => r.detections!.includes('Ollama LLMjacking Sustained Inference From External Source')));
    assert.equal(await stop(w), 0);
  } finally {
    if (w.child.exitCode === null) w.child.kill('SIGKILL');
  }
  assert.equal(recs().filter((r) => r.type === 'incident').length, 1);
  assert.ok(recs().every((r) => r.incident_id === 1));
  const listed = spawnSync(process.execPath, [BIN, 'incidents', '--state', state, '--format', 'json'], { encoding: 'utf8' });
  const inc = JSON.parse(listed.stdout) as Array<{ detections: string[]; risk_score: number }>;
  assert.equal(inc.length, 1);
  assert.equal(inc[0]!.detections.length, 6);
  assert.equal(inc[0]!.risk_score, 313);
  // A watcher's finding drills down into the lines the watcher keeps.
  const findings = JSON.parse(spawnSync(process.execPath, [BIN, 'findings', '--state', state, '--format', 'json'], { encoding: 'utf8' }).stdout) as Array<{ id: number; detection: string }>;
  const mgmt = findings.find((f) => f.detection === 'Ollama Management API From External Source')!;
  const dd = spawnSync(process.execPath, [BIN, 'drilldown', String(mgmt.id), '--state', state, '--format', 'json', '--tz', 'UTC'], { encoding: 'utf8' });
  const rows = JSON.parse(dd.stdout) as Array<{ src: string; uri_path: string }>;
  assert.ok(rows.length > 0 && rows.every((r) => r.src === '198.51.100.150'), dd.stderr);
  assert.ok(rows.some((r) => r.uri_path === '/api/delete'));
});
