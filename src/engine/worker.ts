// A scan worker thread: runs its share of the jobs over the files and posts each job's rows back as soon as
// the job ends, so neither thread holds every job's rows at once (see parallel.ts).
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { fileSource, type LogSource } from '../input/sources.js';
import { TimeZone } from '../util/timezone.js';
import { runJobs } from './runner.js';
import type { WorkerInput, WorkerMessage } from './parallel.js';

const input = workerData as WorkerInput;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
// A byte range starts at a line (range-split.ts) and ends after one.
const sources = input.files.map((f): LogSource => {
  const { start, end } = f;
  if (start === undefined || end === undefined) return { ...fileSource(f.path), mtimeMs: f.mtimeMs };
  return { name: f.path, mtimeMs: f.mtimeMs, open: () => createReadStream(f.path, { start, end: end - 1, highWaterMark: 1 << 20 }) };
});
await runJobs(sources, input.jobs, {
  tz: TimeZone.resolve(input.tz), now: input.now, ...(input.host !== undefined ? { host: input.host } : {}),
  ...(input.truncate !== undefined ? { truncate: input.truncate } : {}), warn: (message) => post({ kind: 'warn', message }),
  ...(input.profile ? { profile: true } : {}), ...(input.head ? { head: true } : {}),
  onResult: (key, result, summary, cost) => post({ kind: 'result', key, result, input: summary, ...(cost ? { cost } : {}) }),
});
post({ kind: 'done' });
