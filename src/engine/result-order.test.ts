// Results in the jobs' order: rows that come early wait in the spool (memory, then a file) and come back as
// they went in; a failure voids a job's rows; a thread run again does not repeat or double them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResultOrder, rowChunks, ROW_CHUNK } from './result-order.js';
import { RowSpool } from './row-spool.js';
import type { JobEnd } from './runner.js';
import type { Row } from './value.js';

const input = { lines: 1, truncatedLines: 0 };
const rowsOf = (key: string, from: number, n: number): Row[] => Array.from({ length: n }, (_, i) => ({ key, n: from + i }));

function collect(order: string[], spool = new RowSpool()) {
  const calls: Array<[string, JobEnd]> = [];
  return { calls, o: new ResultOrder(order, (k, r) => calls.push([k, r]), { spool }) };
}

test('ends are handed on in the jobs\' order, each job\'s rows before its end, a repeated end ignored', () => {
  const { calls, o } = collect(['a', 'b', 'c', 'd']);
  o.rows('c', rowsOf('c', 0, 2));
  o.end('c', { rows: rowsOf('c', 2, 1) }, input);
  o.end('b', { failure: 'boom' }, input);
  assert.equal(calls.length, 0);
  o.end('a', { rows: [] }, input);
  assert.deepEqual(calls.map(([k, r]) => `${k}:${'rows' in r ? r.rows.map((x) => x.n).join('') : r.failure}`), ['a:', 'b:boom', 'c:012']);
  o.end('a', { rows: [{}] }, input); // a thread run again repeats itself
  o.rows('a', [{}]);
  o.rows('d', rowsOf('d', 0, 1));
  o.end('d', { rows: [] }, input);
  o.end('d', { rows: [{}] }, input);
  assert.deepEqual(calls.map(([k]) => k), ['a', 'b', 'c', 'd']);
  assert.deepEqual((calls[3]![1] as { rows: Row[] }).rows, rowsOf('d', 0, 1));
});

test('a failure voids the rows a job gave before it', () => {
  const { calls, o } = collect(['a', 'b']);
  o.rows('b', rowsOf('b', 0, 3));
  o.rows('a', rowsOf('a', 0, 3));
  o.end('a', { failure: 'stopped' }, input);
  o.end('b', { rows: [] }, input);
  assert.deepEqual(calls, [['a', { failure: 'stopped' }], ['b', { rows: rowsOf('b', 0, 3) }]]);
});

test('forget drops the rows of jobs that had not ended, and keeps the ended ones\'', () => {
  const { calls, o } = collect(['a', 'b', 'c']);
  o.rows('b', rowsOf('b', 0, 2));
  o.end('b', { rows: [] }, input);
  o.rows('c', rowsOf('c', 0, 2));
  o.forget(['b', 'c']); // the thread running b and c starts over
  o.rows('c', rowsOf('c', 0, 2));
  o.end('c', { rows: [] }, input);
  o.end('a', { rows: [] }, input);
  assert.deepEqual(calls.map(([k, r]) => [k, 'rows' in r ? r.rows : r.failure]), [['a', []], ['b', rowsOf('b', 0, 2)], ['c', rowsOf('c', 0, 2)]]);
});

test('rows past the memory budget go to a file and come back the same, in order, a chunk a call', () => {
  const spool = new RowSpool(100);
  const { calls, o } = collect(['a', 'b'], spool);
  const odd: Row = { s: 'é\u0000\u2028', n: -0, big: 1e300, nan: NaN, list: ['x', 'y'], no: undefined };
  const want: Row[] = [];
  for (let i = 0; i < 30; i++) {
    const chunk = rowsOf('b', i * 10, 10);
    chunk[0] = { ...odd, n: i };
    want.push(...chunk);
    o.rows('b', chunk);
  }
  o.rows('a', rowsOf('a', 0, 5));
  o.end('b', { rows: rowsOf('b', 999, 1) }, input);
  o.end('a', { rows: [] }, input);
  assert.deepEqual(calls[0], ['a', { rows: rowsOf('a', 0, 5) }]);
  const b = calls.slice(1);
  assert.equal(b.length, 30); // 29 chunks, the last with the end's row
  assert.ok(b.every(([k]) => k === 'b'));
  const got = b.flatMap(([, r]) => (r as { rows: Row[] }).rows);
  assert.deepEqual(got, [...want, ...rowsOf('b', 999, 1)]);
  assert.ok(Object.is((got[0] as Row).n, 0) && Number.isNaN(got[0]!.nan) && 'no' in got[0]!);
});

test('the spool file is gone once every job is handed on', async () => {
  const { readdirSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const before = readdirSync(tmpdir()).filter((f) => f.startsWith('ollama-sentinel-')).length;
  const { o } = collect(['a'], new RowSpool(1));
  o.rows('a', rowsOf('a', 0, 5));
  o.rows('a', rowsOf('a', 5, 5));
  assert.ok(readdirSync(tmpdir()).filter((f) => f.startsWith('ollama-sentinel-')).length <= before + 1);
  o.end('a', { rows: [] }, input);
  assert.equal(readdirSync(tmpdir()).filter((f) => f.startsWith('ollama-sentinel-')).length, before);
});

test('rowChunks gives full chunks as rows come and the rest on flush', () => {
  const got: number[] = [];
  const c = rowChunks((rows) => got.push(rows.length));
  for (let i = 0; i < ROW_CHUNK * 2 + 7; i++) c.push({ i });
  assert.deepEqual(got, [ROW_CHUNK, ROW_CHUNK]);
  c.flush();
  c.flush();
  assert.deepEqual(got, [ROW_CHUNK, ROW_CHUNK, 7]);
});

test('a held order hands nothing on before release, then everything in order', () => {
  const calls: string[] = [];
  const o = new ResultOrder(['a', 'b', 'c'], (k) => calls.push(k), { hold: true });
  o.rows('a', rowsOf('a', 0, 1));
  o.end('a', { rows: [] }, input);
  o.end('b', { rows: [] }, input);
  assert.equal(calls.length, 0);
  o.release();
  assert.deepEqual(calls, ['a', 'b']);
  o.end('c', { rows: [] }, input);
  assert.deepEqual(calls, ['a', 'b', 'c']);
});

test('without a usable temporary directory the rows stay in memory, with one warning, and nothing is lost', () => {
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = '/dev/null/not-a-directory'; // os.tmpdir() reads it on every call
  try {
    const warnings: string[] = [];
    const spool = new RowSpool(3, (m) => warnings.push(m));
    const { calls, o } = collect(['a'], spool);
    for (let i = 0; i < 10; i++) o.rows('a', rowsOf('a', i * 2, 2));
    o.end('a', { rows: [] }, input);
    assert.deepEqual(calls.flatMap(([, r]) => (r as { rows: Row[] }).rows), rowsOf('a', 0, 20));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /kept in memory/);
  } finally {
    if (saved === undefined) delete process.env.TMPDIR; else process.env.TMPDIR = saved;
  }
});
