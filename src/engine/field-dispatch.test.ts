import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldDispatch, type DispatchRule } from './field-dispatch.js';
import { compileSearch } from './search-match.js';
import type { SearchExpr } from '../spl/ast.js';
import type { Row } from './value.js';

const span = { start: 0, end: 0 };
const path = (value: string): DispatchRule => ({ kind: 'any', tests: [{ field: 'uri_path', test: compileSearch({ kind: 'compare', field: 'uri_path', op: '=', value, span } as SearchExpr) }] });
const on = (field: string, test: (r: Row) => boolean): DispatchRule => ({ kind: 'any', tests: [{ field, test }] });

test('field dispatch: one bit per search, set for the values its condition passes, fields apart', () => {
  const d = new FieldDispatch();
  const chat = d.add(path('/api/chat'));
  const outside = d.add(on('src', (r: Row) => r.src !== '10.0.0.1'));
  const blobs = d.add(path('/api/blobs/*'));
  assert.deepEqual([chat, outside, blobs], [1, 2, 4]);
  const ev = (uri_path: unknown, src: unknown) => ({ uri_path, src }) as Row;
  assert.equal(d.maskOf(ev('/api/chat', '10.0.0.1')), chat);
  assert.equal(d.maskOf(ev('/API/Chat', '203.0.113.9')), chat | outside, 'matching ignores case, as the search does');
  assert.equal(d.maskOf(ev('/api/blobs/sha256:abc', '10.0.0.1')), blobs);
  assert.equal(d.maskOf(ev('/api/tags', '10.0.0.1')), 0);
  assert.equal(d.maskOf(ev(undefined, '10.0.0.1')), chat | blobs, 'an event without the field goes to its searches, which decide');
  assert.equal(d.maskOf(ev(['/api/chat', '/x'], '10.0.0.1')), chat | blobs);
  // A search added after masks were made is in the masks made after.
  const tags = d.add(path('/api/tags'));
  assert.equal(d.maskOf(ev('/api/tags', '10.0.0.1')), tags);
  assert.equal(d.maskOf(ev('/api/tags', '10.0.0.1')), tags, 'the last value asked about answers again');
  // The memo starts over past its size; the answers stay the same.
  for (let i = 0; i < 5000; i++) d.maskOf(ev(`/probe/${i}`, `192.0.2.${i % 250}`));
  assert.equal(d.maskOf(ev('/api/chat', '10.0.0.1')), chat);
});

test('field dispatch: a condition that throws lets the event through; past 31 searches a search gets no bit', () => {
  const d = new FieldDispatch();
  const bad = d.add(on('src', () => { throw new Error('boom'); }));
  assert.equal(d.maskOf({ src: 'x' }), bad);
  const bits = Array.from({ length: 32 }, (_, i) => d.add(path(`/p${i}`)));
  assert.equal(bits[29], 1 << 30);
  assert.deepEqual(bits.slice(30), [0, 0]);
  assert.equal(d.maskOf({ uri_path: '/p29', src: 'x' }), (1 << 30) | bad);
});

test('field dispatch: alternatives on several fields, and conditions apart for plain gin lines', () => {
  const d = new FieldDispatch();
  // status=403 OR http_method=OPTIONS: either field's test sets the bit.
  const refused = d.add({ kind: 'any', tests: [
    { field: 'status', test: (r: Row) => r.status === 403 },
    { field: 'http_method', test: (r: Row) => r.http_method === 'OPTIONS' },
  ] });
  // A search with a condition only for plain gin lines takes every other gin event.
  const word = d.add(undefined, on('url', (r: Row) => String(r.url).includes('panic')));
  assert.equal(d.add(undefined, undefined), 0, 'no condition, no bit');
  const ev = (status: number, http_method: string, url: string) => ({ status, http_method, url }) as Row;
  assert.equal(d.maskOf(ev(200, 'GET', '/')), word, 'a gin event that is not a plain line goes to the search without a condition for it');
  assert.equal(d.maskOf(ev(200, 'GET', '/'), true), 0);
  assert.equal(d.maskOf(ev(403, 'GET', '/'), true), refused);
  assert.equal(d.maskOf(ev(200, 'OPTIONS', '/panic'), true), refused | word);
  assert.equal(d.maskOf(ev(200, 'OPTIONS', '/panic')), refused | word);
});

test('field dispatch: a search that needs all of its tests, on one field or several', () => {
  const d = new FieldDispatch();
  const any = d.add(on('status', (r: Row) => r.status === 200));
  // status=200, an inference path and an outside client: the three at once.
  const all = d.add({ kind: 'all', tests: [
    { field: 'status', test: (r: Row) => r.status === 200 },
    { field: 'uri_path', test: (r: Row) => r.uri_path === '/api/chat' },
    { field: 'src', test: (r: Row) => r.src !== '10.0.0.1' },
  ] });
  // Two tests on one field: both.
  const both = d.add({ kind: 'all', tests: [
    { field: 'uri_path', test: (r: Row) => String(r.uri_path).startsWith('/api/') },
    { field: 'uri_path', test: (r: Row) => String(r.uri_path).endsWith('chat') },
  ] });
  const ev = (status: unknown, uri_path: unknown, src: unknown) => ({ status, uri_path, src }) as Row;
  assert.equal(d.maskOf(ev(200, '/api/chat', '203.0.113.9')), any | all | both);
  assert.equal(d.maskOf(ev(200, '/api/chat', '10.0.0.1')), any | both);
  assert.equal(d.maskOf(ev(404, '/api/chat', '203.0.113.9')), both);
  assert.equal(d.maskOf(ev(200, '/api/tags', '203.0.113.9')), any);
  assert.equal(d.maskOf(ev(200, '/v1/chat', '203.0.113.9')), any, 'one of two tests on a field is not enough');
  assert.equal(d.maskOf(ev(200, undefined, '203.0.113.9')), any | all | both, 'a missing field passes its tests: the search decides');
  assert.equal(d.maskOf(ev(200, '/api/chat', '10.0.0.1')), any | both, 'the last value asked about answers again');
});

test('field dispatch: a test that throws hands the event to its search, whatever its other tests say', () => {
  const d = new FieldDispatch();
  const all = d.add({ kind: 'all', tests: [
    { field: 'uri_path', test: (r: Row) => { if (r.uri_path === '/boom') throw new Error('boom'); return true; } },
    { field: 'src', test: (r: Row) => r.src !== '10.0.0.1' },
  ] });
  assert.equal(d.maskOf({ uri_path: '/boom', src: '10.0.0.1' }), all, 'the search raises its own error');
  assert.equal(d.maskOf({ uri_path: '/ok', src: '10.0.0.1' }), 0);
  assert.equal(d.maskOf({ uri_path: '/boom', src: '10.0.0.1' }), all, 'remembered');
});

test('field dispatch: sure bits, for an exact test passed on a string, no test thrown, every test of an all rule passed', () => {
  const d = new FieldDispatch();
  const chat = d.add({ kind: 'any', tests: [{ ...path('/api/chat').tests[0]!, exact: true }] });
  const loose = d.add(path('/api/chat'));
  const both = d.add({ kind: 'all', tests: [{ ...path('/api/chat').tests[0]!, exact: true }, { field: 'src', test: (r: Row) => r.src !== '10.0.0.9' }] });
  const bad = d.add({ kind: 'any', tests: [{ field: 'http_method', test: () => { throw new Error('boom'); }, exact: true }, { field: 'status', test: () => true }] });
  const ev = (uri_path: unknown, src: unknown) => ({ uri_path, src, http_method: 'POST', status: 200 }) as Row;
  assert.equal(d.maskOf(ev('/api/chat', '10.0.0.1')), chat | loose | both | bad);
  assert.equal(d.sure, chat | both, 'an inexact test, and a search one of whose tests threw, are not sure');
  assert.equal(d.maskOf(ev('/api/chat', '10.0.0.9')), chat | loose | bad);
  assert.equal(d.sure, chat, 'an all rule with a failed test is not in the mask');
  assert.equal(d.maskOf(ev(['/api/chat'], '10.0.0.1')), chat | loose | both | bad, 'a list passes every test of its field');
  assert.equal(d.sure, 0, 'but surely passes none');
  assert.equal(d.maskOf(ev('/api/tags', '10.0.0.1'), true), bad);
  assert.equal(d.sure, 0);
});

test('field dispatch: masks kept by the byte reader\'s slots answer as the map does, also once the memo starts over', () => {
  const rules = (): DispatchRule[] => [
    path('/api/chat'),
    on('src', (r: Row) => r.src !== '10.0.0.1'),
    { kind: 'all', tests: [
      { field: 'uri_path', test: (r: Row) => { if (r.uri_path === '/boom') throw new Error('boom'); return false; } },
      { field: 'src', test: (r: Row) => r.src !== '10.0.0.1' },
    ] },
    // The url (the path with its query) kept by the path's slot, as a raw-term search's alternatives read it.
    on('url', (r: Row) => String(r.url).includes('generate')),
  ];
  const d = new FieldDispatch();
  const [chat, outside, boom, generate] = rules().map((r) => d.add(r));
  const ev = (uri_path: string, src: string, url = uri_path) => ({ uri_path, src, url }) as Row;
  // Slots as the byte reader gives them: one value per slot until another takes it.
  const want = (e: Row) => { const w = new FieldDispatch(); for (const r of rules()) w.add(r); return [w.maskOf(e, true), w.sure]; };
  const cases: Array<[Row, number, number, number]> = [
    [ev('/api/chat', '10.0.0.1'), 1, 7, 7], [ev('/api/chat', '203.0.113.9'), 2, 7, 7], [ev('/boom', '10.0.0.1'), 1, 3, 3],
    [ev('/api/tags', '10.0.0.1'), 1, 7, 7], // slot 7 now holds another path: its mask is learnt again
    [ev('/api/chat', '10.0.0.1'), 1, 7, 7], [ev('/boom', '203.0.113.9'), 2, 3, 3],
    [ev('/api/generate', '10.0.0.1'), 1, 5, 5],
    // A query: the url is not the uri_path, and has no slot of its own; then the path's slot holds another url.
    [ev('/api/generate', '10.0.0.1', '/api/generate?x=1'), 1, 5, -1], [ev('/x', '10.0.0.1', '/x'), 1, 6, 5],
  ];
  for (let round = 0; round < 3; round++) {
    for (const [e, cs, us, ps] of cases) {
      assert.deepEqual([d.maskOf(e, true, undefined, cs, us, ps), d.sure], want(e), `${String(e.url)} ${String(e.src)} round ${round}`);
    }
    // The memo starts over past its size: a throwing value's bits are learnt again, not taken from its slot.
    for (let i = 0; i < 5000; i++) d.maskOf(ev(`/probe/${i}`, `192.0.2.${i % 250}`), true, undefined, 9, 11, 11);
  }
  assert.equal(d.maskOf(ev('/boom', '10.0.0.1'), true, undefined, 1, 3, 3), boom, 'the search raises its own error, though its other test fails');
  assert.equal(d.maskOf(ev('/api/chat', '203.0.113.9'), true, undefined, 2, 7, 7), chat | outside);
  assert.equal(d.maskOf(ev('/api/generate', '203.0.113.9'), true, undefined, 2, 5, 5), outside | generate);
});
