// transaction with endswith and maxspan forgets the transactions that can no longer end (TransactionStage.forgets):
// the rows are those of holding them to the end, and what stays open is bounded by maxspan and an hour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSearchText } from '../../spl/compile.js';
import { MacroTable } from '../../spl/macros.js';
import { runPlan } from '../pipeline.js';
import { TimeZone } from '../../util/timezone.js';
import type { Row } from '../value.js';
import type { Stage } from '../stage.js';
import { TransactionStage } from './transaction.js';

const tz = TimeZone.resolve('UTC');
const T0 = Date.UTC(2025, 5, 14, 10, 0, 0) / 1000;
const run = (spl: string, events: Row[]): Row[] =>
  runPlan(compileSearchText(spl, new MacroTable(), { tz, now: T0 + 86400 }).plan, events, { tz, now: T0 + 86400, warn: () => {} });

test('the transactions it keeps are those keepevicted=true marks complete, in the same order', () => {
  let seed = 11;
  const rnd = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
  const uris = ['/api/version', '/api/tags', '/api/pull', '/api/create', '/api/chat'];
  const found = new Map<string, number>();
  for (let round = 0; round < 20; round++) {
    const events: Row[] = [];
    let t = T0;
    for (let i = 0; i < 400; i++) {
      t += rnd(4) === 0 ? rnd(1200) : rnd(20); // bursts, and gaps past maxspan
      const src = `10.0.0.${rnd(1 + (round % 5) * 4)}`;
      events.push({ _time: t, _raw: `${src} ${i}`, src, uri: uris[rnd(uris.length)]! });
    }
    for (const opts of ['maxspan=15m', 'maxspan=60s maxevents=5', 'maxspan=5m maxpause=30s']) {
      const search = `* | transaction src ${opts} startswith=eval(uri="/api/version") endswith=eval(uri="/api/pull" OR uri="/api/create")`;
      const kept = run(search, events);
      const marked = run(`${search} keepevicted=true`, events).filter((r) => r.closed_txn === 1).map((r) => { const { closed_txn: _, ...rest } = r; return rest; });
      assert.deepEqual(kept, marked, `${opts}, round ${round}`);
      found.set(opts, (found.get(opts) ?? 0) + kept.length);
    }
  }
  // Enough complete transactions for the comparison to mean something, with each set of limits.
  for (const [opts, n] of found) assert.ok(n > 50, `${opts}: ${n} transactions`);
});

test('what stays open is what began within maxspan and the hour after: one version request from each of 10,000 addresses', () => {
  const out: Row[] = [];
  const next: Stage = { push: (r) => out.push(r), end: () => {} };
  const stage = new TransactionStage({ fields: ['src'], maxspan: 900, maxevents: 1000, maxopentxn: 100_000, maxopenevents: 1_000_000, keepevicted: false, startswith: (r) => r.uri === '/api/version', endswith: (r) => r.uri === '/api/pull' }, true, next);
  let most = 0;
  for (let i = 0; i < 10_000; i++) {
    stage.push({ _time: T0 + i, _raw: 'x', src: `a${i}`, uri: '/api/version' });
    most = Math.max(most, stage.openCount);
  }
  assert.ok(most <= 900 + 3600 + 2, `${most} open`);
  stage.push({ _time: T0 + 10_000, _raw: 'x', src: 'a9999', uri: '/api/pull' });
  stage.end();
  assert.equal(out.length, 1);
  assert.equal(out[0]!.eventcount, 2);
});

test('past maxopentxn or maxopenevents the transaction least recently joined is evicted, as Splunk does', () => {
  const T = (s: number, src: string, uri: string): Row => ({ _time: T0 + s, _raw: `${src} ${uri}`, src, uri });
  const evs = [T(0, 'a', '/v'), T(1, 'b', '/v'), T(2, 'a', '/x'), T(3, 'c', '/v'), T(4, 'a', '/p'), T(5, 'c', '/p'), T(6, 'b', '/p')];
  const search = (opts: string) => `* | transaction src ${opts} startswith=eval(uri="/v") endswith=eval(uri="/p")`;
  const srcs = (rows: Row[]) => rows.map((r) => `${r.src}:${r.eventcount}${r.closed_txn === undefined ? '' : `:${r.closed_txn}`}`);
  // Three open at once (a, b, c at 3 s): with room for two, b (joined least recently) goes, and its end finds none.
  assert.deepEqual(srcs(run(search(''), evs)), ['c:2', 'b:2', 'a:3']);
  assert.deepEqual(srcs(run(search('maxopentxn=2'), evs)), ['c:2', 'a:3']);
  assert.deepEqual(srcs(run(search('maxopentxn=2 keepevicted=true'), evs)), ['c:2:1', 'b:1:0', 'a:3:1']);
  // Room for three events: at c's (the fourth) the least recently joined, b, goes; at a's end a has three.
  assert.deepEqual(srcs(run(search('maxopenevents=3'), evs)), ['c:2', 'a:3']);
  assert.throws(() => run(search('maxopentxn=x'), evs), /maxopentxn/);
});

test('by default at most 5,000 transactions stay open', () => {
  const evs: Row[] = [];
  for (let i = 0; i < 12_000; i++) evs.push({ _time: T0 + i / 100, _raw: 'x', src: `a${i}`, uri: '/v' });
  evs.push({ _time: T0 + 200, _raw: 'x', src: 'a11999', uri: '/p' }, { _time: T0 + 200, _raw: 'x', src: 'a0', uri: '/p' });
  // a0 was evicted long before its end came; a11999 was still open.
  assert.deepEqual(run('* | transaction src startswith=eval(uri="/v") endswith=eval(uri="/p")', evs).map((r) => r.src), ['a11999']);
});

test('what it refers to stays bounded when the limits on what is open close transactions within the hour', () => {
  const next: Stage = { push: () => {}, end: () => {} };
  const stage = new TransactionStage({ fields: ['src'], maxspan: 900, maxevents: 1000, maxopentxn: 5000, maxopenevents: 100_000, keepevicted: false, startswith: (r) => r.uri === '/api/version', endswith: (r) => r.uri === '/api/pull' }, true, next);
  let most = 0;
  // 100,000 addresses in 1,000 seconds: none past maxspan and the hour, thousands past maxopentxn.
  for (let i = 0; i < 100_000; i++) {
    stage.push({ _time: T0 + i / 100, _raw: 'x', src: `a${i}`, uri: '/api/version' });
    most = Math.max(most, stage.heldCount);
  }
  assert.ok(stage.openCount <= 5000);
  assert.ok(most <= 5000 + 2 * 5000 + 1024 + 2, `${most} held`);
});

test('what it refers to stays bounded over a long log whose transactions are forgotten', () => {
  const next: Stage = { push: () => {}, end: () => {} };
  const stage = new TransactionStage({ fields: ['src'], maxspan: 900, maxevents: 1000, maxopentxn: 5000, maxopenevents: 100_000, keepevicted: false, startswith: (r) => r.uri === '/api/version', endswith: (r) => r.uri === '/api/pull' }, true, next);
  let most = 0;
  let mostOpen = 0;
  // 20,000 addresses over 400 hours, each asking for the version once and never going on (a scanner's): each is
  // forgotten once maxspan and the hour have passed, so about 75 are open at a time.
  for (let i = 0; i < 20_000; i++) {
    stage.push({ _time: T0 + i * 72, _raw: 'x', src: `a${i}`, uri: '/api/version' });
    most = Math.max(most, stage.heldCount);
    mostOpen = Math.max(mostOpen, stage.openCount);
  }
  assert.ok(mostOpen <= 80, `${mostOpen} open`);
  assert.ok(most <= mostOpen + 2 * mostOpen + 1024 + 2, `${most} held`);
});
