import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchLog, lineCount } from './generate.js';

test('line counts as the bench scripts take them, and an error that names the flag', () => {
  assert.equal(lineCount('500k', '--lines'), 500_000);
  assert.equal(lineCount('1M', '--sizes'), 1_000_000);
  assert.equal(lineCount(' 1.5m ', '--sizes'), 1_500_000);
  assert.equal(lineCount('8000000', '--sizes'), 8_000_000);
  assert.throws(() => lineCount('1G', '--lines'), /--lines: "1G" is not a line count/);
  assert.throws(() => lineCount('', '--sizes'), /--sizes/);
});

test('the bench log: the same size gives the same bytes, a longer one begins with a shorter one\'s lines', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-log-'));
  try {
    const [a, b, c] = ['a.log', 'b.log', 'c.log'].map((f) => join(dir, f)) as [string, string, string];
    const bytes = await new BenchLog().write(a, 3000);
    await new BenchLog().write(b, 3000);
    await new BenchLog().write(c, 6000);
    const first = readFileSync(a);
    assert.equal(first.length, bytes);
    assert.ok(first.equals(readFileSync(b)));
    const lines = first.toString('utf8').split('\n');
    assert.equal(lines.length, 3001); // the last newline ends the file
    assert.ok(lines.some((l) => l.startsWith('[GIN] ')) && lines.some((l) => l.startsWith('time=')));
    // So the first N lines of a 2N-line log (npm run bench:instructions) are the N-line log.
    assert.ok(readFileSync(c).subarray(0, first.length).equals(first));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
