// A scan worker thread: runs its share of the jobs over the files and posts the rows back (see parallel.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { fileSource } from '../input/sources.js';
import { TimeZone } from '../util/timezone.js';
import { runJobs } from './runner.js';
import type { WorkerInput, WorkerMessage } from './parallel.js';

const input = workerData as WorkerInput;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
const sources = input.files.map((f) => ({ ...fileSource(f.path), mtimeMs: f.mtimeMs }));
const res = await runJobs(sources, input.jobs, {
  tz: TimeZone.resolve(input.tz), now: input.now, ...(input.host !== undefined ? { host: input.host } : {}),
  ...(input.truncate !== undefined ? { truncate: input.truncate } : {}), warn: (message) => post({ kind: 'warn', message }),
});
post({
  kind: 'done', rows: [...res.rows], failures: [...res.failures], lines: res.lines, truncatedLines: res.truncatedLines,
  ...(res.firstEventTime !== undefined ? { first: res.firstEventTime } : {}), ...(res.lastEventTime !== undefined ? { last: res.lastEventTime } : {}),
});
