// transaction with endswith and maxspan forgets the transactions that can no longer end (TransactionStage.forgets):
// the rows are those of holding them to the end, and what stays open is bounded by maxspan.
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

test('what stays open is what began within maxspan: one version request from each of 10,000 addresses', () => {
  const out: Row[] = [];
  const next: Stage = { push: (r) => out.push(r), end: () => {} };
  const stage = new TransactionStage({ fields: ['src'], maxspan: 900, maxevents: 1000, keepevicted: false, startswith: (r) => r.uri === '/api/version', endswith: (r) => r.uri === '/api/pull' }, true, next);
  let most = 0;
  for (let i = 0; i < 10_000; i++) {
    stage.push({ _time: T0 + i, _raw: 'x', src: `a${i}`, uri: '/api/version' });
    most = Math.max(most, stage.openCount);
  }
  assert.ok(most <= 902, `${most} open`);
  stage.push({ _time: T0 + 10_000, _raw: 'x', src: 'a9999', uri: '/api/pull' });
  stage.end();
  assert.equal(out.length, 1);
  assert.equal(out[0]!.eventcount, 2);
});
