// Where lines come from: files (plain or .gz), stdin, or the platform's default Ollama log locations.
import { createReadStream, existsSync, statSync, readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createGunzip } from 'node:zlib';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

export interface LogSource {
  /** Splunk's `source`: the file path, "stdin" or "journald:ollama". */
  name: string;
  open(): Readable;
  /** Modification time (ms): the time of lines before the first timestamp. */
  mtimeMs: number;
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
  return {
    name: path,
    mtimeMs: st.mtimeMs,
    open: () => {
      const s = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
      return path.endsWith('.gz') ? s.pipe(createGunzip()) : s;
    },
  };
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
