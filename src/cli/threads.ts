// How many threads read a command's files (scan, search): --workers when given, else by the files' size.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { cuttableSizes, SPLIT_MIN_BYTES } from '../engine/range-split.js';
import { UsageError } from './options.js';

/**
 * --workers, or by default as defaultThreads says for the files' size.
 * Not capped by the number of detections: threads that each read a part of the files all run every detection,
 * so one detection uses them as well as thirty (runJobsParallel, which shares the detections out instead, takes
 * no more threads than there are detections).
 */
export function workerCount(given: string | undefined, files: Array<{ path: string }> | undefined, big: boolean): number {
  if (given !== undefined) {
    const n = Number(given);
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError('--workers must be a whole number from 1 to 64');
    return files ? n : 1;
  }
  if (!files) return 1;
  return defaultThreads(big, cuttableSizes(files)?.reduce((a, b) => a + b, 0), Math.min(availableParallelism(), 4));
}

/**
 * Threads when --workers is not given, for input that is `big` (bigInput), of `cuttableBytes` when it can be
 * cut into byte ranges (undefined when it cannot: compressed), on a machine of `cores` (at most 4): one per
 * core for input that cannot be cut (the threads share the detections out) and for input that can once it
 * holds SPLIT_MIN_BYTES; one below that (each thread compiles every search for itself, which a small input
 * does not repay: at 100,000 to 500,000 lines of the bench's log on two cores, one thread took 1.35–3.03 s
 * and two 1.73–4.06 s).
 */
export function defaultThreads(big: boolean, cuttableBytes: number | undefined, cores: number): number {
  if (!big) return 1;
  return cuttableBytes !== undefined && cuttableBytes < SPLIT_MIN_BYTES ? 1 : cores;
}

/** Inputs big enough to repay starting a thread (8 MB, some 80,000 lines). */
export function bigInput(files: Array<{ path: string }>): boolean {
  const bytes = files.reduce((s, f) => { try { return s + statSync(f.path).size; } catch { return s; } }, 0);
  return bytes >= 8 << 20;
}
