// The runner hands each event only to the searches that can want it (shape entries, FieldDispatch): held here
// to every built-in detection's pipeline taking every event, over every dataset and lines crafted to sit on
// the dispatch's edges, bare and behind prefixes.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TimeZone } from '../util/timezone.js';
import { fileSource } from '../input/sources.js';
import { readLineBytes } from '../input/lines.js';
import { loadContent, compileJob } from '../cli/content.js';
import { LineParser } from '../parse/line-parser.js';
import { Pipeline } from './pipeline.js';
import { runJobs, type Job } from './runner.js';
import type { Row } from './value.js';

const tz = TimeZone.resolve('UTC');
const NOW = Date.UTC(2025, 5, 20) / 1000;
const DATASETS = new URL('../../../datasets/', import.meta.url).pathname;

const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** Gin lines from outside, inside and loopback clients, with the detections' words in their fields. */
function crafted(): string {
  const at = (s: number) => `2025/06/14 - ${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  const gin = (s: number, status: number, latency: string, client: string, method: string, path: string) =>
    `[GIN] ${at(s)} | ${status} | ${latency.padStart(13)} | ${client.padStart(15)} | ${method.padEnd(7)}  "${path}"`;
  const lines: string[] = [];
  const clients = ['203.0.113.7', '10.0.0.5', '127.0.0.1', '::1', 'Panic:exit', '198.51.100.20'];
  const paths = ['/api/chat', '/api/generate', '/v1/chat/completions', '/api/pull', '/api/create', '/api/blobs/sha256:ab', '/api/delete',
    '/x/panic: y', '/fatal error: gguf', '/api/me', '/api/show', '/v1/models', '/llama_kv_cache', '/a|exit|b', '/api/tags?crash=1'];
  const methods = ['POST', 'GET', 'DELETE', 'HEAD', 'OPTIONS', 'EXIT'];
  const statuses = [200, 201, 400, 403, 404, 405, 500, 503];
  const latencies = ['1.5ms', '61.2s', '130.000001s', '967.824µs', '2.5s'];
  for (let i = 0; i < 6000; i++) {
    const s = 3600 + Math.floor(i / 3);
    lines.push(gin(s, statuses[i % 8]!, latencies[(i >> 3) % 5]!, clients[(i * 7) % 6]!, methods[(i * 5) % 6]!, paths[(i * 11) % 15]!));
    if (i % 500 === 0) lines.push(`time=2025-06-14T01:00:00.000Z level=ERROR source=server.go:1 msg="llama runner terminated" error="exit status 2"`);
  }
  return write('crafted.log', lines);
}

/**
 * The same lines as journald and compose give them, behind prefixes whose hosts and idents hold the
 * detections' words (the dispatch looks for words in a prefix too: PREFIXED_PLAIN_GIN_SHAPE).
 */
function behindPrefixes(): string {
  const prefixes = ['gpu-box ollama[812]: ', 'crash-box ollama[812]: ', 'gpu exit[1]: ', 'panic ollama[2]: ', 'h\u00e9te ollama[3]: '];
  const lines = readFileSync(crafted(), 'utf8').split('\n').filter((l) => l !== '').map((l, i) => {
    const hms = /\d\d:\d\d:\d\d/.exec(l)?.[0] ?? '00:00:00';
    return i % 7 === 6 ? `ollama-1  | ${l}` : `Jun 14 ${hms} ${prefixes[(i >> 4) % prefixes.length]}${l}`;
  });
  return write('behind-prefixes.log', lines);
}

function write(name: string, lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-runner-'));
  dirs.push(dir);
  const file = join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** Each job's rows with every event pushed into its pipeline: no shape entry, no dispatch. */
async function everyEvent(file: string, jobs: Job[]): Promise<Map<string, Row[]>> {
  const pipelines = jobs.map((j) => new Pipeline(j.plan, { ctx: { tz, now: NOW, warn: () => {} } }));
  const parser = new LineParser({ tz, host: 'h', defaultHost: 'h', source: file, fallbackMs: 0 });
  await readLineBytes(fileSource(file).open(), (buf, s, e) => {
    const ev = parser.parseBytes(buf, s, e);
    for (const p of pipelines) p.push(ev);
  });
  return new Map(jobs.map((j, i) => [j.key, pipelines[i]!.end()]));
}

test('every built-in detection gives through the runner\'s dispatch what its pipeline gives every event', async () => {
  const content = loadContent([], [], undefined);
  const jobs = content.detections.map((d) => compileJob(d.name, d.search, content.macros, { tz, now: NOW, format: 'table' } as Parameters<typeof compileJob>[3]));
  const files = [...readdirSync(DATASETS).filter((f) => f.endsWith('.log')).map((f) => join(DATASETS, f)), crafted(), behindPrefixes()];
  let rows = 0;
  for (const file of files) {
    const want = await everyEvent(file, jobs);
    const got = await runJobs([fileSource(file)], jobs, { tz, now: NOW, host: 'h', warn: () => {} });
    assert.equal(got.failures.size, 0, file);
    for (const j of jobs) {
      assert.deepEqual(got.rows.get(j.key), want.get(j.key), `${j.key} over ${file}`);
      rows += want.get(j.key)!.length;
    }
  }
  assert.ok(rows > 300, `only ${rows} rows`);
});
