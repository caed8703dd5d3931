// A scan worker thread, started once and handed the files to run its jobs over: the whole files (parallel.ts),
// or one byte range after another (range-split.ts). Starting a thread per range costs each range a module
// load, a compile of every search and a cold JIT, and leaves the old threads' memory to the allocator; one
// kept thread reuses its heap, whose limit bounds what it holds.
import { Worker } from 'node:worker_threads';
import type { WorkerFiles, WorkerInput, WorkerMessage } from './parallel.js';
import type { ResultSink, RunOptions } from './runner.js';
import type { Row } from './value.js';
import type { SelectSpan } from './select-skip.js';

/** The most heap a thread is given after running out (see run). */
const MAX_HEAP_MB = 8192;

/**
 * Young generation of a scan worker: 24 MB, two 8 MB semi-spaces (V8 splits it in three: two semi-spaces and the
 * new large-object space). V8's default lets each thread's grow to 16 MB semi-spaces while it reads; the
 * half-size one took 35–45 MB off a two-worker scan's peak RSS at the same speed (docs/performance-history.md). A
 * smaller one (4 MB semi-spaces) took 15 MB more off but cost a few per cent of the time.
 */
export const WORKER_YOUNG_MB = 24;

/**
 * What the main thread sends a scan thread: the next part of the input to run its jobs over. With `spool`, the
 * thread writes the part's results to that file (range-spool.ts) instead of posting them, and the main thread
 * reads them when it is ready to (range-split.ts): until then they take no room in its heap.
 */
export interface RangeMessage {
  kind: 'range';
  files: WorkerFiles;
  spool?: string;
  /** The keys of the jobs to run, when only some of the thread's (a share of the detections started before it was known). */
  only?: string[];
}

/** Where a thread's results go: each job's rows as they come (jobs unordered), and each job's end. */
export interface ThreadSink {
  end: ResultSink;
  rows?: (key: string, rows: Row[]) => void;
  /** The thread starts its part over (with more heap): the rows of jobs that had not ended will come again. */
  restart?: () => void;
  /** A spooled job's SelectSpan (select-skip.ts), before the part is done. */
  select?: (key: string, span: SelectSpan) => void;
}

interface Task { sink: ThreadSink; warnings: string[]; ok: () => void; fail: (e: unknown) => void }

/** The heap limits a scan thread starts with: `heapMb` of old generation, a young one of WORKER_YOUNG_MB. */
export function scanThreadLimits(heapMb: number): { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number } {
  return { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: WORKER_YOUNG_MB };
}

/** The scan threads started and not yet stopped (tests: a thread left running would keep the process alive). */
const live = new Set<Worker>();
export function liveScanThreads(): number { return live.size; }

export class ScanThread {
  private worker: Worker | undefined;
  private task: Task | undefined;

  /** `base`: the jobs and options, sent once. */
  constructor(private readonly base: WorkerInput, private heapMb: number, private readonly opts: RunOptions) {}

  /**
   * Runs the jobs over `files`, handing their results to `sink` (or, with `spool`, writing them to that file:
   * see RangeMessage), and the warnings to `held` once the range is done. A thread that runs out of heap is
   * replaced by one with four times as much, which runs the range again (a job's second end repeats its first:
   * the sink keeps the first; see ResultOrder; a spool file is written whole when the range is done).
   */
  async run(files: WorkerFiles, sink: ThreadSink, held: string[], spool?: string, only?: readonly string[]): Promise<void> {
    for (;;) {
      const warnings: string[] = [];
      try {
        await new Promise<void>((ok, fail) => {
          this.task = { sink, warnings, ok, fail };
          const message: RangeMessage = { kind: 'range', files, ...(spool !== undefined ? { spool } : {}), ...(only !== undefined ? { only: [...only] } : {}) };
          this.start();
          this.worker!.postMessage(message);
        });
        held.push(...warnings);
        return;
      } catch (e) {
        if ((e as { code?: string }).code !== 'ERR_WORKER_OUT_OF_MEMORY' || this.heapMb >= MAX_HEAP_MB) throw e;
        this.opts.warn?.(`a scan thread needed more than ${this.heapMb} MB for its detections; running its part again with ${this.heapMb * 4} MB`);
        this.heapMb *= 4;
        await this.close();
        sink.restart?.();
      }
    }
  }

  /**
   * Starts the thread before it is given anything: it loads the code and (for byte ranges) makes every search
   * while the caller gets the input ready. run() starts it otherwise.
   */
  start(): void {
    this.worker ??= this.spawn();
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.task = undefined;
    await w?.terminate();
  }

  private spawn(): Worker {
    // By way of the engine's folder: from dist/bundle/cli/main.js (scripts/bundle.ts) this is the bundled scan
    // thread, from dist/src/engine the module beside this one.
    const w = new Worker(new URL('../engine/worker.js', import.meta.url), { workerData: this.base, resourceLimits: scanThreadLimits(this.heapMb) });
    live.add(w);
    const finish = (e?: unknown) => {
      const t = this.task;
      this.task = undefined;
      if (e === undefined) t?.ok(); else t?.fail(e);
    };
    w.on('message', (m: WorkerMessage) => {
      const t = this.task;
      // A thread being replaced may still deliver what it posted: its rows would come twice.
      if (!t || this.worker !== w) return;
      if (m.kind === 'warn') t.warnings.push(m.message);
      else if (m.kind === 'select') t.sink.select?.(m.key, m.select);
      else if (m.kind === 'rows' || m.kind === 'result') {
        try {
          if (m.kind === 'rows') t.sink.rows?.(m.key, m.rows);
          else t.sink.end(m.key, m.result, m.input, m.cost);
        } catch (e) { finish(e); void this.close(); }
      } else finish();
    });
    w.on('error', (e) => { if (this.worker === w) this.worker = undefined; finish(e); });
    w.on('exit', (code) => {
      live.delete(w);
      if (this.worker === w) this.worker = undefined;
      finish(new Error(`a scan worker stopped with exit code ${code}`));
    });
    return w;
  }
}

/**
 * Runs `thread`'s jobs (or, with `only`, those of them with these keys) over `files`, then closes it; its
 * warnings go out once it is done (a thread run again with more heap does not repeat them).
 */
export async function runOnThread(thread: ScanThread, files: WorkerFiles, opts: RunOptions, sink: ThreadSink, only?: readonly string[]): Promise<void> {
  const held: string[] = [];
  try { await thread.run(files, sink, held, undefined, only); } finally { await thread.close(); }
  for (const m of held) opts.warn?.(m);
}
