// A byte range's results on their way from a scan thread to the main thread through a file (RangeMessage.spool in
// scan-thread.ts): each job's end, its rows cut into records of about 48 KB. Small records, not one buffer for
// the range: the C library keeps a freed block of several megabytes for the next one instead of giving it back,
// and a thread that wrote one per range kept the scan's memory growing with the log.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type { InputSummary, JobCost, JobEnd } from './runner.js';
import type { Row } from './value.js';

/** One job's end as the main thread takes it (ResultSink's arguments). */
export type SpooledEnd = [key: string, result: JobEnd, input: InputSummary, cost: JobCost | undefined];

/**
 * About the most bytes a record holds: well under the C library's 128 KB threshold. A record takes rows until
 * their estimated size (approxBytes) reaches it; a row larger than that is a record of its own.
 */
export const RECORD_BYTES = 48 << 10;

/** Record: [key, result without rows or with its first rows, input, cost, rows still to come in later records]. */
type Head = [key: string, result: JobEnd, input: InputSummary, cost: JobCost | undefined, more: number];

export class SpoolWriter {
  private readonly fd: number;
  private readonly length = Buffer.alloc(4);

  /** Creates (or empties) the file. */
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  /** Appends one job's end: its head record (with its first rows), then its other rows a record at a time. */
  write(key: string, result: JobEnd, input: InputSummary, cost: JobCost | undefined): void {
    const rows = 'rows' in result ? result.rows : [];
    let to = recordEnd(rows, 0);
    const first: JobEnd = 'rows' in result ? { ...result, rows: rows.slice(0, to) } : result;
    const head: Head = [key, first, input, cost, rows.length - to];
    this.record(serialize(head));
    for (let from = to; from < rows.length; from = to) {
      to = recordEnd(rows, from);
      this.record(serialize(rows.slice(from, to)));
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  private record(body: Buffer): void {
    this.length.writeUInt32LE(body.length, 0);
    writeSync(this.fd, this.length);
    writeSync(this.fd, body);
  }
}

/** Where the record of rows from `from` ends: at least one row, and rows while they fit in RECORD_BYTES. */
function recordEnd(rows: readonly Row[], from: number): number {
  let to = from, bytes = 0;
  while (to < rows.length) {
    const n = approxBytes(rows[to]!);
    if (to > from && bytes + n > RECORD_BYTES) break;
    bytes += n;
    to++;
  }
  return to;
}

/** About the bytes a row serialises to (at least: text counted at two bytes a character, as V8 may write it). */
export function approxBytes(row: Row): number {
  let n = 8;
  for (const k in row) {
    const v = row[k];
    n += 4 + k.length + valueBytes(v);
  }
  return n;
}

function valueBytes(v: unknown): number {
  if (typeof v === 'string') return 4 + 2 * v.length;
  if (Array.isArray(v)) { let n = 4; for (const x of v) n += valueBytes(x); return n; }
  return 10;
}

/** Every job's end written to `path`, in the order written, each job's rows joined again. */
export function readSpool(path: string): SpooledEnd[] {
  const fd = openSync(path, 'r');
  const out: SpooledEnd[] = [];
  const length = Buffer.alloc(4);
  let at = 0;
  const next = (): unknown => {
    if (readSync(fd, length, 0, 4, at) !== 4) return undefined;
    const n = length.readUInt32LE(0);
    const body = Buffer.allocUnsafe(n);
    if (readSync(fd, body, 0, n, at + 4) !== n) throw new Error(`${path}: a range's results end early`);
    at += 4 + n;
    return deserialize(body);
  };
  try {
    for (let head = next() as Head | undefined; head !== undefined; head = next() as Head | undefined) {
      const [key, result, input, cost, more] = head;
      if ('rows' in result) {
        const rows: Row[] = result.rows;
        for (let left = more; left > 0;) {
          const part = next() as Row[] | undefined;
          if (part === undefined) throw new Error(`${path}: a range's results end early`);
          for (const r of part) rows.push(r);
          left -= part.length;
        }
      }
      out.push([key, result, input, cost]);
    }
  } finally {
    closeSync(fd);
  }
  return out;
}
