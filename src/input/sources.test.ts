// A plain file is read synchronously into one reused buffer: the bytes of any range must come out whole and
// in order, and lines split across its chunks must come out as they are in the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileChunks, fileSource, READ_CHUNK_BYTES } from './sources.js';
import { readLineBytes } from './lines.js';

const dir = mkdtempSync(join(tmpdir(), 'sources-'));
// Lines of varying length over several chunks, none ending on a chunk's boundary by design.
const lines = Array.from({ length: 9000 }, (_, i) => `line ${i} ${'x'.repeat((i * 37) % 101)}`);
const text = lines.join('\n') + '\n';
const file = join(dir, 'big.log');
writeFileSync(file, text);

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  // Copies: a chunk's buffer is reused for the next one.
  const out: Buffer[] = [];
  for await (const c of chunks) out.push(Buffer.from(c));
  return Buffer.concat(out);
}

test('fileChunks gives every byte of the file, then of any range, in order', async () => {
  const all = Buffer.from(text);
  assert.ok(all.length > 3 * READ_CHUNK_BYTES);
  assert.deepEqual(await collect(fileChunks(file)), all);
  for (const [s, e] of [[0, 10], [5, READ_CHUNK_BYTES + 7], [READ_CHUNK_BYTES, 2 * READ_CHUNK_BYTES], [all.length - 3, all.length], [100, 100], [all.length - 5, all.length + 1000]] as const)
    assert.deepEqual(await collect(fileChunks(file, s, e)), all.subarray(s, Math.min(e, all.length)), `[${s}, ${e})`);
});

test('lines read through a file source are the file\'s lines, across the reused chunks', async () => {
  const got: string[] = [];
  const n = await readLineBytes(fileSource(file).open(), (b, s, e) => { got.push(b.toString('utf8', s, e)); });
  assert.equal(n, lines.length);
  assert.deepEqual(got, lines);
});

test('a file that cannot be opened fails the read with its error', async () => {
  await assert.rejects(collect(fileChunks(join(dir, 'missing.log'))), /ENOENT/);
});

test('a named pipe given as a file is read as a stream (it has no positions)', async () => {
  const fifo = join(dir, 'pipe.log');
  execFileSync('mkfifo', [fifo]);
  const writer = spawn('sh', ['-c', `printf 'a\\nb\\nc' > "${fifo}"`]);
  const closed = new Promise((resolve) => writer.on('close', resolve));
  const got: string[] = [];
  await readLineBytes(fileSource(fifo).open(), (b, s, e) => { got.push(b.toString('utf8', s, e)); });
  await closed;
  assert.deepEqual(got, ['a', 'b', 'c']);
});
