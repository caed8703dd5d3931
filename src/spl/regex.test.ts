import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSplRegex, narrowCaptures } from './regex.js';
import { compileSearchText } from './compile.js';
import { MacroTable } from './macros.js';
import { runPlan } from '../engine/pipeline.js';
import { TimeZone } from '../util/timezone.js';
import type { Row } from '../engine/value.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Each named group read by capture number from the unnamed pattern, as rex does. */
function byNumber(pattern: string, text: string): Record<string, string | undefined> | null {
  const c = compileSplRegex(pattern, 0);
  const m = c.unnamed!.exec(text);
  if (!m) return null;
  return Object.fromEntries(c.groupNames.map((g, i) => [g, m[c.groupIndex[i]!]]));
}
function byName(pattern: string, text: string): Record<string, string | undefined> | null {
  const c = compileSplRegex(pattern, 0);
  const m = c.re.exec(text);
  if (!m) return null;
  return Object.fromEntries(c.groupNames.map((g) => [g, m.groups?.[g]]));
}

test('named groups have the capture numbers the regex engine gives them', () => {
  const cases: Array<[string, string[]]> = [
    ['(a)(?<x>b)', ['ab', 'b']],
    ['(?:a)(?<x>b)(c)?(?<y>d)?', ['abd', 'ab', 'abcd']],
    ['(?<=a)(?<x>b)(?<!c)(?<y>d)', ['abd']],
    ['[(](?<x>\\d)[)]', ['(7)']],
    ['\\((?<x>\\d)\\)(?<y>[\\]()])', ['(7)]', '(7)(']],
    ['(?P<x>\\w+)=(?P<y>[^ ]*)', ['a=b c', 'k=']],
    ['(?i)(?<x>GET|post) (?<y>/\\S+)', ['get /api', 'POST /x']],
    ['((?<x>a)|(?<y>b))+', ['ab', 'ba', 'aa']],
    ['[\\[](?<x>[^\\]]+)\\]', ['[abc]']],
    ['(?<a$b>x)(?<c>y)', ['xy']],
  ];
  for (const [p, texts] of cases) for (const t of texts) assert.deepEqual(byNumber(p, t), byName(p, t), `${p} on ${t}`);
  // A pattern that refers to a group by name keeps its names. "(?<" inside a class or after a backslash is text.
  assert.deepEqual(byNumber('[(?<x>](?<y>\\d)\\(?<z>q\\)', '<7<z>q)'), { y: '7' });
  assert.equal(compileSplRegex('(?<q>["\'])(?<v>.*?)\\k<q>', 0).unnamed, undefined);
});

test('every rex of the built-in detections gives the same fields by number as by name on the fixtures and datasets', () => {
  const patterns = new Set<string>();
  for (const f of readdirSync(join(ROOT, 'detections'))) {
    for (const m of readFileSync(join(ROOT, 'detections', f), 'utf8').matchAll(/rex (?:field=\w+ )?"((?:\\.|[^"\\])*)"/g)) patterns.add(m[1]!.replace(/\\"/g, '"').replace(/\\\\/g, '\\'));
  }
  assert.ok(patterns.size >= 10, `${patterns.size} patterns`);
  const texts = [readFileSync(join(ROOT, 'test', 'fixtures', 'real-ollama-logs.txt'), 'utf8'), ...readdirSync(join(ROOT, 'datasets')).filter((f) => f.endsWith('.log')).map((f) => readFileSync(join(ROOT, 'datasets', f), 'utf8'))]
    .flatMap((t) => t.split('\n'));
  let matched = 0;
  for (const p of patterns) {
    if (compileSplRegex(p, 0).unnamed === undefined) continue;
    for (const t of texts) {
      const a = byNumber(p, t);
      assert.deepEqual(a, byName(p, t), `${p} on ${t}`);
      if (a) matched++;
    }
  }
  assert.ok(matched > 1000, `${matched} matches`);
});

test('rex by capture number: fields set only by groups that took part; no match leaves fields alone', () => {
  const tz = TimeZone.resolve('UTC');
  const plan = compileSearchText('* | rex "(?<k>\\w+)=(?<v>\\d+)?" | table k, v, w', new MacroTable(), { tz, now: 0 }).plan;
  const evs: Row[] = [{ _time: 1, _raw: 'a=1' }, { _time: 2, _raw: 'b=' }, { _time: 3, _raw: '===', k: 'kept', v: 'kept' }];
  const rows = runPlan(plan, evs, { tz, now: 0, warn: () => {} });
  assert.deepEqual(rows.map((r) => [r.k, r.v]), [['kept', 'kept'], ['b', undefined], ['a', '1']]);
});

test('narrowCaptures: the groups left out match as before and are not captured; the kept ones give the same text', () => {
  const groupsOf = (c: ReturnType<typeof compileSplRegex>, m: RegExpExecArray) => Object.fromEntries(c.groupNames.map((g, i) => [g, m[c.groupIndex[i]!]]));
  const cases: Array<[string, string[], string[]]> = [
    ['\\|\\s+(?<status_code>\\d+)\\s+\\|\\s+(?<response_time>[\\d\\.]+)s\\s+\\|\\s+(?<src_ip>[\\:\\da-f\\.]+)\\s+\\|\\s+(?<http_method>\\w+)\\s+\\"(?<uri_path>[^\\"]+)\\"',
      ['response_time', 'src_ip', 'uri_path'],
      ['[GIN] 2025/06/01 - 00:00:00 | 200 |  8.310506395s |       10.0.6.40 | POST     "/api/generate"', '[GIN] x | 200 | 1.5ms | ::1 | GET "/"', 'none']],
    ['(a)(?<x>b)(?<y>c)?', ['y'], ['abc', 'ab', 'xbc']],
    ['[(?<x>](?<y>\\d)\\(?<z>q\\)', ['y'], ['(7(<z>q)', '<7(<z>q)', 'x7(?<z>q)']],
    ['(?<=(?<x>a))(?<y>b)(?<!c)', ['x'], ['ab', 'cb']],
    ['((?<x>a)|(?<y>b))+', ['y'], ['ab', 'ba', 'aa', 'c']],
  ];
  for (const [p, keep, texts] of cases) {
    const full = compileSplRegex(p, 0);
    const narrow = narrowCaptures(full, (g) => keep.includes(g));
    assert.deepEqual(narrow.groupNames, full.groupNames.filter((g) => keep.includes(g)), p);
    assert.ok(narrow.unnamed, p);
    for (const t of texts) {
      const a = full.unnamed!.exec(t), b = narrow.unnamed!.exec(t), n = narrow.re.exec(t);
      assert.equal(!b, !a, `${p} on ${t}`);
      assert.equal(!n, !a, `${p} on ${t}`);
      if (!a || !b || !n) continue;
      assert.equal(b[0], a[0]);
      const want = Object.fromEntries(Object.entries(groupsOf(full, a)).filter(([g]) => keep.includes(g)));
      assert.deepEqual(groupsOf(narrow, b), want, `${p} on ${t}`);
      assert.deepEqual({ ...n.groups }, want, `${p} on ${t} by name`);
      assert.equal(a.length - b.length, full.groupNames.length - keep.length, `${p}: the groups left out are not captured`);
    }
  }
  // Keeping every group, or a pattern that refers back to a group, leaves the pattern as it is.
  const all = compileSplRegex('(?<a>x)(?<b>y)', 0);
  assert.equal(narrowCaptures(all, () => true), all);
  const back = compileSplRegex('(?<q>["\'])(?<v>.*?)\\k<q>', 0);
  assert.equal(narrowCaptures(back, (g) => g === 'v'), back);
  const numbered = compileSplRegex('(?<q>a)(?<v>b)\\1', 0);
  assert.equal(narrowCaptures(numbered, (g) => g === 'v'), numbered);
});
