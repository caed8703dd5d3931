// Where lines come from: files (plain or .gz), stdin, or the platform's default Ollama log locations.
import { closeSync, createReadStream, existsSync, openSync, readSync, statSync, readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createGunzip } from 'node:zlib';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

export interface LogSource {
  /** Splunk's `source`: the file path, "stdin" or "journald:ollama". */
  name: string;
  /** The bytes, a chunk at a time; a chunk may be reused once the next is asked for. */
  open(): AsyncIterable<Buffer>;
  /** Modification time (ms): the time of lines before the first timestamp. */
  mtimeMs: number;
  /**
   * A regular file, which can be read again, in parts and by several threads at once (a scan's worker
   * threads); a pipe (`<(zcat log.gz)`), a device or stdin gives its bytes once.
   */
  regularFile?: boolean;
}

export class InputError extends Error {
  constructor(message: string) { super(message); this.name = 'InputError'; }
}

/**
 * How much of a file one read takes. Small enough that the chunk the kernel has just copied in is still in
 * the core's own cache (L2, 512 KB here) when the line splitter and the parser read it again: 1 MB reads
 * made finding the newlines alone take twice as long.
 */
export const READ_CHUNK_BYTES = 128 * 1024;

export function fileSource(path: string): LogSource {
  let st;
  try { st = statSync(path); } catch (e) {
    throw new InputError(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (st.isDirectory()) throw new InputError(`${path}: is a directory (give the log file, e.g. ${join(path, 'server.log')})`);
  const regularFile = st.isFile();
  return {
    name: path,
    mtimeMs: st.mtimeMs,
    regularFile,
    // A pipe or a device (`<(zcat log.gz)`, /dev/stdin) cannot be read at a position: a stream reads it.
    open: () => path.endsWith('.gz') ? createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }).pipe(createGunzip())
      : regularFile ? fileChunks(path) : createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }),
  };
}

/** How many chunks fileChunks reads between turns of the event loop (8 MB). */
const CHUNKS_PER_TURN = 64;

/**
 * Bytes [start, end) of a plain file (to its end without `end`), read synchronously into one buffer that
 * each chunk reuses. A read stream costs a scan's thread 30–110 ns a line (one-thread parse of the 1 M-line
 * bench log, best of eight: 544–547 against 573–661 ns): its machinery, and the wait for each read to come
 * back through the event loop while nothing else is to be done. The event loop still gets a turn every
 * CHUNKS_PER_TURN chunks, for signals and timers.
 */
export async function* fileChunks(path: string, start = 0, end = Infinity): AsyncGenerator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    let pos = start;
    for (let n = 1; pos < end; n++) {
      const got = readSync(fd, buf, 0, Math.min(READ_CHUNK_BYTES, end - pos), pos);
      if (got === 0) break;
      pos += got;
      yield got === buf.length ? buf : buf.subarray(0, got);
      if (n % CHUNKS_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    closeSync(fd);
  }
}

export function stdinSource(): LogSource {
  return { name: 'stdin', mtimeMs: Date.now(), open: () => process.stdin };
}

/** Rotated files oldest first: server-5.log … server-1.log, then server.log (Ollama's own rotation). */
function ollamaLogs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((f) => /^server(-\d+)?\.log$/.test(f));
  const n = (f: string) => { const m = /^server-(\d+)\.log$/.exec(f); return m ? Number(m[1]) : 0; };
  return files.sort((a, b) => n(b) - n(a)).map((f) => join(dir, f));
}

export interface DefaultInputs { sources: LogSource[]; description: string }

/** The places Ollama logs to on this platform; journald on Linux when no file exists. */
export function defaultSources(env: NodeJS.ProcessEnv = process.env, os = platform()): DefaultInputs {
  const home = env.HOME ?? homedir();
  const candidates: string[] = [];
  if (os === 'win32') {
    const local = env.LOCALAPPDATA ?? join(home, 'AppData', 'Local');
    candidates.push(...ollamaLogs(join(local, 'Ollama')));
  } else {
    candidates.push(...ollamaLogs(join(home, '.ollama', 'logs')));
    if (os === 'linux') candidates.push(...['/var/log/ollama/server.log', '/var/log/ollama.log'].filter((p) => existsSync(p)));
  }
  if (candidates.length > 0) {
    return { sources: candidates.map(fileSource), description: `reading Ollama's default log files: ${candidates.join(', ')}` };
  }
  if (os === 'linux') {
    return {
      sources: [{
        name: 'journald:ollama',
        mtimeMs: Date.now(),
        open: () => {
          const child = spawn('journalctl', ['-u', 'ollama', '--no-pager', '-o', 'short-iso'], { stdio: ['ignore', 'pipe', 'pipe'] });
          child.on('error', (e) => child.stdout.destroy(new InputError(`cannot run journalctl: ${(e as Error).message}`)));
          return child.stdout;
        },
      }],
      description: 'no Ollama log file found; reading the journal of the ollama service (journalctl -u ollama)',
    };
  }
  throw new InputError(`no Ollama log found in the default locations (${os === 'win32' ? '%LOCALAPPDATA%\\Ollama\\server.log' : '~/.ollama/logs/server.log'}); give a file`);
}
