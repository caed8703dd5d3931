// End to end: the CLI over real files, as a user runs it, and the two seed detections with exact rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { PACKAGE_ROOT } from '../detections/loader.js';
import { ginLine, slogLine } from '../sim/format.js';
import { defaultThreads, readsInRanges, SHARE_MAX_BYTES, SHARE_MIN_JOBS } from './threads.js';
import { SPLIT_MIN_BYTES } from '../engine/range-split.js';
import { renderReading } from './scan.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'ollama-sentinel.js');
const SAMPLE = join(PACKAGE_ROOT, 'samples', 'server.log');
function cli(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function tmp(name: string, content: string | Buffer): string {
  const d = mkdtempSync(join(tmpdir(), 'sentinel-'));
  const p = join(d, name);
  writeFileSync(p, content);
  return p;
}
const T = Date.UTC(2025, 5, 14, 3, 15, 0);

test('npm start path: the sample log raises both detections, on exactly the attack parts', () => {
  const r = cli(['scan', '--set', 'splunk', SAMPLE, '--tz', 'UTC', '--host', 'gpu-box-01', '--format', 'ndjson']);
  assert.equal(r.code, 1, r.err);
  const events = r.out.trim().split('\n').map((l) => JSON.parse(l));
  const scan = events.filter((e) => e.detection === 'Ollama Possible API Endpoint Scan Reconnaissance');
  const net = events.filter((e) => e.detection === 'Ollama Abnormal Network Connectivity');
  assert.deepEqual([...new Set(scan.map((e) => e.risk_object))], ['203.0.113.45']);
  assert.ok(scan.every((e) => e._time === T / 1000 && e.fields.total_requests === 260));
  // Splunk's last stats splits the multivalue methods × status_codes into one row each: 4 methods × 5 codes.
  assert.equal(scan.length, 20);
  assert.equal(net.length, 1);
  assert.equal(net[0].risk_object, 'gpu-box-01');
  assert.equal(net[0].fields.incidents, 2);
  assert.equal(net[0].fields.warning_messages, 'failed to get direct URL; backing off and retrying');
  assert.equal(net[0].fields.last_incident, '2025-06-14 14:27:09');
  assert.equal(net[0].risk_message, 'gpu-box-01 logged 2 network-related warnings (source N/A), the last at 2025-06-14 14:27:09: failed to get direct URL; backing off and retrying');
  assert.deepEqual(net[0].threat_objects, [{ field: 'src', type: 'ip_address', value: 'N/A' }]);
  assert.deepEqual(net[0].mitre_attack_id, ['T1571']);
  const table = cli(['scan', '--set', 'splunk', SAMPLE, '--tz', 'UTC', '--host', 'gpu-box-01']);
  assert.equal(table.code, 1);
  assert.ok(table.out.indexOf('Scan Reconnaissance') < table.out.indexOf('Network Connectivity'), 'riskiest detection first');
  assert.match(table.err, /gin timestamps read in time zone UTC/);
  assert.doesNotMatch(table.out, /\x1b/);
});

test('seed 1: exact rows at the threshold (121 fires, 120 does not), per source and bin', () => {
  const lines: string[] = [];
  for (let i = 0; i < 121; i++) lines.push(ginLine(T + i * 1000, i % 2 ? 404 : 200, 30e3, '2001:db8::7', i % 3 ? 'GET' : 'HEAD', '/api/tags'));
  for (let i = 0; i < 120; i++) lines.push(ginLine(T + i * 1000, 200, 30e3, '10.0.0.9', 'GET', '/api/version'));
  const r = cli(['search', '`ollama_server` "[GIN]" | bin _time span=5m | stats count as total_requests, values(http_method) as methods, values(status) as status_codes by _time, src, host | where total_requests > 120', tmp('a.log', lines.join('\n')), '--tz', 'UTC', '--host', 'h', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out), [{ _time: T / 1000, src: '2001:db8::7', host: 'h', total_requests: 121, methods: ['GET', 'HEAD'], status_codes: ['200', '404'] }]);
  const scan = cli(['scan', '--set', 'splunk', tmp('b.log', lines.join('\n')), '--tz', 'UTC', '--host', 'h', '--format', 'json']);
  assert.equal(scan.code, 1);
  const ev = JSON.parse(scan.out);
  assert.equal(ev.length, 4);
  assert.ok(ev.every((e: { risk_object: string; risk_score: number }) => e.risk_object === '2001:db8::7' && e.risk_score === 10));
});

test('seed 2: exact row on WARN network failures; silent on INFO failures and benign warnings', () => {
  const lines = [
    slogLine(T, 'WARN', 'download.go:230', 'failed to get direct URL; backing off and retrying'),
    slogLine(T + 60000, 'WARN', 'images.go:9', 'lookup registry.ollama.ai: no such host'),
    slogLine(T + 120000, 'INFO', 'images.go:1142', 'request failed: dial tcp: connection refused'),
    slogLine(T + 180000, 'WARN', 'runner.go:157', 'truncating input prompt', [['limit', 4096]]),
  ];
  const r = cli(['scan', '--set', 'splunk', tmp('n.log', lines.join('\n')), '--tz', 'UTC', '--host', 'gpu', '--format', 'ndjson']);
  assert.equal(r.code, 1, r.err);
  const ev = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(ev.length, 2); // one row per warning message (multivalue by-field split)
  assert.deepEqual(ev.map((e) => e.fields.warning_messages).sort(), ['failed to get direct URL; backing off and retrying', 'lookup registry.ollama.ai: no such host']);
  assert.ok(ev.every((e) => e.fields.incidents === 2 && e.fields.last_incident === '2025-06-14 03:16:00' && e.risk_object === 'gpu'));
  const benign = cli(['scan', '--set', 'splunk', tmp('b.log', [lines[2], lines[3], ginLine(T, 200, 1e6, '127.0.0.1', 'GET', '/api/tags')].join('\n')), '--tz', 'UTC']);
  assert.equal(benign.code, 0, benign.out);
  assert.match(benign.out, /No findings/);
});

test('a Splunk security_content file loads and runs unchanged via --detections', () => {
  const lines: string[] = [];
  for (let i = 0; i < 130; i++) lines.push(ginLine(T + i * 1000, 200, 30e3, '198.51.100.4', 'GET', '/'));
  const r = cli(['scan', tmp('s.log', lines.join('\n')), '--tz', 'UTC', '--host', 'h', '--detections', join(PACKAGE_ROOT, 'test', 'fixtures', 'splunk-format'), '--format', 'json']);
  assert.equal(r.code, 1, r.err);
  const ev = JSON.parse(r.out).filter((e: { detection: string }) => e.detection === 'Ollama Excessive API Requests');
  assert.equal(ev.length, 1);
  assert.equal(ev[0].risk_object, '198.51.100.4');
  assert.equal(ev[0].risk_message, 'Fixture message for 198.51.100.4 with 130 requests.');
});

test('a detection that fails at run time is reported and exits 2; the others still report, on one thread or two', () => {
  const lines: string[] = [];
  for (let i = 0; i < 130; i++) lines.push(ginLine(T + i * 1000, 200, 30e3, '198.51.100.4', 'GET', '/'));
  const log = tmp('x.log', lines.join('\n'));
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-det-'));
  const good = readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'splunk-format', 'ollama_excessive_api_requests.yml'), 'utf8');
  const bad = good.replace('name: Ollama Excessive API Requests', 'name: Broken At Run Time')
    .replace('1cfab663-9adc-4169-a88c-6bae29ba3c70', '00000000-0000-4000-8000-000000000001')
    .replace('| eval src_ip=client_ip', '| eval src_ip=(client_ip="198.51.100.4")');
  writeFileSync(join(dir, 'good.yml'), good);
  writeFileSync(join(dir, 'bad.yml'), bad);
  const outs: string[] = [];
  for (const workers of ['1', '2']) {
    const r = cli(['scan', log, '--only', 'Ollama Excessive API Requests,Broken At Run Time', '--detections', dir, '--tz', 'UTC', '--format', 'ndjson', '--workers', workers]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /error: detection "Broken At Run Time" stopped: .*true\/false/);
    assert.match(r.err, /1 risk event from 1 detection/);
    const events = r.out.trim().split('\n').map((l) => JSON.parse(l) as { detection: string; risk_object: string });
    assert.deepEqual(events.map((e) => [e.detection, e.risk_object]), [['Ollama Excessive API Requests', '198.51.100.4']]);
    outs.push(r.out);
  }
  assert.equal(outs[0], outs[1]);
});

test('search: detection filter macros resolve (directly and through a user macro); an unknown macro is still an error', () => {
  const log = tmp('q.log', [ginLine(T, 200, 30e3, '198.51.100.4', 'GET', '/'), ginLine(T + 1000, 404, 30e3, '10.0.0.9', 'GET', '/x')].join('\n'));
  const direct = cli(['search', '`ollama_access` | stats count by src | `ollama_possible_api_endpoint_scan_reconnaissance_filter`', log, '--tz', 'UTC', '--format', 'json']);
  assert.equal(direct.code, 0, direct.err);
  assert.deepEqual(JSON.parse(direct.out), [{ src: '10.0.0.9', count: 1 }, { src: '198.51.100.4', count: 1 }]);
  const macros = tmp('m.yml', 'macros:\n- name: mine\n  definition: search status=404 | `ollama_possible_api_endpoint_scan_reconnaissance_filter`\n');
  const viaUser = cli(['search', '`ollama_access` | `mine` | table src', log, '--tz', 'UTC', '--format', 'json', '--macros', macros]);
  assert.equal(viaUser.code, 0, viaUser.err);
  assert.deepEqual(JSON.parse(viaUser.out), [{ src: '10.0.0.9' }]);
  const unknown = cli(['search', '`ollama_access` | `no_such_filter`', log]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown macro `no_such_filter`/);
});

test('the filter macro can be overridden from a user file without editing the detection', () => {
  const lines: string[] = [];
  for (let i = 0; i < 130; i++) lines.push(ginLine(T + i * 1000, 200, 30e3, '198.51.100.4', 'GET', '/'));
  const log = tmp('f.log', lines.join('\n'));
  const macros = tmp('m.yml', 'macros:\n- name: ollama_possible_api_endpoint_scan_reconnaissance_filter\n  definition: search NOT src="198.51.100.4"\n');
  const r = cli(['scan', '--only', 'ollama_possible_api_endpoint_scan_reconnaissance', log, '--tz', 'UTC', '--macros', macros]);
  assert.equal(r.code, 0, r.out + r.err);
});

test('output is safe: no escape sequences on a terminal, no formulas in CSV, escaped controls in JSON', () => {
  const lines = [ginLine(T, 404, 1e4, '203.0.113.9', 'GET', '/\x1b]0;pwned\x07\u202e'), ginLine(T, 404, 1e4, '203.0.113.9', 'GET', '=HYPERLINK("http://x")')];
  const f = tmp('x.log', lines.join('\n'));
  const table = cli(['search', '* | table uri_path', f, '--tz', 'UTC']);
  assert.doesNotMatch(table.out, /[\x00-\x08\x0b-\x1f\x7f\u202e]/);
  assert.match(table.out, /\\x1b\]0;pwned\\x07\\u202e/);
  const csv = cli(['search', '* | table uri_path', f, '--tz', 'UTC', '--format', 'csv']);
  assert.match(csv.out, /^"'=HYPERLINK/m);
  const nd = cli(['search', '* | table uri_path', f, '--tz', 'UTC', '--format', 'ndjson']);
  assert.doesNotMatch(nd.out, /[\x00-\x08\x0b-\x1f\x7f\u202e]/);
  assert.equal(JSON.parse(nd.out.split('\n')[1]!).uri_path, '/\x1b]0;pwned\x07\u202e');
});

test('hostile input: a 10 MB line, invalid UTF-8, NUL bytes and a backtracking bait neither crash nor stall, and other lines count', () => {
  const good = ginLine(T, 200, 1e6, '10.0.0.1', 'GET', '/api/tags');
  const buf = Buffer.concat([
    Buffer.from(good + '\n'), Buffer.from('x'.repeat(10 * 1024 * 1024) + '\n'), Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x0a]),
    Buffer.from('time=2025-06-14T03:15:00Z level=WARN source=a.go:1 msg="' + 'a'.repeat(5000) + '!"\n'), Buffer.from(good + '\n'), Buffer.from(good),
  ]);
  const f = tmp('h.log', buf);
  const started = Date.now();
  const r = cli(['search', '* | rex "(?<x>(a+)+$)" | stats count, count(src) as gin', f, '--tz', 'UTC', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out), [{ count: 6, gin: 3 }]);
  assert.ok(Date.now() - started < 50000);
});

test('usage and input errors exit 2 and say where', () => {
  assert.equal(cli(['scan', '--bogus']).code, 2);
  assert.match(cli(['scan', '--bogus']).err, /bogus/);
  const missing = cli(['scan', '/nonexistent/server.log']);
  assert.equal(missing.code, 2); assert.match(missing.err, /\/nonexistent\/server\.log: no such file/);
  const bad = cli(['search', '* | stats nope(x)', SAMPLE]);
  assert.equal(bad.code, 2); assert.match(bad.err, /unknown statistical function "nope".*column 11/s);
  const tz = cli(['scan', SAMPLE, '--tz', 'Mars/Olympus']);
  assert.equal(tz.code, 2); assert.match(tz.err, /unknown time zone/);
  const brokenDir = mkdtempSync(join(tmpdir(), 'det-'));
  writeFileSync(join(brokenDir, 'x.yml'), 'name: X\nid: 1\nsearch: "a | stats"\n');
  const br = cli(['scan', SAMPLE, '--detections', brokenDir]);
  assert.equal(br.code, 2); assert.match(br.err, /x\.yml: detection "X": stats needs at least one function/);
  writeFileSync(join(brokenDir, 'x.yml'), 'name: X\n  id: [\n');
  const by = cli(['scan', SAMPLE, '--detections', brokenDir]);
  assert.equal(by.code, 2); assert.match(by.err, /x\.yml:\d+:\d+: invalid YAML/);
});

test('stdin, --help, detections list/show', () => {
  const r = cli(['search', '"[GIN]" | stats count', '-', '--format', 'ndjson'], ginLine(T, 200, 1e6, '10.0.0.1', 'GET', '/') + '\n');
  assert.deepEqual(JSON.parse(r.out), { count: 1 });
  assert.equal(cli(['scan', '--help']).code, 0);
  assert.match(cli(['search', '--help']).out, /Usage: ollama-sentinel search/);
  const list = JSON.parse(cli(['detections', 'list', '--format', 'json']).out);
  assert.ok(Array.isArray(list) && list.length >= 2);
  assert.ok(list.some((d: { name: string }) => d.name === 'Ollama Abnormal Network Connectivity'));
  assert.match(cli(['detections', 'show', 'ollama_abnormal_network_connectivity']).out, /T1571/);
});

test('a pipe given as a file (`<(zcat log.gz)`) is read whole, once, even with two workers asked for', () => {
  const direct = cli(['scan', '--set', 'all', SAMPLE, '--tz', 'UTC', '--host', 'h', '--format', 'ndjson', '--workers', '2']);
  const piped = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" scan --set all <(cat "${SAMPLE}") --tz UTC --host h --format ndjson --workers 2`], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60000 });
  assert.equal(piped.status, 1, piped.stderr);
  const lines = readFileSync(SAMPLE, 'utf8').split('\n').filter((l) => l !== '').length;
  assert.match(piped.stderr, new RegExp(`scanned ${lines} lines from 1 source`));
  // The same risk events; only the source's name differs.
  const found = (out: string) => out.trim().split('\n').map((l) => { const e = JSON.parse(l); return `${e.detection} ${e.risk_object} ${e._time}`; }).sort();
  assert.deepEqual(found(piped.stdout), found(direct.out));
});

test('scan --profile lists every detection once, slowest first, with the events it was handed, on one thread or two', () => {
  const lines = readFileSync(SAMPLE, 'utf8').split('\n').filter((l) => l !== '');
  const gin = lines.filter((l) => l.startsWith('[GIN] ')).length;
  const outputs: string[] = [];
  for (const workers of ['1', '2']) {
    const r = cli(['scan', '--set', 'all', SAMPLE, '--tz', 'UTC', '--host', 'h', '--format', 'ndjson', '--profile', '--workers', workers]);
    assert.equal(r.code, 1, r.err);
    const rows = r.err.split('\n').filter((l) => /^\s+\d+\s+[\d.]+%\s+\d+\s+\d+ {2}\S/.test(l));
    const list = JSON.parse(cli(['detections', 'list', '--set', 'all', '--format', 'json']).out) as Array<{ name: string }>;
    assert.equal(rows.length, list.length, r.err);
    const parsed = rows.map((l) => { const m = /^\s+(\d+)\s+([\d.]+)%\s+(\d+)\s+\d+ {2}(.*)$/.exec(l)!; return { ms: Number(m[1]), events: Number(m[3]), name: m[4]! }; });
    assert.deepEqual(parsed.map((p) => p.name).sort(), list.map((d) => d.name).sort());
    for (let i = 1; i < parsed.length; i++) assert.ok(parsed[i - 1]!.ms >= parsed[i]!.ms, 'slowest first');
    // A detection that cannot match a gin line is handed only the other lines, and of those only the ones that
    // hold a word its search needs (or that cannot be scanned for words: a backslash, text outside ASCII).
    const other = lines.filter((l) => !l.startsWith('[GIN] '));
    const holding = (word: RegExp) => other.filter((l) => /[^\x00-\x7f]|\\/.test(l) || word.test(l)).length;
    const version = parsed.find((p) => p.name === 'Ollama Vulnerable Version Exposed')!.events;
    assert.equal(version, holding(/listening on /i));
    assert.ok(version > 0 && version < other.length, `${version} of ${other.length}`);
    // Splunk's Excessive API Requests ("GIN"): every gin line, and the other lines that hold the word.
    assert.equal(parsed.find((p) => p.name === 'Ollama Excessive API Requests')!.events, gin + holding(/gin/i));
    assert.match(r.err, /^\s+\d+ {2}in all$/m);
    outputs.push(r.out);
  }
  assert.equal(outputs[0], outputs[1]);
  // Without the flag there is no profile.
  assert.doesNotMatch(cli(['scan', SAMPLE, '--tz', 'UTC', '--format', 'ndjson']).err, /detection time/);
});

/**
 * The project files a command loads, as a module resolution hook sees them: run as the user runs it (the bin,
 * and the bundle it loads), or, with `modules`, from the modules the bundle is made of.
 */
function filesLoadedBy(args: string[], modules = false): string[] {
  const hook = tmp('hook.mjs', `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.startsWith('file:')) process.stderr.write('LOADED ' + r.url + '\\\\n'); return r; }\`));
`);
  const main = pathToFileURL(join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js')).href;
  const run = modules ? ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(${JSON.stringify(args)});`] : [BIN, ...args];
  const r = spawnSync(process.execPath, ['--import', hook, ...run], { encoding: 'utf8', timeout: 60000 });
  assert.ok(r.status === 0 || r.status === 1, r.stderr); // 1: findings
  return r.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice(7)).filter((u) => !u.includes('/node_modules/'));
}

test('a command loads its own modules only: a scan leaves the watch service, the HEC server and the simulator unloaded', () => {
  const scan = filesLoadedBy(['scan', tmp('empty.log', ''), '--tz', 'UTC'], true);
  assert.ok(scan.some((u) => u.endsWith('/cli/scan.js')), scan.join('\n'));
  for (const other of ['/cli/watch-cmd.js', '/watch/engine.js', '/input/hec-server.js', '/cli/simulate-cmd.js', '/sim/scenarios.js', '/cli/replay-cmd.js', '/cli/drilldown-cmd.js']) {
    assert.ok(!scan.some((u) => u.endsWith(other)), `a scan loaded ${other}`);
  }
  const watch = filesLoadedBy(['watch', '--help'], true);
  assert.ok(watch.some((u) => u.endsWith('/cli/watch-cmd.js')), watch.join('\n'));
});

test('the command runs from its bundle: the bin loads dist/bundle/cli/main.js, its scan threads the bundled worker, and of the modules only the V8 flags', () => {
  const files = filesLoadedBy(['scan', SAMPLE, '--tz', 'UTC', '--host', 'h', '--workers', '2', '--format', 'ndjson']);
  const inDist = [...new Set(files.filter((u) => u.includes('/dist/')).map((u) => u.slice(u.indexOf('/dist/'))))];
  assert.deepEqual(inDist.sort(), ['/dist/bundle/cli/main.js', '/dist/bundle/engine/worker.js', '/dist/src/cli/v8-flags.js'], files.join('\n'));
});

test('scan --workers N: threads that each read part of the file run every detection, so one detection gets N of them too', () => {
  const outs: string[] = [];
  for (const workers of ['1', '2', '3']) {
    const r = cli(['scan', SAMPLE, '--only', 'Ollama Possible API Endpoint Scan Reconnaissance', '--tz', 'UTC', '--host', 'h', '--format', 'ndjson', '--profile', '--workers', workers]);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /with 1 detection;/);
    if (workers === '1') assert.match(r.err, /^read in the main thread$/m);
    else assert.match(r.err, new RegExp(`^read by ${workers} scan threads, in ${workers} byte ranges of the input, every detection over each$`, 'm'));
    outs.push(r.out);
  }
  assert.equal(outs[1], outs[0]);
  assert.equal(outs[2], outs[0]);
  // A compressed file cannot be cut: its threads share the detections out, never more threads than detections.
  const gz = tmp('server.log.gz', gzipSync(readFileSync(SAMPLE)));
  const r = cli(['scan', gz, '--only', 'Ollama Possible API Endpoint Scan Reconnaissance,Ollama Excessive API Requests', '--tz', 'UTC', '--host', 'h', '--format', 'ndjson', '--profile', '--workers', '3']);
  assert.match(r.err, /^read by 2 scan threads, each over the whole input with a share of the detections$/m);
});

test('scan --workers N with many detections over a file below SHARE_MAX_BYTES: each thread reads it whole with a share of them, and the output is one thread\'s', () => {
  // The rule: byte ranges from SHARE_MAX_BYTES, or for fewer than SHARE_MIN_JOBS detections a thread; a share below.
  assert.equal(readsInRanges(SHARE_MAX_BYTES - 1, 32, 2), false);
  assert.equal(readsInRanges(SHARE_MAX_BYTES, 32, 2), true);
  assert.equal(readsInRanges(1 << 20, SHARE_MIN_JOBS * 2 - 1, 2), true);
  assert.equal(readsInRanges(1 << 20, SHARE_MIN_JOBS * 2, 2), false);
  assert.equal(readsInRanges(undefined, 32, 2), false); // compressed: never cut
  assert.equal(readsInRanges(SHARE_MAX_BYTES, 32, 1), false);
  const args = [SAMPLE, '--set', 'all', '--tz', 'UTC', '--host', 'h', '--format', 'ndjson', '--profile'];
  const one = cli(['scan', ...args, '--workers', '1']);
  const two = cli(['scan', ...args, '--workers', '2']);
  assert.equal(one.code, 1, one.err);
  assert.match(two.err, /^read by 2 scan threads, each over the whole input with a share of the detections$/m);
  assert.ok(one.out.length > 0);
  assert.equal(two.out, one.out);
  // Each detection ran on one of the threads only: the events handed to it are one thread's.
  const handed = (err: string) => Object.fromEntries([...err.matchAll(/^\s+\d+\s+[\d.]+%\s+(\d+)\s+\d+\s+(.+)$/gm)].map((m) => [m[2], m[1]]));
  assert.equal(Object.keys(handed(one.err)).length, 32);
  assert.deepEqual(handed(two.err), handed(one.err));
});

test('scan without --workers: the main thread under 8 MB, one thread under 64 MB of plain files, one per core from there', () => {
  // As the rule reads: not big (under 8 MB), the main thread; big and cut into ranges only from SPLIT_MIN_BYTES;
  // compressed input (never cut) shares the detections out as soon as it is big.
  assert.equal(defaultThreads(false, 1 << 20, 4), 1);
  assert.equal(defaultThreads(true, 9 << 20, 4), 1);
  assert.equal(defaultThreads(true, SPLIT_MIN_BYTES - 1, 2), 1);
  assert.equal(defaultThreads(true, SPLIT_MIN_BYTES, 2), 2);
  assert.equal(defaultThreads(true, SPLIT_MIN_BYTES * 3, 4), 4);
  assert.equal(defaultThreads(true, undefined, 2), 2);
  // A 9 MB log: read by one thread, not cut into ranges, with the output two threads give cutting it in two.
  const lines: string[] = [];
  for (let i = 0; lines.length * 100 < (9 << 20); i++) lines.push(ginLine(T + i * 50, 200, 1_200_000, `10.0.0.${i & 3}`, 'POST', '/api/chat'));
  const log = tmp('server.log', lines.join('\n') + '\n');
  const args = [log, '--only', 'Ollama Possible API Endpoint Scan Reconnaissance', '--tz', 'UTC', '--host', 'h', '--format', 'ndjson', '--profile'];
  const r = cli(['scan', ...args]);
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /^read by 1 scan thread, each over the whole input with a share of the detections$/m);
  const split = cli(['scan', ...args, '--workers', '2']);
  assert.match(split.err, /^read by 2 scan threads, in 2 byte ranges of the input, every detection over each$/m);
  assert.equal(split.out, r.out);
});

test('search --workers N: the file cut into ranges for N threads gives the rows one thread gives', () => {
  for (const spl of ['`ollama_access` | stats count by src, uri_path | sort - count', '`ollama_server` | table _time line_type msg uri_path | head 50',
    '`ollama_access` | bin _time span=1h | stats count, dc(src) as clients by _time']) {
    const one = cli(['search', spl, SAMPLE, '--tz', 'UTC', '--format', 'ndjson', '--workers', '1']);
    assert.equal(one.code, 0, one.err);
    assert.ok(one.out.length > 0);
    assert.doesNotMatch(one.err, /read by/);
    for (const workers of ['2', '3']) {
      const many = cli(['search', spl, SAMPLE, '--tz', 'UTC', '--format', 'ndjson', '--workers', workers]);
      assert.match(many.err, new RegExp(`, read by ${workers} threads in ${workers} byte ranges;`));
      assert.equal(many.out, one.out, `${spl}, ${workers} workers`);
    }
  }
  const bad = cli(['search', '`ollama_server`', SAMPLE, '--workers', '0']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--workers must be a whole number from 1 to 64/);
});

test('a reader that closes the pipe early (scan | head) stops the command quietly, with status 141', async () => {
  const lines: string[] = [];
  for (let i = 0; i < 20000; i++) lines.push(ginLine(T + i * 1000, 200, 1_200_000, '10.0.0.7', 'GET', `/api/tags?n=${i}`));
  const log = tmp('server.log', lines.join('\n') + '\n');
  const child = spawn(process.execPath, [BIN, 'search', '`ollama_server` | table _raw', log, '--tz', 'UTC', '--format', 'csv']);
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
  assert.equal(code, 141, err);
  assert.doesNotMatch(err, /EPIPE|Error|at /);
});

test('scan --profile says how many rows of the ranges were left unread, outranked for a sort', () => {
  assert.equal(renderReading({ count: 2, ranges: 24, unread: 220_000 }), 'read by 2 scan threads, in 24 byte ranges of the input, every detection over each; 220000 of their rows left unread, outranked by later ranges\' for a sort\n');
  assert.equal(renderReading({ count: 2, ranges: 24 }), 'read by 2 scan threads, in 24 byte ranges of the input, every detection over each\n');
});
