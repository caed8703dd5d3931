// The fixed-position reader of gin lines is a shortcut: wherever it answers, it must answer exactly what the
// general reader does, and it must leave every unusual line to the general reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGin, parseGinAnyWidth, parseGinFixed } from './gin.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function ginLines(): string[] {
  const files = [join(ROOT, 'test', 'fixtures', 'real-ollama-logs.txt'), join(ROOT, 'samples', 'server.log'),
    ...readdirSync(join(ROOT, 'datasets')).filter((f) => f.endsWith('.log')).map((f) => join(ROOT, 'datasets', f))];
  const out = new Set<string>();
  for (const f of files) for (const l of readFileSync(f, 'utf8').split('\n')) if (l.includes('[GIN] ')) out.add(l.slice(l.indexOf('[GIN] ')));
  return [...out];
}

/** Every way a line can differ from gin's padded layout, one change at a time, at every position of the layout. */
function mangled(line: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.min(line.length, 90); i++) {
    for (const c of [' ', '|', '"', '\\', '\u00a0', '\t', 'x', '9', '\u2003']) out.push(line.slice(0, i) + c + line.slice(i + 1));
    out.push(line.slice(0, i) + line.slice(i + 1), line.slice(0, i) + ' ' + line.slice(i));
  }
  out.push(line + ' trailing', line.slice(0, -1), line.replace(/"$/, '\\""'), line.replace(/"([^"]*)"$/, '"$1\\u00e9\\t"'));
  return out;
}

test('the fixed-position reader reads most real gin lines, the same as the general reader', () => {
  const lines = ginLines();
  let fixed = 0;
  for (const l of lines) {
    const g = parseGinAnyWidth(l);
    const f = parseGinFixed(l);
    if (f) { fixed++; assert.deepEqual(f, g, l); }
    assert.deepEqual(parseGin(l), g, l);
  }
  assert.ok(lines.length > 500, `${lines.length} lines`);
  assert.ok(fixed / lines.length > 0.8, `fixed layout for ${fixed} of ${lines.length}`);
});

test('on mangled lines the fixed-position reader either agrees with the general reader or steps aside', () => {
  const base = [
    '[GIN] 2025/01/02 - 15:04:05 | 200 |    1.234567ms |       127.0.0.1 | POST     "/api/chat"',
    '[GIN] 2025/01/02 - 15:04:05 | 404 |     967.824µs |                 | GET      "/a?b=\\"c\\""',
    '[GIN] 2025/01/02 - 15:04:05 | 200 |  8.310506395s |  203.0.113.145 | DELETE   "/api/delete"',
    '[GIN] 2025/01/02 - 15:04:05 | 200 | 1m2.345678901s |        10.0.0.1 | POST     "/api/pull"',
    '[GIN] 2025/01/02 - 15:04:05 | 500 |      33.1µs | 2001:db8:8123::20 | HEAD     "/"',
  ];
  let checked = 0, stepped = 0;
  for (const b of base) {
    for (const l of mangled(b)) {
      const f = parseGinFixed(l);
      if (f === undefined) { stepped++; continue; }
      assert.deepEqual(f, parseGinAnyWidth(l), JSON.stringify(l));
      checked++;
    }
  }
  assert.ok(checked > 100 && stepped > 100, `${checked} agreed, ${stepped} left to the general reader`);
});
