// Weighing jobs before they are spread over threads: by the rows their stages take on a sample of the log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileSearchText } from '../spl/compile.js';
import { MacroTable } from '../spl/macros.js';
import { TimeZone } from '../util/timezone.js';
import { LineParser } from '../parse/line-parser.js';
import { weighJob, weighJobs } from './job-cost.js';
import { compileJob, loadContent } from '../cli/content.js';
import { partition, sampleCosts, SAMPLE_RUN, SAMPLE_SPOTS } from './parallel.js';
import type { Job } from './runner.js';

const tz = TimeZone.resolve('UTC');
const ctx = { tz, now: 0, warn: () => {} };
const job = (key: string, spl: string): Job => ({ key, ...compileSearchText(spl, new MacroTable(), { tz, now: 0 }) });
const gin = (i: number) => `[GIN] 2025/06/14 - 10:00:${String(i % 60).padStart(2, '0')} | 200 |   12.5ms |  10.0.0.${i % 9} | POST     "/api/chat"`;
const slog = (i: number) => `time=2025-06-14T10:00:${String(i % 60).padStart(2, '0')}.000Z level=INFO source=server.go:1 msg="loading model" n=${i}`;

test('a job weighs by the rows its stages take: a rex on every gin line outweighs a search no gin line passes', () => {
  const p = new LineParser({ tz, defaultHost: 'h', source: 's', fallbackMs: 0 });
  const events = [...Array.from({ length: 90 }, (_, i) => p.parse(gin(i))), ...Array.from({ length: 10 }, (_, i) => p.parse(slog(i)))];
  const [rex, slogOnly, ginCount, none] = weighJobs([
    job('rex', '"GIN" | rex "\\| (?<code>\\d+) \\|" | stats count by code'),
    job('slog', 'line_type=slog | stats count by msg'),
    job('gin', '"GIN" | stats count by src'),
    job('none', 'line_type=runner'),
  ], events, ctx);
  assert.ok(rex! > ginCount! && ginCount! > slogOnly! && slogOnly! > none!, `${rex} ${ginCount} ${slogOnly} ${none}`);
  // A search that only gin lines pass costs nothing per gin line once reduced ("GIN" holds for all of them).
  const [reducedAway, kept] = weighJobs([job('a', '"GIN"'), job('b', '"GIN" "chat"')], events, ctx);
  assert.ok(kept! > reducedAway!);
});

test('the sample is taken at spots through the file, not only from its start', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-cost-'));
  const file = join(dir, 'server.log');
  // Start-up chatter for the first half, traffic after: a sample of the first lines would see no gin line.
  const lines = [...Array.from({ length: 4000 }, (_, i) => slog(i)), ...Array.from({ length: 4000 }, (_, i) => gin(i))];
  writeFileSync(file, lines.join('\n') + '\n');
  const jobs = [job('gin', 'line_type=gin | stats count by src'), job('slog', 'line_type=slog | stats count by msg')];
  const w = await sampleCosts([{ path: file, mtimeMs: 0 }], jobs, { tz, now: 0 });
  assert.ok(w && w[0]! > 0 && w[1]! > 0, String(w));
  // Every spot is read: the start-up lines' job weighs less than if every sampled line were one of them.
  const p = new LineParser({ tz, defaultHost: 'h', source: 's', fallbackMs: 0 });
  const [, allSlog] = weighJobs(jobs, Array.from({ length: SAMPLE_RUN * SAMPLE_SPOTS }, (_, i) => p.parse(slog(i))), { tz, now: 0, warn: () => {} });
  assert.ok(w[1]! < allSlog!);
});

test('jobs are spread by their weights when given, heaviest first onto the least loaded thread', () => {
  const jobs = ['a', 'b', 'c', 'd'].map((k) => job(k, 'line_type=gin'));
  const keys = (parts: Job[][]) => parts.map((p) => p.map((j) => j.key).join(''));
  assert.deepEqual(keys(partition(jobs, 2, [1, 1, 10, 1])), ['c', 'abd']);
  assert.deepEqual(keys(partition(jobs, 2, [4, 3, 3, 2])), ['ad', 'bc']);
});

test('a file of few, huge lines is sampled without failing, and a pipe is not sampled at all', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-cost-'));
  const file = join(dir, 'huge.log');
  writeFileSync(file, 'x'.repeat(24 << 20) + '\n' + gin(1) + '\n');
  const jobs = [job('gin', 'line_type=gin | stats count by src')];
  const w = await sampleCosts([{ path: file, mtimeMs: 0 }], jobs, { tz, now: 0 });
  assert.ok(w === undefined || w.length === 1);
  // Reading a named pipe here would take its lines from the threads: it is left alone (statted, never opened).
  const fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  assert.equal(await sampleCosts([{ path: fifo, mtimeMs: 0 }], jobs, { tz, now: 0 }), undefined);
});

test('a job none of whose sample gets past its search is weighed without its pipeline, at what its pipeline gives', () => {
  const { detections, macros } = loadContent();
  const jobs = detections.map((d) => compileJob(d.name, d.search, macros, { tz, now: 0, format: 'table' } as Parameters<typeof compileJob>[3]));
  // Jobs the shortcut decides too: a search only other lines pass, one with a time range.
  jobs.push(job('slog only', 'line_type=slog msg="loading model" | stats count'), job('runner', 'line_type=runner | stats count'),
    job('time range', 'line_type=gin earliest=0 latest=1 | stats count by src'));
  const sample = new URL('../../../samples/server.log', import.meta.url).pathname;
  const p = new LineParser({ tz, defaultHost: 'h', source: 's', fallbackMs: 0 });
  const lines = readFileSync(sample, 'utf8').split('\n').filter((l) => l.length > 0);
  for (const events of [lines.slice(0, 400).map((l) => p.parse(l)), lines.slice(-400).map((l) => p.parse(l)), Array.from({ length: 50 }, (_, i) => p.parse(gin(i)))]) {
    const quick = weighJobs(jobs, events, ctx);
    const full = jobs.map((j) => weighJob(j, events, ctx));
    assert.deepEqual(quick, full);
    assert.ok(full.filter((w, i) => w > 0 && quick[i] === w).length > 10, 'weights that are not all nothing');
  }
});
