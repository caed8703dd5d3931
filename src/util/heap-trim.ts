// A scan's main thread takes every range's rows from the scan threads (split scans) and, at the end, turns
// every result into findings. Almost all of it is garbage at once, but V8 lets this thread's heap grow to
// several times what it holds before collecting it (the thread is idle most of the scan, so little prompts
// it): at 8 M lines its heap held 10 MB and took 110. trimHeap, called where a batch of that work ends, runs a
// full collection once the heap has grown by SLACK_BYTES since the last, so the heap stays within about that
// of what it holds. Scan threads have a heap limit of their own and are not trimmed.
import v8 from 'node:v8';
import vm from 'node:vm';

const SLACK_BYTES = 32 << 20;

// A collection on demand: the flag lets a new context see V8's gc(), without exposing it to this one.
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('typeof gc === "function" ? gc : undefined') as (() => void) | undefined;

let floor = 0;

/**
 * Runs a full collection when the heap has grown by `slack` bytes (SLACK_BYTES unless given) since the last
 * one (see above).
 */
export function trimHeap(slack = SLACK_BYTES): void {
  if (collect === undefined) return;
  // V8's own figure: process.memoryUsage() also asks the system for the RSS, a cost on every chunk of results.
  if (v8.getHeapStatistics().used_heap_size < floor + slack) return;
  collect();
  floor = v8.getHeapStatistics().used_heap_size;
}

/** Whether trimHeap can collect (tests). */
export const canTrim = collect !== undefined;
