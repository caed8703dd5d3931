// Follows log files as they grow, the way `tail -F` does but without losing or doubling a line:
// - files are tracked by device and inode, so a rename rotation (logrotate, Ollama's server-1.log … server-5.log)
//   is noticed and the old file is read to its end before it is let go;
// - a file that shrinks was truncated (copytruncate): it is read again from the start;
// - files that appear later under a pattern are read from their first byte;
// - a last line without its newline waits until the line is complete;
// - a position is only ever a line boundary, so a restart from a saved position neither skips nor repeats.
// Lines longer than maxBytes keep their first maxBytes bytes (Splunk's TRUNCATE), like the batch reader.
import { closeSync, fstatSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { expandPattern } from './glob.js';
import { DEFAULT_TRUNCATE } from './lines.js';

export interface Position { key: string; ino: string; offset: number; fingerprint: string; path: string }
export interface FollowedLine { key: string; path: string; raw: string; truncated: boolean }

interface Tracked {
  key: string;
  path: string;
  fd: number;
  ino: string;
  /** Offset just after the last line handed out (a line boundary). */
  offset: number;
  /** Where reading continues: past `offset` while a line is incomplete. */
  scan: number;
  head: Buffer[];
  headBytes: number;
  fingerprint: string;
  gone: boolean;
}

const FP_BYTES = 128;
const CHUNK = 1 << 20;

export interface FollowerOptions {
  patterns: string[];
  positions: Position[];
  /** Files present at the first start (no saved position) are read from the start instead of the end. */
  fromBeginning: boolean;
  maxBytes?: number;
  warn: (message: string) => void;
}

export class FileFollower {
  private tracked = new Map<string, Tracked>();
  private readonly saved: Map<string, Position>;
  private first = true;
  private readonly maxBytes: number;

  constructor(private readonly o: FollowerOptions) {
    this.saved = new Map(o.positions.map((p) => [p.key, p]));
    this.maxBytes = o.maxBytes ?? DEFAULT_TRUNCATE;
  }

  /** Reads whatever is new. Returns the complete lines and the positions of the files that moved. */
  poll(): { lines: FollowedLine[]; positions: Position[]; dropped: string[] } {
    const lines: FollowedLine[] = [];
    const moved = new Set<Tracked>();
    const seen = new Set<string>();
    const paths = new Set(this.o.patterns.flatMap(expandPattern));
    if (this.first) this.recoverRotated(paths);
    for (const path of paths) {
      let st;
      try { st = statSync(path, { bigint: true }); } catch { continue; }
      const key = `file:${st.dev}:${st.ino}`;
      seen.add(key);
      let t = this.tracked.get(key);
      if (!t) { t = this.open(path, key, String(st.ino)); if (!t) continue; }
      t.path = path;
      t.gone = false;
    }
    const dropped: string[] = [];
    for (const t of this.tracked.values()) {
      if (!seen.has(t.key)) t.gone = true;
      const before = t.offset;
      if (this.read(t, lines)) moved.add(t);
      if (t.offset !== before) moved.add(t);
      // A file no pattern names any more (rotated away) is let go once it has been read to its end.
      if (t.gone && t.scan >= fstatSync(t.fd).size) {
        closeSync(t.fd);
        this.tracked.delete(t.key);
        dropped.push(t.key);
      }
    }
    this.first = false;
    return { lines, positions: [...moved].filter((t) => this.tracked.has(t.key)).map((t) => this.positionOf(t)), dropped };
  }

  private positionOf(t: Tracked): Position {
    return { key: t.key, ino: t.ino, offset: t.offset, fingerprint: t.fingerprint, path: t.path };
  }

  /** At start-up, a file we were reading may have been renamed away while we were down: find it by inode. */
  private recoverRotated(paths: Set<string>): void {
    for (const p of this.saved.values()) {
      if (!p.key.startsWith('file:')) continue;
      let found: string | undefined;
      const dir = dirname(p.path);
      let names: string[] = [];
      try { names = readdirSync(dir); } catch { /* directory gone */ }
      for (const n of names) {
        const f = join(dir, n);
        try {
          const st = statSync(f, { bigint: true });
          if (`file:${st.dev}:${st.ino}` === p.key && st.isFile()) { found = f; break; }
        } catch { /* raced with a rename */ }
      }
      if (found && !paths.has(found)) {
        const t = this.open(found, p.key, p.ino);
        if (t) t.gone = true;
      }
    }
  }

  private open(path: string, key: string, ino: string): Tracked | undefined {
    let fd: number;
    try { fd = openSync(path, 'r'); } catch (e) { this.o.warn(`cannot open ${path}: ${(e as NodeJS.ErrnoException).code}`); return undefined; }
    const size = fstatSync(fd).size;
    const fp = fingerprintOf(fd, size);
    const saved = this.saved.get(key);
    let offset = 0;
    if (saved && sameStart(fd, saved.fingerprint)) offset = Math.min(saved.offset, size);
    else if (saved) this.o.warn(`${path}: the file at the saved inode has different contents (inode reused?); reading it from the start`);
    // Only a brand-new state starts existing files at their end; once positions were saved, any file we have no
    // position for appeared while we were not looking (a rotation during a restart) and is read whole.
    else if (this.first && !this.o.fromBeginning && this.saved.size === 0) offset = size - trailingPartial(fd, size);
    const t: Tracked = { key, path, fd, ino, offset, scan: offset, head: [], headBytes: 0, fingerprint: fp, gone: false };
    this.tracked.set(key, t);
    return t;
  }

  /** Reads new complete lines of one file. */
  private read(t: Tracked, out: FollowedLine[]): boolean {
    const size = fstatSync(t.fd).size;
    // Truncated (copytruncate), or truncated and refilled past our position between two polls: the start
    // of the file no longer matches what we saw.
    if (size < t.scan || (size !== t.scan && !sameStart(t.fd, t.fingerprint))) {
      this.o.warn(`${t.path} was truncated (from ${t.scan} to ${size} bytes); reading it again from the start`);
      t.offset = 0; t.scan = 0; t.head = []; t.headBytes = 0;
      t.fingerprint = fingerprintOf(t.fd, size);
    }
    if (t.fingerprint.startsWith('0:') || Number(t.fingerprint.split(':')[0]) < FP_BYTES) t.fingerprint = fingerprintOf(t.fd, size);
    let any = false;
    const buf = Buffer.allocUnsafe(CHUNK);
    while (t.scan < size) {
      const n = readSync(t.fd, buf, 0, Math.min(CHUNK, size - t.scan), t.scan);
      if (n <= 0) break;
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(10, start);
        if (nl < 0 || nl >= n) {
          this.keep(t, buf.subarray(start, n));
          t.scan += n - start;
          break;
        }
        this.keep(t, buf.subarray(start, nl));
        const lineEnd = t.scan + (nl - start) + 1;
        out.push(this.take(t));
        any = true;
        t.offset = lineEnd;
        t.scan = lineEnd;
        start = nl + 1;
        if (start >= n) break;
      }
    }
    return any;
  }

  private keep(t: Tracked, part: Buffer): void {
    const room = this.maxBytes + 1 - t.headBytes;
    if (room <= 0 || part.length === 0) return;
    const piece = Buffer.from(part.subarray(0, Math.min(room, part.length)));
    t.head.push(piece);
    t.headBytes += piece.length;
  }

  private take(t: Tracked): FollowedLine {
    let b = Buffer.concat(t.head, t.headBytes);
    t.head = []; t.headBytes = 0;
    const truncated = b.length > this.maxBytes;
    if (truncated) b = b.subarray(0, this.maxBytes);
    else if (b.length && b[b.length - 1] === 13) b = b.subarray(0, b.length - 1);
    return { key: t.key, path: t.path, raw: b.toString('utf8'), truncated };
  }

  close(): void {
    for (const t of this.tracked.values()) closeSync(t.fd);
    this.tracked.clear();
  }
}

function fingerprintOf(fd: number, size: number): string {
  const n = Math.min(size, FP_BYTES);
  const b = Buffer.alloc(n);
  if (n) readSync(fd, b, 0, n, 0);
  return `${n}:${createHash('sha1').update(b).digest('hex')}`;
}

function sameStart(fd: number, fp: string): boolean {
  const [ns, hash] = fp.split(':');
  const n = Number(ns);
  const b = Buffer.alloc(n);
  const got = n ? readSync(fd, b, 0, n, 0) : 0;
  return got === n && createHash('sha1').update(b).digest('hex') === hash;
}

/** Bytes after the last newline of a file (a line still being written when we start at the end). */
function trailingPartial(fd: number, size: number): number {
  const n = Math.min(size, 64 * 1024);
  if (!n) return 0;
  const b = Buffer.alloc(n);
  readSync(fd, b, 0, n, size - n);
  const nl = b.lastIndexOf(10);
  return nl < 0 ? (n === size ? size : 0) : n - nl - 1;
}
