import { test } from 'node:test';
import assert from 'node:assert/strict';
import { table } from './table.js';
import { parsePeriod } from './period.js';
import { resolveTimeModifier } from './reltime.js';
import { TimeZone } from './timezone.js';
import { parseGoDuration } from '../parse/duration.js';
import { tacticsOf, tacticName } from '../risk/tactics.js';

const INHERITED = Object.getOwnPropertyNames(Object.prototype);

test('a table finds its own keys only', () => {
  const t = table({ a: 1, b: 2 });
  assert.equal(t.a, 1);
  for (const name of INHERITED) { assert.equal(t[name], undefined, name); assert.ok(!(name in t), name); }
  assert.deepEqual(Object.keys(t), ['a', 'b']);
  assert.throws(() => { (t as Record<string, number>).c = 3; });
});

test('units and ids from outside that name what every object inherits are unknown, never NaN', () => {
  const tz = TimeZone.resolve('UTC');
  for (const name of INHERITED) {
    assert.equal(parseGoDuration(`5${name}`), undefined, name); // a gin latency from the log
    assert.equal(parsePeriod(`5${name}`), undefined, name); // a throttle period from a file
    assert.throws(() => resolveTimeModifier(`-1${name}`, 1_700_000_000, tz), name);
    assert.deepEqual(tacticsOf(name), [], name); // a technique id from a detection file
    assert.equal(tacticName(name), name, name);
  }
});
