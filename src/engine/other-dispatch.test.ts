// The dispatch for lines other than gin is a shortcut: a search it does not hand a line to must be one whose
// leading search that line fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSearchText } from '../spl/compile.js';
import { MacroTable } from '../spl/macros.js';
import type { SearchExpr } from '../spl/ast.js';
import { TimeZone } from '../util/timezone.js';
import { LineParser, OTHER_EVENT_SHAPES } from '../parse/line-parser.js';
import { loadContent, compileJob } from '../cli/content.js';
import { OtherDispatch, rawWords } from './other-dispatch.js';
import { residualForShape, type Residual } from './search-gate.js';
import { compileSearch } from './search-match.js';
import type { Row } from './value.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const tz = TimeZone.resolve('UTC');
const leading = (spl: string): SearchExpr => {
  const first = compileSearchText(spl, new MacroTable(), { tz, now: 0 }).plan.operators[0]!;
  assert.equal(first.kind, 'search');
  return (first as { expr: SearchExpr }).expr;
};
const kinds = OTHER_EVENT_SHAPES.length;
const SLOG = OTHER_EVENT_SHAPES.findIndex((s) => s.constants.line_type === 'slog');

test('the words a search\'s lines must hold: terms, text field values; none for numbers, NOT, or fields not cut from the line', () => {
  const cases: Array<[string, string[] | undefined]> = [
    ['"compute buffer"', ['compute buffer']],
    ['OOM', ['oom']],
    ['foo*BarBaz', ['barbaz']],
    ['msg="Llama runner started in *"', ['llama runner started in ']],
    ['msg="*"', undefined],
    ['msg=""', undefined],
    ['status=500', undefined],
    ['seconds=5.26', undefined],
    ['NOT msg=x', undefined],
    ['msg!=x', undefined],
    ['count>5', undefined],
    ['host=box', undefined],
    ['line_type=slog', undefined],
    ['sourcetype=ollama:server', undefined],
    ['level=ERROR msg="request failed: *"', ['request failed: ']],
    ['level=ERROR OR msg=xy', ['error', 'xy']],
    ['level=ERROR OR host=h', undefined],
    ['msg IN ("ab", "cd*", "*")', undefined],
    ['msg IN ("ab", "cd*")', ['ab', 'cd']],
    ['_raw="*GGML_ASSERT*"', ['ggml_assert']],
    ['*', undefined],
  ];
  for (const [spl, want] of cases) assert.deepEqual(rawWords(leading(spl)), want, spl);
  assert.equal(rawWords(true), undefined);
  assert.deepEqual(rawWords(false), []);
});

/** A residual that passes a line holding any of these words (a search of those terms). */
const anyOf = (words: string[]): Residual => ({ kind: 'or', items: words.map((text) => ({ kind: 'term', text, quoted: true, span: { start: 0, end: 0 } })) } as SearchExpr);

test('a line\'s mask: the searches one of whose words for its kind it holds, whatever the case, overlapping or nested', () => {
  let seed = 11;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const alphabet = ['a', 'b', 'c', 'A', 'B', ' ', '='];
  const word = (max: number) => Array.from({ length: 1 + rnd(max) }, () => alphabet[rnd(alphabet.length)]!).join('');
  for (let round = 0; round < 60; round++) {
    const d = new OtherDispatch(kinds);
    // Per search and kind: words, every line (true), or none (false).
    const searches: Residual[][] = [];
    for (let k = 0; k < 1 + rnd(12); k++) {
      const residuals = Array.from({ length: kinds }, (): Residual => { const r = rnd(10); return r === 0 ? true : r === 1 ? false : anyOf(Array.from({ length: 1 + rnd(3) }, () => word(5))); });
      const bit = d.add(residuals);
      assert.notEqual(bit, 0);
      searches.push(residuals);
    }
    for (let n = 0; n < 200; n++) {
      let text = Array.from({ length: rnd(30) }, () => alphabet[rnd(alphabet.length)]!).join('');
      if (rnd(20) === 0) text += rnd(2) ? '\\' : 'é';
      const kind = rnd(kinds);
      const scannable = !/[^\x00-\x7f]|\\/.test(text);
      let want = 0;
      searches.forEach((residuals, i) => {
        const r = residuals[kind]!;
        const wanted = r !== false && (r === true || !scannable || (r as Extract<SearchExpr, { kind: 'or' }>).items.some((t) => text.toLowerCase().includes((t as { text: string }).text.toLowerCase())));
        if (wanted) want |= 1 << i;
      });
      assert.equal(d.maskOf(text, kind) & ((1 << searches.length) - 1), want, JSON.stringify({ text, kind }));
    }
  }
});

test('past 31 searches, or for a search without words, no bit: such a search takes every line of its kinds', () => {
  const d = new OtherDispatch(kinds);
  assert.equal(d.add(Array.from({ length: kinds }, () => true)), 0);
  for (let i = 0; i < 31; i++) assert.equal(d.add(Array.from({ length: kinds }, () => anyOf([`w${i}`]))), 1 << i);
  assert.equal(d.add(Array.from({ length: kinds }, () => anyOf(['x']))), 0);
  assert.equal(d.size, 31);
});

/** The other lines of the real-log fixture, the sample and the datasets, and variants holding the searches' words. */
function otherLines(words: string[]): string[] {
  const files = [join(ROOT, 'test', 'fixtures', 'real-ollama-logs.txt'), join(ROOT, 'samples', 'server.log'),
    ...readdirSync(join(ROOT, 'datasets')).filter((f) => f.endsWith('.log')).map((f) => join(ROOT, 'datasets', f))];
  const out = new Set<string>();
  for (const f of files) for (const l of readFileSync(f, 'utf8').split('\n')) if (!l.includes('[GIN] ')) out.add(l);
  const base = [...out];
  let seed = 3;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  // A search's word (upper-cased or not) put into another line at a random place, as a value or in a message.
  for (let i = 0; i < 3000; i++) {
    const l = base[rnd(base.length)]!;
    const w = words[rnd(words.length)]!;
    const at = rnd(l.length + 1);
    const word = rnd(2) ? w.toUpperCase() : w;
    out.add(rnd(2) ? l.slice(0, at) + word + l.slice(at) : `${l} msg="${word}" level=${rnd(2) ? 'ERROR' : 'info'}`);
  }
  return [...out];
}

test('every built-in detection: a line the dispatch does not hand it fails its leading search', () => {
  const content = loadContent([], [], undefined);
  const d = new OtherDispatch(kinds);
  const searches: Array<{ name: string; bit: number; test: (row: Row) => boolean }> = [];
  const words: string[] = [];
  for (const det of content.detections) {
    const job = compileJob(det.name, det.search, content.macros, { tz, now: 0 } as Parameters<typeof compileJob>[3]);
    const residuals = OTHER_EVENT_SHAPES.map((s) => residualForShape(job.plan, s));
    if (residuals.every((r) => r === false)) continue;
    for (const r of residuals) words.push(...(rawWords(r) ?? []));
    const first = job.plan.operators[0]!;
    const expr = first.kind === 'search' ? first.expr : null;
    searches.push({ name: det.name, bit: d.add(residuals), test: compileSearch(expr) });
  }
  assert.ok(searches.filter((s) => s.bit !== 0).length >= 10, 'most searches have words');
  const parser = new LineParser({ tz, defaultHost: 'box', source: 'server.log', fallbackMs: 0 });
  let ruledOut = 0, passed = 0;
  for (const line of otherLines(words)) {
    const b = Buffer.from(line);
    const e = parser.parseBytes(b, 0, b.length);
    if (e.line_type === 'gin') continue;
    const kind = OTHER_EVENT_SHAPES.findIndex((s) => s.constants.line_type === e.line_type);
    assert.ok(kind >= 0, String(e.line_type));
    const mask = d.maskOf(e._raw as string, kind);
    for (const s of searches) {
      if (s.bit === 0 || (mask & s.bit) !== 0) continue;
      ruledOut++;
      assert.equal(s.test({ ...e }), false, `${s.name} was not handed ${JSON.stringify(line)}`);
    }
    for (const s of searches) if (s.test({ ...e })) passed++;
  }
  assert.ok(ruledOut > 50000 && passed > 1000, `${ruledOut} ruled out, ${passed} passed`);
});

test('a slog line with an escape or text outside ASCII goes to every search that takes slog lines', () => {
  const d = new OtherDispatch(kinds);
  const residuals = (r: Residual) => Array.from({ length: kinds }, (_, k) => (k === SLOG ? r : false));
  const a = d.add(residuals(anyOf(['out of memory'])));
  const none = d.add(Array.from({ length: kinds }, () => false));
  assert.equal(d.maskOf('time=x level=ERROR msg="quiet"', SLOG) & (a | none), 0);
  assert.equal(d.maskOf('time=x level=ERROR msg="out\\x20of memory"', SLOG) & (a | none), a);
  assert.equal(d.maskOf('time=x level=ERROR msg="ouT OF MEMory"', SLOG) & (a | none), a);
  assert.equal(d.maskOf('time=x level=ERROR msg="réglage"', SLOG) & (a | none), a);
});
