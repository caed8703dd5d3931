import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSearchText } from '../spl/compile.js';
import { MacroTable } from '../spl/macros.js';
import { TimeZone } from '../util/timezone.js';
import { withoutDeadRex } from './prune.js';
import { runPlan } from './pipeline.js';
import type { Row } from './value.js';

const tz = TimeZone.resolve('UTC');
const plan = (spl: string) => compileSearchText(spl, new MacroTable(), { tz, now: 0 }).plan;
const kinds = (spl: string) => withoutDeadRex(plan(spl).operators).map((o) => o.kind === 'rex' ? `rex:${o.regex}` : o.kind);

test('a rex none of whose fields is read later is not run; one whose fields are read, or may be shown, is', () => {
  assert.deepEqual(kinds('* | rex "a=(?<a>\\d+)" | rex "b=(?<b>\\d+)" | stats count by a'), ['search', 'rex:a=(?<a>\\d+)', 'stats']);
  // b feeds only the dead rex on b: both go.
  assert.deepEqual(kinds('* | rex "b=(?<b>\\S+)" | rex field=b "(?<c>\\d)" | stats count'), ['search', 'stats']);
  assert.deepEqual(kinds('* | rex "b=(?<b>\\S+)" | rex field=b "(?<c>\\d)" | stats count by c'), ['search', 'rex:b=(?<b>\\S+)', 'rex:(?<c>\\d)', 'stats']);
  // Nothing after it limits the fields (the results are the rows themselves, or table takes a wildcard).
  assert.deepEqual(kinds('* | rex "b=(?<b>\\d+)"'), ['search', 'rex:b=(?<b>\\d+)']);
  assert.deepEqual(kinds('* | rex "b=(?<b>\\d+)" | table b*'), ['search', 'rex:b=(?<b>\\d+)', 'table']);
  // A bad pattern is still an error with its position, dead or not.
  assert.throws(() => withoutDeadRex(plan('* | rex "(?<b>[" | stats count').operators));
});

test('results are the same with the dead rex skipped', () => {
  const evs: Row[] = ['a=1 b=2', 'a=1 b=3', 'a=2'].map((raw, i) => ({ _time: 100 + i, _raw: raw }));
  const rows = runPlan(plan('* | rex "a=(?<a>\\d+)" | rex "b=(?<b>\\d+)" | stats count by a'), evs, { tz, now: 0, warn: () => {} });
  assert.deepEqual(rows, [{ a: '1', count: 2 }, { a: '2', count: 1 }]);
});
