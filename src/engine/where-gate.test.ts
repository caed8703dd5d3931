import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery } from '../spl/parser.js';
import type { Expr } from '../spl/ast.js';
import { TimeZone } from '../util/timezone.js';
import { GIN_EVENT_SHAPE, OTHER_EVENT_SHAPES } from '../parse/line-parser.js';
import { compileExpr } from './eval-compiler.js';
import { truthy } from '../spl/eval-functions.js';
import { whereForShape } from './where-gate.js';
import type { Row } from './value.js';

const ctx = { tz: TimeZone.resolve('UTC'), now: 0 };
const SLOG = OTHER_EVENT_SHAPES.find((s) => s.constants.line_type === 'slog')!;

function whereOf(text: string): Expr {
  const cmd = parseQuery(`x | where ${text}`).commands.find((c) => c.kind === 'where');
  if (!cmd || cmd.kind !== 'where') throw new Error(`no where in ${text}`);
  return cmd.expr;
}

/** The reduced where as SPL-ish text: true, false, or the fields the rest reads. */
function reduced(text: string, shape = GIN_EVENT_SHAPE as Parameters<typeof whereForShape>[1]): boolean | string {
  const r = whereForShape(whereOf(text), shape, ctx);
  return typeof r === 'boolean' ? r : JSON.stringify(r, (k, v: unknown) => (k === 'span' ? undefined : v));
}

test('a where is decided for a shape where its tests read only the constants or fields its events never have', () => {
  const external = 'NOT cidrmatch("10.0.0.0/8", src)';
  // For a gin event the line_type test is false: the where is the trusted-network test alone.
  assert.equal(reduced(`line_type!="gin" OR ${external}`), reduced(external));
  assert.equal(reduced(`${external} OR line_type!="gin"`), reduced(external));
  // For a slog event it is true, whatever src holds.
  assert.equal(reduced(`line_type!="gin" OR ${external}`, SLOG), true);
  assert.equal(reduced(`line_type="gin" AND ${external}`, SLOG), false);
  assert.equal(reduced(`line_type="gin" AND ${external}`), reduced(external));
  assert.equal(reduced('sourcetype="ollama:server" OR status=500'), true);
  // A gin event never has msg (its shape is closed); a slog event may have any field.
  assert.equal(reduced('isnull(msg) OR status=500'), true);
  assert.notEqual(reduced('isnull(msg) OR status=500', SLOG), true);
  // Tests of fields that vary stay, as do impure ones and those that fail when evaluated.
  assert.equal(typeof reduced('status=500 AND src="10.1.1.1"'), 'string');
  assert.equal(typeof reduced('random() > 5 OR line_type="slog"'), 'string');
  assert.equal(typeof reduced('match(line_type, "(") OR status=500'), 'string');
});

test('a reduced where keeps exactly the events of the shape the where keeps', () => {
  const gin = (src: string | undefined, status: number): Row => ({ line_type: 'gin', sourcetype: 'ollama:server', vendor_product: 'Ollama API Server', app: 'ollama', status, ...(src === undefined ? {} : { src }) });
  const events = ['10.1.2.3', '8.8.8.8', '127.0.0.1', undefined, 'not an address'].flatMap((s) => [200, 500].map((st) => gin(s, st)));
  const wheres = [
    'line_type!="gin" OR NOT cidrmatch("10.0.0.0/8", src)',
    '(line_type="gin" AND status=500) OR (line_type!="gin" AND isnotnull(src))',
    'NOT (line_type="gin") OR cidrmatch("10.0.0.0/8", src) OR app="other"',
    'line_type="gin" XOR status=500',
    'isnull(msg) AND (status=200 OR line_type="slog")',
  ];
  for (const text of wheres) {
    const full = compileExpr(whereOf(text), ctx);
    const r = whereForShape(whereOf(text), GIN_EVENT_SHAPE, ctx);
    const part = typeof r === 'boolean' ? () => r : compileExpr(r, ctx);
    for (const e of events) assert.equal(truthy(part(e)), truthy(full(e)), `${text} on ${JSON.stringify(e)}`);
  }
});
