import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery } from '../spl/parser.js';
import type { Expr } from '../spl/ast.js';
import { compileExpr, memoField } from './eval-compiler.js';
import { TimeZone } from '../util/timezone.js';

function exprOf(text: string): Expr {
  const cmd = parseQuery(`x | eval x=${text}`).commands.find((c) => c.kind === 'eval');
  if (!cmd || cmd.kind !== 'eval') throw new Error(`no eval in ${text}`);
  return cmd.assignments[0]!.expr;
}

test('memoField: one field, pure, and real work: a costly call or a long IN list', () => {
  const cases: Array<[string, string | undefined]> = [
    ['cidrmatch("10.0.0.0/8", src)', 'src'],
    ['isnotnull(src) AND NOT cidrmatch("10.0.0.0/8", src)', 'src'],
    ['match(uri_path, "^/api/(pull|push)$")', 'uri_path'],
    ['if(like(uri_path, "/api/%"), 1, 0)', 'uri_path'],
    ['lower(registry)', 'registry'],
    ['if(uri_path IN ("/a", "/b", "/c", "/d", "/e"), 1, 0)', 'uri_path'],
    // Cheap calls alone: a duration, a capture or an average seldom repeats, and the memo costs more.
    ['isnotnull(minutes)', undefined],
    ['tonumber(seconds)', undefined],
    ['round(avg_response_time, 2)', undefined],
    ['case(avg > 50, "high", avg > 40, "medium", 1=1, "low")', undefined],
    ['if(status IN (500, 502, 503), 1, 0)', undefined],
    // Not one field, impure, or _raw.
    ['cidrmatch("10.0.0.0/8", src) AND match(uri_path, "x")', undefined],
    ['if(random() > 5, cidrmatch("10.0.0.0/8", src), 0)', undefined],
    ['match(_raw, "x")', undefined],
    ['src', undefined],
  ];
  for (const [text, want] of cases) assert.equal(memoField(exprOf(text)), want, text);
});

test('a memoised expression answers as the direct one, for repeated, new and missing values', () => {
  const ctx = { tz: TimeZone.resolve('UTC'), now: 0 };
  const e = exprOf('if(isnotnull(src) AND NOT cidrmatch("10.0.0.0/8", src), lower(src), "inside")');
  assert.equal(memoField(e), 'src');
  const f = compileExpr(e, ctx);
  const values = ['10.1.2.3', 'A.example', '10.1.2.3', 'B', undefined, 'A.example', 7, 'A.example'];
  const want = ['inside', 'a.example', 'inside', 'b', 'inside', 'a.example', '7', 'a.example'];
  values.forEach((v, i) => assert.equal(f(v === undefined ? {} : { src: v }), want[i], `value ${String(v)}`));
});
