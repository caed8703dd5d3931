import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSearchText } from '../spl/compile.js';
import { explainRuntimeError } from '../spl/errors.js';
import { MacroTable } from '../spl/macros.js';
import { SplError } from '../spl/errors.js';
import { TimeZone } from '../util/timezone.js';
import { withEvalsFused } from './fuse.js';
import { runPlan } from './pipeline.js';
import type { Row } from './value.js';

const tz = TimeZone.resolve('UTC');
const compile = (spl: string) => compileSearchText(spl, new MacroTable(), { tz, now: 0 });
const run = (spl: string, evs: Row[]) => runPlan(compile(spl).plan, evs, { tz, now: 0, warn: () => {} });

test('consecutive evals become one, in order; evals apart stay apart', () => {
  const ops = withEvalsFused(compile('* | eval a=1 | eval b=a+1, c=b | where c > 0 | eval d=2 | eval e=d | stats count by e').plan.operators);
  assert.deepEqual(ops.map((o) => o.kind), ['search', 'eval', 'where', 'eval', 'stats']);
  assert.deepEqual(ops[1]!.kind === 'eval' && ops[1].assignments.map((a) => a.field), ['a', 'b', 'c']);
});

test('fused evals give the rows and the error each eval gives on its own', () => {
  const evs: Row[] = [{ _time: 1, _raw: 'x', n: 3 }, { _time: 2, _raw: 'y', n: '4' }, { _time: 3, _raw: 'z' }];
  // Each later eval reads what the one before wrote, and overwrites or removes it.
  const spl = '* | eval a=n*2 | eval a=a+1, b=if(isnull(n), "none", a) | eval n=null() | eval c=coalesce(n, b) | table _time, a, b, c, n';
  assert.deepEqual(run(spl, evs), [
    { _time: 3, b: 'none', c: 'none' },
    { _time: 2, a: 9, b: 9, c: 9 },
    { _time: 1, a: 7, b: 7, c: 7 },
  ]);
  // The same rows as with a where 1=1 between the evals (which keeps them apart).
  assert.deepEqual(run(spl, evs), run(spl.replace(/ \| eval /g, ' | where 1=1 | eval '), evs));
  // A boolean result is still an error at its own assignment.
  const bad = '* | eval a=1 | eval b=n>2';
  const c = compile(bad);
  try {
    runPlan(c.plan, evs, { tz, now: 0, warn: () => {} });
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof SplError);
    assert.equal(e.pos, bad.indexOf('n>2'));
    assert.match(explainRuntimeError(e, c.expanded), /true\/false/);
  }
});
