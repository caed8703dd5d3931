// A byte range's results on their way from a scan thread to the main thread through a file (RangeMessage.spool in
// scan-thread.ts): each job's end, its rows cut into records of about 48 KB. Small records, not one buffer for
// the range: the C library keeps a freed block of several megabytes for the next one instead of giving it back,
// and a thread that wrote one per range kept the scan's memory growing with the log.
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
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

/**
 * A job's first record: [key, result without its rows, input, cost, the number of records of rows that follow].
 * The rows come apart from the head, so that a job's rows can be passed over unread (readSpool's `unread`).
 */
type Head = [key: string, result: JobEnd, input: InputSummary, cost: JobCost | undefined, records: number];

export class SpoolWriter {
  private readonly fd: number;
  private readonly length = Buffer.alloc(4);

  /** Creates (or empties) the file. */
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  /** Appends one job's end: its head record, then its rows a record at a time. */
  write(key: string, result: JobEnd, input: InputSummary, cost: JobCost | undefined): void {
    const rows = 'rows' in result ? result.rows : [];
    const ends: number[] = [];
    for (let from = 0; from < rows.length; from = ends[ends.length - 1]!) ends.push(recordEnd(rows, from));
    const head: Head = [key, 'rows' in result ? { ...result, rows: [] } : result, input, cost, ends.length];
    this.record(serialize(head));
    let from = 0;
    for (const to of ends) { this.record(serialize(rows.slice(from, to))); from = to; }
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

/**
 * Every job's end written to `path`, in the order written, each job's rows joined again; the rows of a job in
 * `unread` are passed over without being read (its end comes with no rows).
 */
export function readSpool(path: string, unread?: ReadonlySet<string>): SpooledEnd[] {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  const out: SpooledEnd[] = [];
  const length = Buffer.alloc(4);
  let at = 0;
  const early = () => new Error(`${path}: a range's results end early`);
  /** The next record's body, undefined at the end of the file; `skip` passes over it (undefined too). */
  const next = (skip = false): unknown => {
    if (at === size) return undefined;
    if (readSync(fd, length, 0, 4, at) !== 4) throw early();
    const n = length.readUInt32LE(0);
    at += 4 + n;
    if (at > size) throw early();
    if (skip) return undefined;
    const body = Buffer.allocUnsafe(n);
    if (readSync(fd, body, 0, n, at - n) !== n) throw early();
    return deserialize(body);
  };
  try {
    for (let head = next() as Head | undefined; head !== undefined; head = next() as Head | undefined) {
      const [key, result, input, cost, records] = head;
      const skip = unread?.has(key) === true;
      const rows: Row[] = 'rows' in result ? result.rows : [];
      for (let i = 0; i < records; i++) {
        if (at === size) throw early();
        const part = next(skip) as Row[] | undefined;
        if (part !== undefined) for (const r of part) rows.push(r);
      }
      out.push([key, result, input, cost]);
    }
  } finally {
    closeSync(fd);
  }
  return out;
}
