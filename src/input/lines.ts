// Splits a byte stream into lines without ever holding more than one truncated line: a line longer than
// `maxBytes` keeps its first `maxBytes` bytes (Splunk's TRUNCATE, default 10000) and the rest is skipped.
// Invalid UTF-8 becomes U+FFFD; a trailing CR is dropped; a last line without a newline is still delivered.

export const DEFAULT_TRUNCATE = 10000;

export interface LineSink {
  (line: string, lineNo: number, truncated: boolean): void;
}

/**
 * A line as bytes [start, end) of `buf` (without its newline or CR, already cut to the truncation limit);
 * `buf` may be reused once the call returns, so whatever is kept must be copied or decoded.
 */
export interface ByteLineSink {
  (buf: Buffer, start: number, end: number, lineNo: number, truncated: boolean): void;
}

/** Lines as bytes: for readers that look at a line before decoding it (the scan's parser). */
export class ByteLineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private dropping = false;
  private lineNo = 0;

  constructor(private readonly sink: ByteLineSink, private readonly maxBytes = DEFAULT_TRUNCATE) {}

  /** Lines delivered so far. */
  get lines(): number { return this.lineNo; }

  push(chunk: Buffer): void {
    let start = 0;
    const n = chunk.length;
    while (start < n) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) {
        this.keep(chunk, start, n);
        return;
      }
      if (this.pendingBytes === 0 && !this.dropping) {
        this.emit(chunk, start, nl, false);
      } else {
        this.keep(chunk, start, nl);
        this.flushPending();
      }
      start = nl + 1;
    }
  }

  /** Delivers a final line that had no newline. */
  end(): void {
    if (this.pendingBytes > 0 || this.dropping) this.flushPending();
  }

  private keep(chunk: Buffer, s: number, e: number): void {
    if (this.dropping) return;
    const room = this.maxBytes - this.pendingBytes;
    if (e - s > room) {
      if (room > 0) this.pending.push(Buffer.from(chunk.subarray(s, s + room))); // a copy, as below
      this.pendingBytes = this.maxBytes;
      this.dropping = true;
      return;
    }
    // Copy: the stream may reuse its buffer.
    this.pending.push(Buffer.from(chunk.subarray(s, e)));
    this.pendingBytes += e - s;
  }

  private flushPending(): void {
    const buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    const truncated = this.dropping;
    this.pending = [];
    this.pendingBytes = 0;
    this.dropping = false;
    this.emit(buf, 0, buf.length, truncated);
  }

  private emit(buf: Buffer, s: number, e: number, alreadyTruncated: boolean): void {
    let end = e;
    let truncated = alreadyTruncated;
    if (end - s > this.maxBytes) { end = s + this.maxBytes; truncated = true; }
    if (!truncated && end > s && buf[end - 1] === 13) end--;
    this.lineNo++;
    this.sink(buf, s, end, this.lineNo, truncated);
  }
}

/** Lines as strings. */
export class LineSplitter extends ByteLineSplitter {
  constructor(sink: LineSink, maxBytes = DEFAULT_TRUNCATE) {
    super((buf, s, e, n, t) => sink(buf.toString('utf8', s, e), n, t), maxBytes);
  }
}

/** Reads a whole stream, calling `sink` with each line's bytes. */
export async function readLineBytes(stream: AsyncIterable<Buffer>, sink: ByteLineSink, maxBytes = DEFAULT_TRUNCATE): Promise<number> {
  const splitter = new ByteLineSplitter(sink, maxBytes);
  for await (const chunk of stream) splitter.push(chunk);
  splitter.end();
  return splitter.lines;
}
