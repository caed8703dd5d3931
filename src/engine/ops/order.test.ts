// sort that writes sorted runs out and merges them gives the rows, and the ties, of the sort held in memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SortStage } from './order.js';
import type { Stage } from '../stage.js';
import type { Row } from '../value.js';
import type { SortKey } from '../../spl/ast.js';

function collect(): Stage & { rows: Row[]; ended: number } {
  return { rows: [] as Row[], ended: 0, push(r: Row) { this.rows.push(r); }, end() { this.ended++; } };
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

const KEYS: SortKey[][] = [
  [{ field: 'a', desc: false, mode: 'auto' }],
  [{ field: 'a', desc: true, mode: 'num' }, { field: 'b', desc: false, mode: 'str' }],
  [{ field: 'b', desc: true, mode: 'auto' }],
];

test('a sort that spills runs gives what the sort in memory gives, ties included', () => {
  const rnd = random(7);
  for (let round = 0; round < 60; round++) {
    const n = Math.floor(rnd() * 400);
    const rows: Row[] = Array.from({ length: n }, (_, i) => {
      const r: Row = { i };
      if (rnd() < 0.9) r.a = Math.floor(rnd() * 6); // many ties, and rows without the field
      if (rnd() < 0.8) r.b = rnd() < 0.5 ? ['X', 'y', 'Z'][Math.floor(rnd() * 3)]! : String(Math.floor(rnd() * 4));
      return r;
    });
    const keys = KEYS[round % KEYS.length]!;
    const limit = [Infinity, 10000, 5, 37, 150][round % 5]!;
    const reversed = round % 2 === 0;
    const runRows = 1 + Math.floor(rnd() * 40);
    const plain = collect(), spilled = collect();
    const a = new SortStage(keys, limit, reversed, plain, false, Infinity);
    const b = new SortStage(keys, limit, reversed, spilled, false, runRows);
    for (const r of rows) { a.push(r); b.push({ ...r }); }
    a.end(); b.end();
    assert.deepEqual(spilled.rows.map((r) => r.i), plain.rows.map((r) => r.i), `round ${round}: ${n} rows, runs of ${runRows}, limit ${limit}`);
    assert.deepEqual(spilled.rows, plain.rows);
    assert.equal(spilled.ended, 1);
  }
});

test('a spilled sort keeps no more than a run of rows in memory', () => {
  const out = collect();
  const s = new SortStage([{ field: 'a', desc: false, mode: 'num' }], Infinity, false, out, false, 100);
  for (let i = 0; i < 1000; i++) s.push({ a: (i * 7919) % 1000 });
  assert.ok((s as unknown as { held: unknown[] }).held.length < 100);
  s.end();
  assert.deepEqual(out.rows.map((r) => r.a), Array.from({ length: 1000 }, (_, i) => i));
});
