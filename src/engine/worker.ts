// A scan worker thread (scan-thread.ts): for each set of files or byte ranges it is sent, one at a time, runs
// its jobs over them and posts each job's rows back as they become final (a chunk at a time) and its end, so
// no thread holds every job's rows.
import { parentPort, workerData } from 'node:worker_threads';
import { fileChunks, fileSource, type LogSource } from '../input/sources.js';
import { TimeZone } from '../util/timezone.js';
import { prepareSearches, runJobs, type KeptSearches, type RunOptions } from './runner.js';
import type { WorkerFiles, WorkerInput, WorkerMessage } from './parallel.js';
import type { RangeMessage } from './scan-thread.js';
import { SpoolWriter } from './range-spool.js';

const input = workerData as WorkerInput;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
const tz = TimeZone.resolve(input.tz);
/** The searches' heads, made once and reset between byte ranges (RunOptions.keep). */
const keep: KeptSearches = {};

/** Where the results of the part being run go when it is to be spooled (RangeMessage.spool), else undefined. */
let spooled: SpoolWriter | undefined;

/** The same options for every run: the kept searches' warnings and rows go out through them. */
const options: RunOptions = {
  tz, now: input.now, ...(input.host !== undefined ? { host: input.host } : {}),
  ...(input.truncate !== undefined ? { truncate: input.truncate } : {}), warn: (message) => post({ kind: 'warn', message }),
  ...(input.profile ? { profile: true } : {}), ...(input.head ? { head: true, keep } : {}),
  onRows: (key, rows) => post({ kind: 'rows', key, rows }),
  onResult: (key, result, summary, cost) => {
    if (spooled) {
      spooled.write(key, result, summary, cost);
      if ('rows' in result && result.select) post({ kind: 'select', key, select: result.select });
    }
    else post({ kind: 'result', key, result, input: summary, ...(cost ? { cost } : {}) });
  },
};

async function run(files: WorkerFiles, spool: string | undefined, only: readonly string[] | undefined): Promise<void> {
  // A byte range starts at a line (range-split.ts) and ends after one, or at the file's end.
  const sources = files.map((f): LogSource => {
    const { start, end } = f;
    if (start === undefined) return { ...fileSource(f.path), mtimeMs: f.mtimeMs };
    return { name: f.path, mtimeMs: f.mtimeMs, open: () => fileChunks(f.path, start, end) };
  });
  spooled = spool !== undefined ? new SpoolWriter(spool) : undefined;
  try {
    await runJobs(sources, only === undefined ? input.jobs : input.jobs.filter((j) => only.includes(j.key)), options);
  } finally {
    spooled?.close();
    spooled = undefined;
  }
  post({ kind: 'done' });
}

// A thread for byte ranges is started before the main thread has cut the input: its searches are made now.
prepareSearches(input.jobs, options);

// The main thread sends the next files only after 'done'. An error is left unhandled: it ends the thread,
// which the main thread sees as the failure of what it was running.
parentPort!.on('message', (m: RangeMessage) => { void run(m.files, m.spool, m.only); });
