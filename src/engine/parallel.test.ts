// Worker threads: the same results as one thread, and a worker that outgrows its heap limit is run again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileSearchText } from '../spl/compile.js';
import { MacroTable } from '../spl/macros.js';
import { TimeZone } from '../util/timezone.js';
import { fileSource } from '../input/sources.js';
import { runJobs, type Job } from './runner.js';
import { runJobsParallel, workerInput } from './parallel.js';
import { ScanThread, scanThreadLimits, WORKER_YOUNG_MB } from './scan-thread.js';
import { Worker } from 'node:worker_threads';

const tz = TimeZone.resolve('UTC');
const NOW = Date.UTC(2025, 5, 14, 12, 0, 0) / 1000;
const job = (key: string, spl: string): Job => {
  const { plan, expanded } = compileSearchText(spl, new MacroTable(), { tz, now: NOW });
  return { key, plan, expanded };
};

function logFile(lines: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-par-'));
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const s = String(i % 60).padStart(2, '0');
    out.push(`[GIN] 2025/06/14 - 10:${String(Math.floor(i / 3000) % 60).padStart(2, '0')}:${s} | ${i % 7 ? 200 : 404} |  ${(i % 900) + 1}.25ms |  10.0.${i % 5}.${i % 250} | POST     "/api/chat/${i}"`);
  }
  const file = join(dir, 'server.log');
  writeFileSync(file, out.join('\n') + '\n');
  return file;
}

test('two workers give the rows one thread gives, in the jobs\' order', async () => {
  const file = logFile(5000);
  const jobs = [
    job('by-src', 'search line_type=gin | bin _time span=5m | stats count, dc(uri_path) as paths by _time, src'),
    job('misses', 'search status=404 | eval p=uri_path | stats count by src | where count > 2'),
    job('slow', 'search line_type=gin | where response_time_ms > 800 | table _time, src, response_time_ms'),
  ];
  const opts = { tz, now: NOW, warn: () => {} };
  const one = await runJobs([fileSource(file)], jobs, opts);
  const two = await runJobsParallel([{ path: file, mtimeMs: 0 }], jobs, opts, 2);
  assert.deepEqual([...two.rows.keys()], jobs.map((j) => j.key));
  assert.deepEqual(two.rows, one.rows);
  assert.equal(two.lines, 5000);
});

test('a worker that reaches its heap limit is run again with a bigger one, and says so once', async () => {
  const file = logFile(150_000);
  const warnings: string[] = [];
  const res = await runJobsParallel([{ path: file, mtimeMs: 0 }], [job('all', 'search line_type=gin | stats dc(_raw) as lines, values(_raw) as raws')], { tz, now: NOW, warn: (m) => warnings.push(m) }, 1, 16);
  assert.equal(res.rows.get('all')![0]!.lines, 150_000);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /needed more than 16 MB .* again with 64 MB/);
});

test('results stream to the sink in the jobs\' order, whichever thread ends first, with failures in their place', async () => {
  const file = logFile(20_000);
  const jobs = [
    // The first job is the heaviest, so the other threads' jobs are ready before it.
    job('heavy', 'search line_type=gin | eval k=src.":".uri_path | stats dc(k) as keys, values(status) as statuses by src'),
    job('fails', 'search status=404 | eval bad=(status=404)'),
    job('light-a', 'search status=404 | stats count'),
    job('light-b', 'search line_type=gin | head 3 | table src'),
    job('light-c', 'search line_type=gin | stats count by status'),
  ];
  const opts = { tz, now: NOW, warn: () => {} };
  const one = await runJobs([fileSource(file)], jobs, opts);
  const seen: Array<[string, unknown]> = [];
  const res = await runJobsParallel([{ path: file, mtimeMs: 0 }], jobs, {
    ...opts, onResult: (key, r, input) => { assert.equal(input.lines, 20_000); seen.push([key, 'rows' in r ? r.rows : r.failure]); },
  }, 3);
  assert.deepEqual(seen.map(([k]) => k), jobs.map((j) => j.key));
  assert.equal(res.rows.size, 0, 'streamed rows are not also kept');
  for (const [k, v] of seen) {
    if (k === 'fails') assert.equal(v, one.failures.get('fails'));
    else assert.deepEqual(v, one.rows.get(k));
  }
  assert.match(String(seen[1]![1]), /true\/false/);
});

test('the single-threaded runner streams results in order too, and lets each pipeline go', async () => {
  const file = logFile(3000);
  const jobs = [job('a', 'search status=404 | stats count'), job('b', 'search line_type=gin | stats count by status')];
  const keys: string[] = [];
  const res = await runJobs([fileSource(file)], jobs, { tz, now: NOW, onResult: (k, r) => { keys.push(k); assert.ok('rows' in r && r.rows.length > 0); } });
  assert.deepEqual(keys, ['a', 'b']);
  assert.equal(res.rows.size, 0);
});

test('rows that stream in many chunks, and a job that fails after streaming some, come out as one thread gives them', async () => {
  // One line every 2 s for over three hours, every path its own: a group per line, flushed an hour after its
  // minute's bin closes, so rows leave long before the input ends.
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-par-'));
  const file = join(dir, 'server.log');
  const stamp = (t: number) => new Date(t * 1000).toISOString().replace(/^(\d+)-(\d+)-(\d+)T([\d:]+).*$/, '$1/$2/$3 - $4');
  const start = Date.UTC(2025, 5, 14, 8, 0, 0) / 1000;
  writeFileSync(file, Array.from({ length: 6000 }, (_, i) => `[GIN] ${stamp(start + 2 * i)} | ${i % 7 ? 200 : 404} |     1.25ms |        10.0.0.${i % 9} | GET      "/p/${i}"`).join('\n') + '\n');
  const late = start + 3 * 3600;
  const jobs = [
    job('fails-late', `search line_type=gin | eval bad=if(_time > ${late}, (status=200), 1) | bin _time span=1m | stats count by _time, uri_path`),
    job('many', 'search line_type=gin | bin _time span=1m | stats count by _time, uri_path'),
    job('few', 'search status=404 | stats count'),
  ];
  const opts = { tz, now: NOW, warn: () => {} };
  const seen = new Map<string, { calls: number; rows: number }>();
  const plain = await runJobs([fileSource(file)], jobs, opts); // no sink: kept whole
  const streamed = await runJobs([fileSource(file)], jobs, { ...opts, onResult: (k, r) => {
    const s = seen.get(k) ?? { calls: 0, rows: 0 };
    s.calls++;
    if ('rows' in r) s.rows += r.rows.length; else assert.equal(s.calls, 1, 'a failure comes alone');
    seen.set(k, s);
  } });
  assert.equal(streamed.rows.size, 0);
  assert.equal(plain.rows.get('many')!.length, 6000);
  assert.ok(seen.get('many')!.calls > 1, 'rows come a chunk at a time');
  assert.equal(seen.get('many')!.rows, 6000);
  assert.deepEqual(seen.get('fails-late'), { calls: 1, rows: 0 });
  assert.match(plain.failures.get('fails-late')!, /true\/false/);
  for (const threads of [1, 2]) {
    const par = await runJobsParallel([{ path: file, mtimeMs: 0 }], jobs, opts, threads);
    assert.deepEqual(par.rows, plain.rows);
    assert.deepEqual(par.failures, plain.failures);
  }
});

test('a scan thread starts with its old generation capped as asked and a young one of WORKER_YOUNG_MB', async () => {
  const limits = scanThreadLimits(96);
  assert.deepEqual(limits, { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: WORKER_YOUNG_MB });
  // Under V8's default (16 MB semi-spaces, a 48 MB young generation), which it is there to halve.
  assert.ok(WORKER_YOUNG_MB >= 12 && WORKER_YOUNG_MB < 48);
  // The thread sees them as its own limits (Node hands them to V8 when it makes the thread's heap).
  const seen = await new Promise<unknown>((ok, fail) => {
    const w = new Worker('const { parentPort, resourceLimits } = require("node:worker_threads"); parentPort.postMessage(resourceLimits);', { eval: true, resourceLimits: limits });
    w.once('message', (m) => { ok(m); void w.terminate(); });
    w.once('error', fail);
  });
  assert.equal((seen as { maxYoungGenerationSizeMb: number }).maxYoungGenerationSizeMb, WORKER_YOUNG_MB);
  assert.equal((seen as { maxOldGenerationSizeMb: number }).maxOldGenerationSizeMb, 96);
});

test('a thread started with every job runs only the share it is then given', async () => {
  const file = logFile(300);
  const jobs = [job('a', 'search line_type=gin | stats count'), job('b', 'search status=404 | stats count'), job('c', 'search line_type=gin | stats dc(src) as n')];
  const thread = new ScanThread(workerInput(jobs, { tz, now: NOW }), 64, { tz, now: NOW });
  thread.start();
  const ended: string[] = [];
  try {
    await thread.run([{ path: file, mtimeMs: 0 }], { end: (key) => { ended.push(key); } }, [], undefined, ['c', 'a']);
  } finally {
    await thread.close();
  }
  assert.deepEqual(ended.sort(), ['a', 'c']);
});
