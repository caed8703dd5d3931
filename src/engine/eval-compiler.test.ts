import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery } from '../spl/parser.js';
import type { Expr } from '../spl/ast.js';
import { compileExpr, memoField, sharingAnswers } from './eval-compiler.js';
import { TimeZone } from '../util/timezone.js';
import { SplError } from '../spl/errors.js';
import { EVAL_FUNCTIONS } from '../spl/eval-functions.js';

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

test('copies of one memoised expression compiled together share their answers; others, arrays and other contexts do not', () => {
  const ctx = { tz: TimeZone.resolve('UTC'), now: 0 };
  const lower = EVAL_FUNCTIONS.lower!, split = EVAL_FUNCTIONS.split!;
  const original = { lower: lower.fn, split: split.fn };
  const calls = { lower: 0, split: 0 };
  lower.fn = (a, c) => { calls.lower++; return original.lower(a, c); };
  split.fn = (a, c) => { calls.split++; return original.split(a, c); };
  try {
    // Two searches' copies (their own positions in their texts), one with another text, one in another context.
    const [a, b, part, mixed, other, later, listA, listB] = sharingAnswers(() => [
      compileExpr(exprOf('lower(src)'), ctx),
      compileExpr(parseQuery('x | where y=1 | eval z=lower(src)').commands.flatMap((c) => (c.kind === 'eval' ? [c.assignments[0]!.expr] : []))[0]!, ctx),
      compileExpr(exprOf('lower(src) . "!"'), ctx),
      compileExpr(exprOf('lower(src) . host'), ctx),
      compileExpr(exprOf('lower(trim(src))'), ctx),
      compileExpr(exprOf('lower(src)'), { ...ctx, now: 60 }),
      compileExpr(exprOf('split(src, ",")'), ctx),
      compileExpr(exprOf('split(src, ",")'), ctx),
    ]);
    assert.equal(a!({ src: 'GPU-Box' }), 'gpu-box');
    assert.equal(b!({ src: 'GPU-Box' }), 'gpu-box');
    assert.equal(calls.lower, 1, 'the second copy took the first one\'s answer');
    assert.equal(b!({ src: 'Other' }), 'other');
    assert.equal(a!({ src: 'Other' }), 'other');
    assert.equal(calls.lower, 2);
    // The same memoised part inside a larger expression that is not memoised (it reads two fields) is the same text.
    assert.equal(mixed!({ src: 'GPU-Box', host: 'h' }), 'gpu-boxh');
    assert.equal(calls.lower, 2);
    // Inside one memoised as a whole, it has no memo of its own: the whole's answers it.
    assert.equal(part!({ src: 'GPU-Box' }), 'gpu-box!');
    assert.equal(calls.lower, 3);
    assert.equal(part!({ src: 'GPU-Box' }), 'gpu-box!');
    assert.equal(calls.lower, 3);
    assert.equal(other!({ src: 'GPU-Box' }), 'gpu-box');
    assert.equal(later!({ src: 'GPU-Box' }), 'gpu-box');
    assert.equal(calls.lower, 5, 'another text and another now work out their own');
    // A multivalue answer is each copy's own: a search never holds an array another one holds.
    const l1 = listA!({ src: 'a,b' }), l2 = listB!({ src: 'a,b' });
    assert.deepEqual(l1, ['a', 'b']);
    assert.deepEqual(l2, ['a', 'b']);
    assert.notStrictEqual(l1, l2);
    assert.equal(listA!({ src: 'c,d' }) !== undefined && listA!({ src: 'a,b' }), l1, 'its own answers are still kept');
    assert.equal(calls.split, 3);
    // Compiled alone (outside a runner's compile), each copy keeps its own answers as before.
    calls.lower = 0;
    const c = compileExpr(exprOf('lower(src)'), ctx), d = compileExpr(exprOf('lower(src)'), ctx);
    assert.equal(c({ src: 'GPU-Box' }), 'gpu-box');
    assert.equal(d({ src: 'GPU-Box' }), 'gpu-box');
    assert.equal(calls.lower, 2);
  } finally {
    lower.fn = original.lower;
    split.fn = original.split;
  }
});

test('each form of expression answers as its helpers do: special forms, patterns on non-strings, operators, memoised parts', () => {
  const ctx = { tz: TimeZone.resolve('UTC'), now: 0 };
  const ev = (text: string, row: Record<string, string | number | string[]>) => compileExpr(exprOf(text), ctx)(row);
  // case and validate take pairs (a trailing odd argument is ignored); coalesce the first non-null, nested.
  assert.equal(ev('case(n > 5, "big", n > 1, "mid", "odd")', { n: 3 }), 'mid');
  assert.equal(ev('case(n > 5, "big", n > 1, "mid", "odd")', { n: 0 }), undefined);
  assert.equal(ev('validate(n > 0, "not positive", n < 10, "too big")', { n: 12 }), 'too big');
  assert.equal(ev('validate(n > 0, "not positive", n < 10, "too big")', { n: 5 }), undefined);
  assert.equal(ev('coalesce(a, coalesce(b, c), "none")', { c: 'c' }), 'c');
  assert.equal(ev('coalesce(a, b)', {}), undefined);
  // match and like with a literal pattern: a string is tested directly, a number or a list by the function.
  assert.equal(ev('if(match(x, "^4\\\\d\\\\d$"), 1, 0)', { x: 404 }), 1);
  assert.equal(ev('if(match(x, "^4"), 1, 0)', { x: ['500', '404'] }), 1);
  assert.equal(ev('if(match(x, "^4"), 1, 0)', { x: ['500', '200'] }), 0);
  assert.equal(ev('if(like(x, "4%"), 1, 0)', { x: 404 }), 1);
  assert.equal(ev('if(like(x, "/api/%"), 1, 0)', { x: '/api/tags' }), 1);
  // On a missing field either is null, as the functions say (written in, not called).
  for (const f of ['like', 'match']) {
    assert.equal(ev(`${f}(x, "a")`, {}), undefined);
    assert.equal(ev(`if(${f}(x, "a"), 1, 0)`, {}), 0);
    assert.equal(EVAL_FUNCTIONS[f]!.fn([undefined, 'a'], ctx), undefined);
  }
  // null(), isnull() and isnotnull() written in answer as the functions do.
  for (const row of [{}, { x: 'a' }, { x: 0 }, { x: '' }, { x: ['a', 'b'] }] as Array<Record<string, string | number | string[]>>) {
    for (const f of ['isnull', 'isnotnull']) assert.equal(ev(`${f}(x)`, row), EVAL_FUNCTIONS[f]!.fn([row.x], ctx), `${f} ${JSON.stringify(row)}`);
    assert.equal(ev('coalesce(null(), x)', row), row.x);
  }
  assert.equal(ev('null()', {}), EVAL_FUNCTIONS.null!.fn([], ctx));
  // A comparison with a literal answers as the same comparison with the literal's value in a field.
  const values: Array<string | number | string[] | undefined> = [undefined, 0, -0, 5, 200, 200.5, -7, NaN, 1e21, '200', ' 200 ', '0200', '2e2', 'gin', 'GIN',
    '', 'abc', 'zzz', '-5', '1.5', ['200', 'gin'], ['x'], []];
  for (const op of ['=', '==', '!=', '<', '<=', '>', '>=']) {
    for (const [text, lit] of [['200', 200], ['-5', -5], ['1.5', 1.5], ['0', 0], ['"200"', '200'], ['"gin"', 'gin'], ['""', ''], ['"1e3"', '1e3'], ['"abc"', 'abc']] as const) {
      const direct = compileExpr(exprOf(`if(x ${op} ${text}, 1, 0)`), ctx), viaField = compileExpr(exprOf(`if(x ${op} y, 1, 0)`), ctx);
      for (const v of values) {
        const row = v === undefined ? { y: lit } : { x: v, y: lit };
        assert.equal(direct(row), viaField(row), `${JSON.stringify(v)} ${op} ${text}`);
      }
    }
  }
  // IN, NOT, unary minus, XOR, LIKE with a field pattern, arithmetic and concatenation.
  assert.equal(ev('if(s IN ("a", "B", 3), 1, 0)', { s: 'B' }), 1);
  assert.equal(ev('if(s IN ("a", "B", 3), 1, 0)', { s: 'b' }), 0);
  assert.equal(ev('if(NOT (n > 1), "no", "yes")', { n: 2 }), 'yes');
  assert.equal(ev('-n + 1', { n: 4 }), -3);
  assert.equal(ev('if(n > 1 XOR n > 5, "one", "both or none")', { n: 3 }), 'one');
  assert.equal(ev('if(x LIKE p, 1, 0)', { x: 'abc', p: 'a%' }), 1);
  assert.equal(ev('a . "-" . b', { a: 'x', b: 2 }), 'x-2');
  assert.equal(ev('n / 0', { n: 1 }), undefined);
  // A costly part over one field is memoised inside a larger expression, and still answers per value.
  const mixed = compileExpr(exprOf('if(cidrmatch("10.0.0.0/8", src) AND n > 1, src, "no")'), ctx);
  assert.deepEqual([{ src: '10.1.1.1', n: 2 }, { src: '10.1.1.1', n: 0 }, { src: '8.8.8.8', n: 2 }].map((r) => mixed(r)), ['10.1.1.1', 'no', 'no']);
  // An error from a function at run time carries the position of its call (exprOf writes "x | eval x=" first).
  assert.throws(() => ev('if(match(x, p), 1, 0)', { x: 'a', p: '(' }), (e: unknown) => e instanceof SplError && /invalid regular expression/.test(e.message) && e.pos === 14);
});
