// A scan worker thread: runs its share of the jobs over the files and posts each job's rows back as soon as
// the job ends, so neither thread holds every job's rows at once (see parallel.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { fileSource } from '../input/sources.js';
import { TimeZone } from '../util/timezone.js';
import { runJobs } from './runner.js';
import type { WorkerInput, WorkerMessage } from './parallel.js';

const input = workerData as WorkerInput;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
const sources = input.files.map((f) => ({ ...fileSource(f.path), mtimeMs: f.mtimeMs }));
await runJobs(sources, input.jobs, {
  tz: TimeZone.resolve(input.tz), now: input.now, ...(input.host !== undefined ? { host: input.host } : {}),
  ...(input.truncate !== undefined ? { truncate: input.truncate } : {}), warn: (message) => post({ kind: 'warn', message }),
  ...(input.profile ? { profile: true } : {}),
  onResult: (key, result, summary, cost) => post({ kind: 'result', key, result, input: summary, ...(cost ? { cost } : {}) }),
});
post({ kind: 'done' });
