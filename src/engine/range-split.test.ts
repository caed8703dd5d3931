// An input cut between threads by byte ranges: where the cuts fall, and results that are one thread's.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileSearchText } from '../spl/compile.js';
import { MacroTable } from '../spl/macros.js';
import { TimeZone } from '../util/timezone.js';
import { fileSource } from '../input/sources.js';
import { loadContent, compileJob } from '../cli/content.js';
import { runJobs, type Job, type RunOptions } from './runner.js';
import { findCut, planRanges, rangeCount, runJobsSplit, type ByteRange } from './range-split.js';
import { Pipeline, planSplit } from './pipeline.js';
import { liveScanThreads, ScanThread } from './scan-thread.js';
import { runJobsParallel, workerInput } from './parallel.js';

const tz = TimeZone.resolve('UTC');
const NOW = Date.UTC(2025, 5, 20) / 1000;
const opts: RunOptions = { tz, now: NOW, host: 'h', warn: () => {} };
const SAMPLE = new URL('../../../samples/server.log', import.meta.url).pathname;
const DAY = new URL('../../../datasets/ordinary-day.log', import.meta.url).pathname;

const two = (n: number) => String(n).padStart(2, '0');
const gin = (s: number, path = '/api/chat') =>
  `[GIN] 2025/06/14 - ${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)} | 200 |    1.25ms |       10.0.0.${s % 7} | POST     "${path}"`;
const slog = (s: number, msg: string) => `time=2025-06-14T${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.000Z level=INFO source=x.go:1 msg="${msg}"`;

const job = (key: string, spl: string): Job => {
  const { plan, expanded } = compileSearchText(spl, new MacroTable(), { tz, now: NOW });
  return { key, plan, expanded };
};

const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function write(lines: string[], name = 'server.log'): string {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-split-'));
  dirs.push(dir);
  const file = join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** The line starting at byte `at` of the file. */
function lineAt(file: string, at: number): string {
  const text = readFileSync(file, 'latin1');
  assert.ok(at === 0 || text[at - 1] === '\n', 'a cut is at the start of a line');
  return text.slice(at, text.indexOf('\n', at));
}

test('a cut is the first gin line of a new bin for every span, after events of the bin before', () => {
  const lines: string[] = [];
  for (let s = 0; s < 3 * 3600; s += 20) lines.push(gin(s));
  const file = write(lines);
  const size = statSync(file).size;
  assert.equal(lineAt(file, findCut(file, Math.floor(size / 2), [300, 3600], opts)!), gin(7200));
  assert.equal(lineAt(file, findCut(file, Math.floor(size / 2), [300], opts)!), gin(5700), 'only 5-minute bins: the next 5 minutes');
  assert.equal(findCut(file, Math.floor(size * 0.8), [3600], opts), undefined, 'no later hour in the file');
  // A runner line already in the next bin, before the gin lines of that bin: the cut waits for the bin after.
  const from = lines.slice(0, lines.indexOf(gin(7100))).join('\n').length + 1;
  assert.equal(lineAt(file, findCut(file, from, [300], opts)!), gin(7200));
  lines.splice(lines.indexOf(gin(7200)), 0, slog(7201, 'llama runner started in 1.00 seconds'));
  const late = write(lines);
  assert.equal(lineAt(late, findCut(late, from, [300], opts)!), gin(7500));
});

test('a cut skips the line it lands in and over-long lines, and never starts at a line that is not gin', () => {
  const lines = [gin(0), gin(10), 'x'.repeat(30_000) + ' 2025/06/14 - 00:06:00', slog(20, 'hello'), 'a line without a time', gin(301), gin(302)];
  const file = write(lines);
  // From inside the first gin line: the second gin line is the first whole one, the third starts the next bin.
  assert.equal(lineAt(file, findCut(file, 5, [300], opts)!), gin(301));
  assert.equal(lineAt(file, findCut(file, 5, [300], { ...opts, truncate: 100 })!), gin(301));
  // From inside the long line: the one gin line after it has no gin line before it to compare with.
  assert.equal(findCut(file, lines[0]!.length + lines[1]!.length + 100, [300], opts), undefined);
});

test('the ranges cover the files exactly, in order, each starting at a line', () => {
  const lines: string[] = [];
  for (let s = 0; s < 6 * 3600; s += 15) lines.push(gin(s), ...(s % 600 === 0 ? [slog(s, 'tick')] : []));
  const file = write(lines);
  const size = statSync(file).size;
  for (const n of [2, 3, 5]) {
    const parts = planRanges([{ path: file, mtimeMs: 0 }], n, [300, 3600], opts)!;
    assert.equal(parts.length, n);
    const flat = parts.flat();
    assert.equal(flat[0]!.start, 0);
    assert.equal(flat[flat.length - 1]!.end, undefined, 'the last range runs to the file\'s end');
    assert.ok(flat.slice(0, -1).every((r) => r.end! < size));
    for (let i = 1; i < flat.length; i++) {
      assert.equal(flat[i]!.start, flat[i - 1]!.end);
      assert.match(lineAt(file, flat[i]!.start), /^\[GIN\] \d{4}\/\d{2}\/\d{2} - \d{2}:00:00 /);
    }
  }
  assert.equal(planRanges([{ path: file + '.gz', mtimeMs: 0 }], 2, [], opts), undefined, 'compressed: not cut');
  assert.equal(planRanges([{ path: file, mtimeMs: 0 }], 1, [], opts), undefined);
});

/** Every built-in detection, as scan runs them. */
function builtinJobs(): Job[] {
  const { detections, macros } = loadContent();
  return detections.map((d) => compileJob(d.name, d.search, macros, { tz, now: NOW, format: 'table' } as Parameters<typeof compileJob>[3]));
}

test('every built-in detection over a cut input gives one thread\'s results, over files in time order', async () => {
  const files = [SAMPLE, DAY];
  const jobs = builtinJobs();
  const one = await runJobs(files.map(fileSource), jobs, opts);
  const found = [...one.rows.values()].filter((r) => r.length > 0).length;
  assert.ok(found >= 5, `the input should make several detections fire (${found})`);
  // Threads, and bytes a range (the two files are 536 KB): ranges done out of order wait for the ones before.
  // Early: the threads start (and make their searches) before the input is cut, as for a large log.
  for (const [n, bytes, early] of [[2, undefined, undefined], [3, undefined, undefined], [4, undefined, 0], [2, 40_000, 0]] as const) {
    const warnings: string[] = [];
    const split = await runJobsSplit(files.map((path) => ({ path, mtimeMs: statSync(path).mtimeMs })), jobs, { ...opts, warn: (m) => warnings.push(m) }, n, undefined, bytes, early);
    assert.ok(split, `${n} ranges`);
    assert.deepEqual([...split.rows.keys()], jobs.map((j) => j.key));
    assert.deepEqual(split.rows, one.rows, `${n} threads, ranges of ${bytes ?? 'a thread\'s share of the'} bytes`);
    assert.deepEqual(split.failures, one.failures);
    assert.equal(split.lines, one.lines);
    assert.equal(split.firstEventTime, one.firstEventTime);
    assert.equal(split.lastEventTime, one.lastEventTime);
    assert.deepEqual(warnings, [], 'no search ran again');
  }
});

test('where a search is cut, read from its plan alone, is where its pipeline cuts it', () => {
  const jobs = [...builtinJobs(), job('sorted', 'search line_type=gin | bin _time span=5m | stats count by _time, src | where count > 2 | sort - count'), job('plain', 'search line_type=gin | eval x=1')];
  for (const j of jobs) assert.deepEqual(planSplit(j.plan), new Pipeline(j.plan, { ctx: { ...opts, warn: () => {} }, head: true }).split, j.key);
  assert.ok(jobs.some((j) => planSplit(j.plan).binnedSpan !== undefined) && jobs.some((j) => planSplit(j.plan).preselect));
});

test('threads started before an input that cannot be cut are closed, and the caller runs the search its own way', async () => {
  // Half an hour of lines, and an hourly bin: no line starts a new hour, so there is no cut.
  const lines: string[] = [];
  for (let s = 0; s < 1800; s += 2) lines.push(gin(s));
  const file = write(lines);
  const jobs = [job('hourly', 'search line_type=gin | bin _time span=1h | stats count by _time')];
  const pending = runJobsSplit([{ path: file, mtimeMs: 0 }], jobs, opts, 2, undefined, undefined, 0);
  assert.equal(liveScanThreads(), 2, 'the threads start before the input is cut');
  assert.equal(await pending, undefined);
  // Both were started, and both have stopped (their exit is seen on a later turn of the event loop).
  for (let i = 0; i < 100 && liveScanThreads() > 0; i++) await new Promise((ok) => setTimeout(ok, 20));
  assert.equal(liveScanThreads(), 0);
  const one = await runJobs([fileSource(file)], jobs, opts);
  assert.deepEqual((await runJobsParallel([{ path: file, mtimeMs: 0 }], jobs, opts, 2)).rows, one.rows);
});

test('a search whose bins meet across ranges is run again over the whole input, with the same results', async () => {
  // The files out of time order: the second day first.
  const files = [DAY, SAMPLE];
  const jobs = builtinJobs();
  const one = await runJobs(files.map(fileSource), jobs, opts);
  const warnings: string[] = [];
  const split = (await runJobsSplit(files.map((path) => ({ path, mtimeMs: 0 })), jobs, { ...opts, warn: (m) => warnings.push(m) }, 2))!;
  assert.deepEqual(split.rows, one.rows);
  assert.deepEqual([...split.rows.keys()], jobs.map((j) => j.key));
  assert.equal(warnings.filter((w) => /ran again over the whole input/.test(w)).length, 1, warnings.join('\n'));
});

test('a search that fails in a later range fails as in one thread, and the others go on', async () => {
  const lines: string[] = [];
  for (let s = 0; s < 4 * 3600; s += 30) lines.push(gin(s, s > 3 * 3600 ? '/api/pull' : '/api/chat'));
  const file = write(lines);
  const jobs = [
    job('fails-late', 'search uri_path="/api/pull" | eval bad=(status=200)'),
    job('binned', 'search line_type=gin | bin _time span=10m | stats count by _time, src'),
    job('ordered', 'search line_type=gin | sort 0 -_time | head 5 | table _time, src'),
    job('streamed', 'search line_type=gin src="10.0.0.3" | eval m=_time % 7 | table _time, m'),
  ];
  const one = await runJobs([fileSource(file)], jobs, opts);
  const split = (await runJobsSplit([{ path: file, mtimeMs: 0 }], jobs, opts, 3))!;
  assert.equal(split.failures.get('fails-late'), one.failures.get('fails-late'));
  assert.match(split.failures.get('fails-late')!, /true\/false/);
  assert.deepEqual(split.rows, one.rows);
});

test('lines out of time order around a cut: the binned searches run again, and the results are one thread\'s', async () => {
  const jobs = [
    job('binned', 'search line_type=gin | bin _time span=5m | stats count, values(src) as srcs by _time, host'),
    job('streamed', 'search line_type=gin src="10.0.0.3" | table _time, src'),
  ];
  const cases: Array<[string, (s: number) => string[]]> = [
    // After the first line of every bin, a line of the bin before: whichever bin starts a range, it is in two.
    ['a bin in two ranges', (s) => (s % 300 === 30 ? [gin(s - 60)] : [])],
    // In the last range (from about 03:20), a line 75 minutes late, of a bin of that range: whether one thread
    // had closed its bin depends on when it last closed bins.
    ['a bin perhaps closed', (s) => (s === 17400 ? [gin(s - 4500)] : [])],
  ];
  for (const [name, extra] of cases) {
    const lines: string[] = [];
    for (let s = 0; s < 5 * 3600; s += 30) lines.push(gin(s), ...extra(s));
    const file = write(lines);
    const one = await runJobs([fileSource(file)], jobs, opts);
    const warnings: string[] = [];
    const split = (await runJobsSplit([{ path: file, mtimeMs: 0 }], jobs, { ...opts, warn: (m) => warnings.push(m) }, 3))!;
    assert.deepEqual(split.rows, one.rows, name);
    assert.deepEqual(warnings.filter((w) => /ran again/.test(w)), ['1 detection ran again over the whole input in one thread: events of one time bin were in two threads\' parts of it (is the log out of order?): binned'], name);
  }
});

test('a sort with a limit after a binned stats: each range keeps what it could pass on, and ties fall as in one thread', async () => {
  // Counts repeat across bins and clients, so the sorts have many ties, within and across ranges.
  const jobs = [
    job('top', 'search line_type=gin | bin _time span=5m | stats count by _time, src | sort 7 -count | table _time, src, count'),
    job('top-by-src', 'search line_type=gin | bin _time span=5m | stats count by _time, src | eval k=count % 3 | sort 12 k, src'),
    job('all', 'search line_type=gin | bin _time span=5m | stats count by _time, src | sort 0 -count'),
    job('top-reversed', 'search line_type=gin src="10.0.0.2" | sort 9 status | table _time, src'),
  ];
  const lines: string[] = [];
  for (let s = 0; s < 5 * 3600; s += 30) lines.push(gin(s), ...(s % 90 === 0 ? [gin(s + 1)] : []));
  const file = write(lines);
  const one = await runJobs([fileSource(file)], jobs, opts);
  for (const [n, bytes] of [[2, undefined], [3, undefined], [2, 30_000]] as const) {
    const split = (await runJobsSplit([{ path: file, mtimeMs: 0 }], jobs, opts, n, undefined, bytes))!;
    assert.deepEqual(split.rows, one.rows, `${n} threads, ranges of ${bytes ?? 'a thread\'s share of the'} bytes`);
  }
  assert.equal(one.rows.get('top')!.length, 7);
});

test('a kept thread that reaches its heap limit is replaced by one with more, which runs its range again; results are one thread\'s', async () => {
  // Each thread keeps every gin line's _raw of its ranges for the stats that runs where the ranges meet.
  const jobs = [job('raws', 'search line_type=gin | stats dc(_raw) as lines, count by src'), job('binned', 'search line_type=gin | bin _time span=1h | stats count by _time')];
  const lines: string[] = [];
  for (let s = 0; s < 200_000; s++) lines.push(gin(Math.floor(s / 4), `/api/chat/${s}/${'x'.repeat(400)}`));
  const file = write(lines);
  const one = await runJobs([fileSource(file)], jobs, opts);
  const warnings: string[] = [];
  // Six ranges on two threads of 16 MB each.
  const split = (await runJobsSplit([{ path: file, mtimeMs: 0 }], jobs, { ...opts, warn: (m) => warnings.push(m) }, 2, 16, Math.ceil(statSync(file).size / 6)))!;
  assert.deepEqual(split.rows, one.rows);
  assert.equal(split.lines, 200_000);
  assert.ok(warnings.length >= 1 && warnings.every((w) => /needed more than 16 MB .* running its part again with 64 MB/.test(w)), warnings.join('\n'));
});

test('a file written to after the ranges were planned is read to its end, as one thread reads it', async () => {
  const lines: string[] = [];
  for (let s = 0; s < 3 * 3600; s += 10) lines.push(gin(s));
  const first = write(lines, 'a.log');
  const second = write(lines.map((_, i) => gin(3 * 3600 + i * 10)), 'b.log');
  const files = [{ path: first, mtimeMs: 0 }, { path: second, mtimeMs: 0 }];
  const parts = planRanges(files, 3, [3600], opts)!;
  const flat = parts.flat();
  // Both files' last ranges are open: a.log's (before b.log's first) and b.log's.
  assert.deepEqual(flat.filter((r) => r.end === undefined).map((r) => r.path), [first, second]);
  const count = job('count', 'search line_type=gin | stats count');
  const base = { ...workerInput([count], opts), head: true };
  const read = async (part: ByteRange[]): Promise<number> => {
    const t = new ScanThread(base, 64, opts);
    let rows = -1;
    try { await t.run(part, { end: (_key, result) => { if ('rows' in result) rows = result.rows.length; } }, []); } finally { await t.close(); }
    return rows;
  };
  const before = await Promise.all(parts.map(read));
  assert.equal(before.reduce((a, b) => a + b, 0), 2 * lines.length);
  // Ten more lines in each file after planning: the parts that end at a file's end read them.
  appendFileSync(first, Array.from({ length: 10 }, (_, i) => gin(3 * 3600 - 5 + i % 5)).join('\n') + '\n');
  appendFileSync(second, Array.from({ length: 10 }, (_, i) => gin(6 * 3600 + i)).join('\n') + '\n');
  const after = await Promise.all(parts.map(read));
  assert.equal(after.reduce((a, b) => a + b, 0), 2 * lines.length + 20);
  assert.deepEqual(after.map((n, k) => n - before[k]!), parts.map((p) => 10 * p.filter((r) => r.end === undefined).length));
});

test('an input is cut into ranges of about the given size, as many for each thread', () => {
  const MB = 1 << 20;
  assert.equal(rangeCount(96 * MB, 2, 64 * MB), 2);
  assert.equal(rangeCount(150 * MB, 2, 64 * MB), 4, 'three would leave one thread idle for a third');
  assert.equal(rangeCount(384 * MB, 2, 64 * MB), 6);
  assert.equal(rangeCount(10 * MB, 4, 64 * MB), 4, 'at least one a thread');
  assert.equal(rangeCount(300 * MB, 4, 64 * MB), 8);
  assert.equal(rangeCount(0, 2, 64 * MB), 2);
});

test('the main thread merges nothing until a scan thread has stopped, and each range waits in a file of its own until then', async () => {
  const lines: string[] = [];
  for (let s = 0; s < 12 * 3600; s += 3) lines.push(gin(s), ...(s % 600 === 0 ? [slog(s, 'llama runner started in 2.00 seconds')] : []));
  const file = write(lines);
  const jobs = [job('binned', 'search line_type=gin | bin _time span=1h | stats count by _time, src'), job('sorted', 'search line_type=gin | sort 0 _time | head 5')];
  const one = await runJobs([fileSource(file)], jobs, opts);
  const spools = () => readdirSync(tmpdir()).filter((d) => d.startsWith('ollama-sentinel-ranges-'));
  const before = spools();
  // What happens, in order: a thread stopping, and a range's rows reaching the rest of a search here.
  const seen: string[] = [];
  const close = ScanThread.prototype.close;
  const pushAtCut = Pipeline.prototype.pushAtCut;
  ScanThread.prototype.close = function (this: ScanThread) { seen.push('stop'); return close.call(this); };
  Pipeline.prototype.pushAtCut = function (this: Pipeline, rows) {
    seen.push('merge');
    // The ranges not merged yet wait in files.
    assert.ok(spools().length > before.length);
    return pushAtCut.call(this, rows);
  };
  try {
    const split = (await runJobsSplit([{ path: file, mtimeMs: 0 }], jobs, opts, 2, undefined, Math.ceil(statSync(file).size / 8)))!;
    assert.deepEqual(split.rows, one.rows);
  } finally {
    ScanThread.prototype.close = close;
    Pipeline.prototype.pushAtCut = pushAtCut;
  }
  assert.equal(seen.filter((s) => s === 'merge').length, 2 * 8, 'every range of both searches is merged');
  assert.ok(seen.indexOf('stop') >= 0 && seen.indexOf('stop') < seen.indexOf('merge'), seen.join(' '));
  assert.deepEqual(spools(), before, 'the files are gone');
});

test('with no temporary directory to write to, the ranges\' results come by message and the results are one thread\'s', async () => {
  const lines: string[] = [];
  for (let s = 0; s < 6 * 3600; s += 5) lines.push(gin(s));
  const file = write(lines);
  const jobs = [job('binned', 'search line_type=gin | bin _time span=1h | stats count by _time, src')];
  const one = await runJobs([fileSource(file)], jobs, opts);
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = join(file, 'not-a-directory');
  try {
    const split = (await runJobsSplit([{ path: file, mtimeMs: 0 }], jobs, opts, 2, undefined, Math.ceil(statSync(file).size / 4)))!;
    assert.deepEqual(split.rows, one.rows);
  } finally {
    if (saved === undefined) delete process.env.TMPDIR; else process.env.TMPDIR = saved;
  }
});

test('a range whose rows later ranges outrank for a sort is left unread, and the results are one thread\'s', async () => {
  const lines: string[] = [];
  for (let s = 0; s < 12 * 3600; s += 4) lines.push(gin(s));
  const file = write(lines);
  const binned = 'search line_type=gin | bin _time span=5m | stats count by _time, src';
  const cases: Array<[string, boolean]> = [
    // Newest first: the last ranges hold the 30 newest groups, so the earlier ranges' rows cannot be kept.
    [`${binned} | sort 30 -_time`, true],
    [`${binned} | eval day="x" | sort 30 -_time, src`, true],
    // Oldest first: every range's rows come after the first range's; nothing can be left unread.
    [`${binned} | sort 30 _time`, false],
    // Every row ties: a later range's rows do not come strictly first, so nothing is left unread either.
    [`${binned} | eval k=1 | sort 30 -k`, false],
  ];
  for (const [spl, skips] of cases) {
    const jobs = [job('sorted', spl)];
    const one = await runJobs([fileSource(file)], jobs, opts);
    const split = (await runJobsSplit([{ path: file, mtimeMs: 0 }], jobs, opts, 2, undefined, Math.ceil(statSync(file).size / 8)))!;
    assert.deepEqual(split.rows, one.rows, spl);
    assert.equal(one.rows.get('sorted')!.length, 30);
    assert.equal(split.threads?.ranges, 8, spl);
    if (skips) assert.ok((split.threads?.unread ?? 0) >= 30 * 4, `${spl}: ${split.threads?.unread} unread`);
    else assert.equal(split.threads?.unread, undefined, spl);
  }
});
