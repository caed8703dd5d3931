// npm run bench:instructions: how many instructions a full one-thread scan and the parse-only search spend on N
// more lines of the bench's log (the difference between its first N and 2N lines, so that start-up and most of
// V8's compiling drop out), counted by valgrind's cachegrind. A count is not a time, but it does not move with
// the shared machine's load the way time does (the same search took 1.06–1.85 s within minutes), so it can
// tell a change of a few per cent apart. V8 runs on one thread (its compiler and collector in line) with its
// hash and random seeds fixed: with a new hash seed per process, two runs of one build differed by up to 1 %;
// with them fixed, the parse-only search repeats to a few million and a full scan to about half a per cent.
// Compare builds on one machine type only: V8 compiles for the processor it runs on.
//
//   npm run bench:instructions -- [--lines 200k] [--runs 2] [--data DIR]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BenchLog, lineCount } from './generate.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BIN = join(ROOT, 'bin', 'ollama-sentinel.js');
const NODE_FLAGS = ['--single-threaded', '--hash-seed=1', '--random-seed=1'];

/** The bench log of `2n` lines, and a file of its first `n` lines beside it. */
async function logs(dir: string, n: number): Promise<[string, string]> {
  mkdirSync(dir, { recursive: true });
  const whole = join(dir, `ollama-instructions-${2 * n}.log`);
  const head = join(dir, `ollama-instructions-${2 * n}-head-${n}.log`);
  const stamp = `${whole}.size`;
  let fresh = false;
  if (!existsSync(whole) || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== String(statSync(whole).size)) {
    process.stderr.write(`generating ${whole} (${(2 * n).toLocaleString('en')} lines)…\n`);
    writeFileSync(stamp, String(await new BenchLog().write(whole, 2 * n)));
    fresh = true;
  }
  if (fresh || !existsSync(head)) writeFileSync(head, firstLines(whole, n));
  return [head, whole];
}

/** The first `n` lines of a file, newlines included. */
function firstLines(path: string, n: number): Buffer {
  const buf = readFileSync(path);
  let at = -1;
  for (let i = 0; i < n; i++) { at = buf.indexOf(10, at + 1); if (at < 0) return buf; }
  return buf.subarray(0, at + 1);
}

/** Instructions the command executed, all threads together (cachegrind's "I refs"). */
function instructions(cmd: string[]): number {
  const r = spawnSync('valgrind', ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', ...cmd],
    { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
  // A scan that finds something exits 1; anything else is a failure.
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const m = /I\s+refs:\s+([\d,]+)/.exec(r.stderr);
  if (!m) throw new Error(`no instruction count from valgrind: ${r.stderr.slice(-2000)}`);
  return Number(m[1]!.replace(/,/g, ''));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { lines: { type: 'string' }, runs: { type: 'string' }, data: { type: 'string' } } });
  const n = lineCount(values.lines ?? '200k', '--lines');
  const runs = Number(values.runs ?? '2');
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number of 1 or more');
  if (spawnSync('sh', ['-c', 'command -v valgrind']).status !== 0) {
    process.stderr.write('valgrind is not installed (apt-get install valgrind)\n');
    process.exit(2);
  }
  const [head, whole] = await logs(resolve(values.data ?? join(ROOT, 'bench', 'data')), n);
  const commands: Record<string, (file: string) => string[]> = {
    'scan all (1 thread)': (f) => [process.execPath, ...NODE_FLAGS, BIN, 'scan', f, '--set', 'all', '--tz', 'UTC', '--host', 'h', '--format', 'ndjson', '--workers', '1'],
    'parse only': (f) => [process.execPath, ...NODE_FLAGS, BIN, 'search', '`ollama_server` | stats count', f, '--tz', 'UTC', '--format', 'json', '--workers', '1'],
  };
  console.log(`instructions for ${n.toLocaleString('en')} more lines of the bench log (${runs} run${runs > 1 ? 's' : ''} each)`);
  for (const [name, cmd] of Object.entries(commands)) {
    const counts: number[] = [];
    for (let i = 0; i < runs; i++) counts.push(instructions(cmd(whole)) - instructions(cmd(head)));
    const g = (x: number) => (x / 1e9).toFixed(3);
    const per = Math.round(counts.reduce((a, b) => a + b, 0) / counts.length / n);
    console.log(`  ${name.padEnd(20)} ${counts.map(g).join(' / ')} G  (about ${per.toLocaleString('en')} a line)`);
  }
}

main().catch((e: unknown) => { process.stderr.write(`${(e as Error).message}\n`); process.exit(1); });
