// A range's results written by a scan thread and read back by the main thread.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSpool, RECORD_BYTES, SpoolWriter, type SpooledEnd } from './range-spool.js';

/** Rows enough for a few records. */
const ROWS = 700;
import { deserialize } from 'node:v8';

const dir = mkdtempSync(join(tmpdir(), 'sentinel-range-spool-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const input = { lines: 10, truncatedLines: 1, firstEventTime: 5, lastEventTime: 9 };
const rows = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ _time: i, tag, v: [String(i), 'x'], n: i % 3 === 0 ? undefined : i / 7 }));

test('each job\'s end comes back as written, its rows whole and in order however many records they took', () => {
  const ends: SpooledEnd[] = [
    ['none', { rows: [] }, input, undefined],
    ['one', { rows: rows(1, 'a') }, input, { ms: 1.5, events: 3 }],
    ['exact', { rows: rows(ROWS, 'b') }, input, undefined],
    ['more', { rows: rows(ROWS * 3 + 7, 'c'), bins: { min: 0, max: 3600, uncertain: false } }, input, { ms: 0, events: 0 }],
    ['failed', { failure: 'it stopped' }, input, undefined],
    ['after', { rows: rows(ROWS + 1, 'd') }, input, undefined],
  ];
  const path = join(dir, 'a.v8');
  const w = new SpoolWriter(path);
  for (const [key, result, summary, cost] of ends) w.write(key, structuredClone(result), summary, cost);
  w.close();
  assert.deepEqual(readSpool(path), ends);
});

test('a file is emptied when written again, and one cut short is an error, not fewer rows', () => {
  const path = join(dir, 'b.v8');
  let w = new SpoolWriter(path);
  w.write('big', { rows: rows(ROWS * 4, 'x') }, input, undefined);
  w.close();
  const whole = statSync(path).size;
  w = new SpoolWriter(path);
  w.write('small', { rows: rows(2, 'y') }, input, undefined);
  w.close();
  assert.deepEqual(readSpool(path).map(([key, r]) => [key, 'rows' in r ? r.rows.length : -1]), [['small', 2]]);
  // The big one again, cut in its last record.
  w = new SpoolWriter(path);
  w.write('big', { rows: rows(ROWS * 4, 'x') }, input, undefined);
  w.close();
  assert.equal(statSync(path).size, whole);
  writeFileSync(path, readFileSync(path).subarray(0, whole - 10));
  assert.throws(() => readSpool(path), /end early/);
});

test('records stay near RECORD_BYTES as rows grow and shrink; a row larger than that is a record of its own', () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const sizes = [...Array.from({ length: 3000 }, () => Math.floor(random() * 300)), 200_000, 5, ...Array.from({ length: 2000 }, () => Math.floor(random() * 3000))];
  const big = { rows: sizes.map((n, i) => ({ _time: i, _raw: 'r'.repeat(n) })) };
  const path = join(dir, 'c.v8');
  const w = new SpoolWriter(path);
  w.write('sized', structuredClone(big), input, undefined);
  w.close();
  assert.deepEqual(readSpool(path), [['sized', big, input, undefined]]);
  // Every record after the head, by its length prefix.
  const file = readFileSync(path);
  let at = 4 + file.readUInt32LE(0);
  let records = 0;
  while (at < file.length) {
    const n = file.readUInt32LE(at);
    const rows = deserialize(file.subarray(at + 4, at + 4 + n)) as unknown[];
    assert.ok(n <= RECORD_BYTES || rows.length === 1, `a record of ${rows.length} rows is ${n} bytes`);
    records++;
    at += 4 + n;
  }
  assert.ok(records > 20 && records < 400, `${records} records`);
});

test('the rows of the jobs asked to be left unread are passed over; the others, and every end, come back whole', () => {
  const ends: SpooledEnd[] = [
    ['kept', { rows: rows(ROWS * 2 + 3, 'a') }, input, undefined],
    ['skipped', { rows: rows(ROWS * 3 + 1, 'b'), bins: { min: 0, max: 900, uncertain: false }, select: { count: ROWS * 3 + 1, best: { _time: 1 }, worst: { _time: 0 } } }, input, { ms: 2, events: 5 }],
    ['skipped none', { rows: [] }, input, undefined],
    ['failed', { failure: 'it stopped' }, input, undefined],
    ['last', { rows: rows(5, 'c') }, input, undefined],
  ];
  const path = join(dir, 'd.v8');
  const w = new SpoolWriter(path);
  for (const [key, result, summary, cost] of ends) w.write(key, structuredClone(result), summary, cost);
  w.close();
  const unread = new Set(['skipped', 'skipped none', 'failed']);
  const expected = ends.map(([key, result, summary, cost]): SpooledEnd => [key, unread.has(key) && 'rows' in result ? { ...result, rows: [] } : result, summary, cost]);
  assert.deepEqual(readSpool(path, unread), expected);
  assert.deepEqual(readSpool(path), ends);
  // Cut short within a record passed over: still an error.
  const whole = statSync(path).size;
  const w2 = new SpoolWriter(path);
  w2.write('skipped', structuredClone(ends[1]![1]), input, undefined);
  w2.close();
  writeFileSync(path, readFileSync(path).subarray(0, statSync(path).size - 10));
  assert.ok(statSync(path).size < whole);
  assert.throws(() => readSpool(path, unread), /end early/);
});
