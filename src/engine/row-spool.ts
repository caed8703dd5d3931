// Result rows that must wait their turn (result-order.ts), kept in order per job: in memory up to a budget,
// then in a temporary file. A scan's findings grow with the log (Splunk's Endpoint Scan raises tens of
// thousands of rows over weeks of logs), so rows that wait must not wait in the heap. Rows are written with
// V8's serializer, the format threads already pass rows in, so a row read back is the row written.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Row } from './value.js';

/** Rows held in memory, over all jobs, before they are written out. */
export const SPOOL_MEMORY_ROWS = 4096;

type Entry<T> = { rows: T[] } | { at: number; bytes: number };

/** Chunks of rows (or of anything V8 can serialize) kept by key, each key's in the order they came. */
export class RowSpool<T = Row> {
  private readonly entries = new Map<string, Entry<T>[]>();
  private inMemory = 0;
  private fd: number | undefined;
  private dir: string | undefined;
  private size = 0;
  /** Why the file could not be used: then every row stays in memory, as before spooling. */
  private failed: string | undefined;

  /** `warn`: told once if the temporary file cannot be made or written (a full or read-only disk). */
  constructor(private readonly memoryRows = SPOOL_MEMORY_ROWS, private readonly warn?: (message: string) => void) {}

  /** Appends rows to a job's. */
  add(key: string, rows: T[]): void {
    if (rows.length === 0) return;
    let list = this.entries.get(key);
    if (!list) this.entries.set(key, list = []);
    list.push({ rows });
    this.inMemory += rows.length;
    if (this.inMemory > this.memoryRows) this.writeOut();
  }

  /** A job's rows in the order they were added, a chunk at a time; the spool lets them go. */
  *take(key: string): Generator<T[]> {
    const list = this.entries.get(key);
    if (!list) return;
    this.entries.delete(key);
    for (const e of list) {
      if ('rows' in e) { this.inMemory -= e.rows.length; yield e.rows; continue; }
      const buf = Buffer.allocUnsafe(e.bytes);
      let got = 0;
      while (got < e.bytes) got += readSync(this.fd!, buf, got, e.bytes - got, e.at + got);
      yield deserialize(buf) as T[];
    }
  }

  /** Forgets a job's rows (it failed, or is being run again). */
  drop(key: string): void {
    for (const e of this.entries.get(key) ?? []) if ('rows' in e) this.inMemory -= e.rows.length;
    this.entries.delete(key);
  }

  /** Lets every row go and removes the file. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    this.fd = this.dir = undefined;
    this.size = 0;
    this.entries.clear();
    this.inMemory = 0;
  }

  /**
   * Every chunk held in memory goes to the file. If the file cannot be made or written, the rows not yet
   * written stay in memory, and so do all later ones: a scan is not lost for want of disk.
   */
  private writeOut(): void {
    if (this.failed !== undefined) return;
    try {
      if (this.fd === undefined) {
        this.dir = mkdtempSync(join(tmpdir(), 'ollama-sentinel-'));
        this.fd = openSync(join(this.dir, 'rows.spool'), 'w+', 0o600);
        // Gone from the directory at once where the system allows it (the descriptor still reads and writes),
        // so a scan that is killed leaves nothing behind.
        try { rmSync(this.dir, { recursive: true, force: true }); this.dir = undefined; } catch { /* removed in close() */ }
      }
      for (const list of this.entries.values()) {
        for (let i = 0; i < list.length; i++) {
          const e = list[i]!;
          if (!('rows' in e)) continue;
          const buf = serialize(e.rows);
          let put = 0;
          while (put < buf.length) put += writeSync(this.fd, buf, put, buf.length - put, this.size + put);
          list[i] = { at: this.size, bytes: buf.length };
          this.size += buf.length;
          this.inMemory -= e.rows.length;
        }
      }
    } catch (e) {
      this.failed = (e as Error).message;
      this.warn?.(`results are kept in memory: the temporary file for them could not be written (${this.failed})`);
    }
  }
}
