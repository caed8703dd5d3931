// How many threads read a command's files (scan, search): --workers when given, else by the files' size.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { LogSource } from '../input/sources.js';
import { cuttableSizes, SPLIT_MIN_BYTES } from '../engine/range-split.js';
import { UsageError } from './options.js';

/** How a command's inputs are read. */
export interface Reading {
  /** The inputs as files threads can open again and read in parts; undefined unless all are regular files. */
  files: Array<{ path: string; mtimeMs: number }> | undefined;
  /** The files hold 8 MB or more (some 80,000 lines): enough to repay starting a thread. */
  big: boolean;
  /** --workers, or by default as defaultThreads says for the files' size (1 for stdin, pipes, journald). */
  workers: number;
  /** The bytes the files hold when they can be cut into byte ranges (range-split.ts); undefined when they cannot. */
  cuttableBytes: number | undefined;
}

/**
 * How `sources` are read, with `given` the --workers value. Not capped by the number of detections: threads
 * that each read a part of the files all run every detection, so one detection uses them as well as thirty
 * (runJobsParallel, which shares the detections out instead, takes no more threads than there are detections).
 */
export function readingFor(sources: readonly LogSource[], given: string | undefined): Reading {
  let n: number | undefined;
  if (given !== undefined) {
    n = Number(given);
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError('--workers must be a whole number from 1 to 64');
  }
  // Threads read files again and in parts: only regular files can be (a pipe would hand each thread some of its lines).
  if (!sources.every((s) => s.regularFile === true)) return { files: undefined, big: false, workers: 1, cuttableBytes: undefined };
  const files = sources.map((s) => ({ path: s.name, mtimeMs: s.mtimeMs }));
  const cut = cuttableSizes(files);
  const bytes = cut ? cut.reduce((a, b) => a + b, 0) : files.reduce((s, f) => { try { return s + statSync(f.path).size; } catch { return s; } }, 0);
  const big = bytes >= 8 << 20;
  return { files, big, workers: n ?? defaultThreads(big, cut ? bytes : undefined, Math.min(availableParallelism(), 4)), cuttableBytes: cut ? bytes : undefined };
}

/**
 * Threads when --workers is not given, for input that is `big` (Reading.big), of `cuttableBytes` when it can
 * be cut into byte ranges (undefined when it cannot: compressed), on a machine of `cores` (at most 4): one per
 * core for input that cannot be cut (the threads share the detections out) and for input that can once it
 * holds SPLIT_MIN_BYTES; one below that, where a second thread does not repay its start: at 100,000 to
 * 500,000 lines of the bench's log on two cores, one thread took 1.35–3.03 s and two reading ranges 1.73–4.06 s
 * (the eleventh round); over 500,000 lines one took 2.48 s and two sharing the detections 2.51 s, with a third
 * more CPU (the sixteenth).
 */
export function defaultThreads(big: boolean, cuttableBytes: number | undefined, cores: number): number {
  if (!big) return 1;
  return cuttableBytes !== undefined && cuttableBytes < SPLIT_MIN_BYTES ? 1 : cores;
}

/**
 * Whether a scan's threads each read a byte range of the files with every detection (range-split.ts) rather than
 * each the whole files with a share of the detections (parallel.ts), for `jobs` detections on `workers` threads
 * over `cuttableBytes` (Reading.cuttableBytes). Sharing parses the input in every thread; ranges compile every
 * search in every thread and merge the ranges' results after them. On the bench's log with two threads
 * (docs/performance-history.md, the sixteenth round) sharing was 9 % quicker at 1 M lines and 3 % at 2 M, as
 * quick at 4 M (384 MB) with 3.5 % less CPU, and 2 % slower at 8 M (767 MB), with 18–24 MB less memory at every
 * size. So the detections are shared below SHARE_MAX_BYTES, when there are enough of them to spread evenly
 * (SHARE_MIN_JOBS a thread).
 */
export function readsInRanges(cuttableBytes: number | undefined, jobs: number, workers: number): boolean {
  if (cuttableBytes === undefined || workers < 2) return false;
  return cuttableBytes >= SHARE_MAX_BYTES || jobs < SHARE_MIN_JOBS * workers;
}

/** Inputs this large are read in byte ranges (readsInRanges). */
export const SHARE_MAX_BYTES = 512 << 20;
/** Fewer detections than this a thread are read in byte ranges: a share of one or two is too uneven. */
export const SHARE_MIN_JOBS = 4;
