// The fixed-position reader of gin lines is a shortcut: wherever it answers, it must answer exactly what the
// general reader does, and it must leave every unusual line to the general reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGin, parseGinAnyWidth, parseGinFixed } from './gin.js';
import { ginLines, mangled, PADDED_GIN_LINES } from './gin-test-lines.js';

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
  const base = PADDED_GIN_LINES;
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
