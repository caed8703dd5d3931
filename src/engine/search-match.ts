// Compiles a `search` expression into a predicate over events, with Splunk's matching rules:
// terms and quoted phrases match _raw case-insensitively at token boundaries (Splunk's breakers), with *
// wildcards; field=value is a case-insensitive whole-value match with * wildcards; != needs the field to exist;
// NOT field=value also matches events without it. Terms are matched by terms.ts; in a plain gin line, by
// span-terms.ts in its fields.
import type { SearchExpr } from '../spl/ast.js';
import { asNumber, scalarToString, valuesOf, type Row, type Scalar, type Value } from './value.js';
import { generated } from './generated-code.js';
import { anyTermScan, compileTerm, termsInValue } from './terms.js';
import { spanTerm, spanTermPredicate, type RawSpans } from './span-terms.js';

export type Predicate = (row: Row) => boolean;

// The lower-cased _raw is kept on the event under symbols (invisible to field listings and JSON), next to
// the _raw it was made from: every detection with a search term asks for it, and a stage that rewrites _raw
// (rex mode=sed, eval _raw=...) makes the identity check fail, so a stale copy is never used.
const LOWER = Symbol('lowerRaw');
const LOWER_OF = Symbol('lowerRawOf');
type Lowered = Row & { [LOWER]?: string; [LOWER_OF]?: string };
/** Lower-cased _raw, computed once per event however many detections ask for it. */
function lowerRaw(row: Lowered, raw: string): string {
  if (row[LOWER_OF] === raw) return row[LOWER]!;
  const l = raw.toLowerCase();
  row[LOWER] = l;
  row[LOWER_OF] = raw;
  return l;
}

/**
 * Anchored, case-insensitive glob (`*` only), O(n·m) with single-star backtracking. An ASCII value is
 * compared in place, character by folded character: lower-casing ASCII moves no character, and every event
 * meets globs such as `uri_path="/api/blobs/*"`, whose lower-cased copies were a tenth of a scan's garbage.
 * Any other value is lower-cased first (İ lower-cases to two characters, which moves the rest).
 */
export function compileGlob(pattern: string): (value: string) => boolean {
  const p = pattern.toLowerCase();
  if (!p.includes('*')) return folder(p);
  if (/^\*+$/.test(p)) return () => true;
  const parts = p.split('*');
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  const middle = parts.slice(1, -1).filter((x) => x !== '');
  const fixed = first.length + last.length;
  // `v` is ASCII (compared by folded character) or already lower-cased (where folding changes nothing).
  const matches = (v: string): boolean => {
    const n = v.length;
    if (n < fixed || !foldsAt(v, 0, first) || !foldsAt(v, n - last.length, last)) return false;
    let pos = first.length;
    const end = n - last.length;
    for (const m of middle) {
      const i = foldedIndexOf(v, m, pos, end);
      if (i < 0) return false;
      pos = i + m.length;
    }
    return true;
  };
  return (value) => {
    const n = value.length;
    // The literal before the first star, first: most values fail there. While every character so far is
    // ASCII, none has moved, so a mismatch (or the value ending) settles it.
    for (let i = 0; i < first.length; i++) {
      if (i === n) return false;
      let c = value.charCodeAt(i);
      if (c >= 128) return matches(value.toLowerCase());
      if (c >= 65 && c <= 90) c += 32;
      if (c !== first.charCodeAt(i)) return false;
    }
    for (let i = first.length; i < n; i++) if (value.charCodeAt(i) >= 128) return matches(value.toLowerCase());
    return matches(value);
  };
}

/**
 * Whether `v` at `at` lower-cases to `lower`, for an ASCII `v` (which no character of `lower` outside ASCII
 * matches) or one lower-cased already.
 */
function foldsAt(v: string, at: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    let c = v.charCodeAt(at + i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** The first place at or after `from` where `lower` folds into `v` (as foldsAt) and ends by `end`; -1 if none. */
function foldedIndexOf(v: string, lower: string, from: number, end: number): number {
  for (let i = from; i + lower.length <= end; i++) if (foldsAt(v, i, lower)) return i;
  return -1;
}

/**
 * v.toLowerCase() === lower for strings of one length, without building the lower-cased copy: an IN list
 * of paths compares every event's path with each, and most differ within a few characters. ASCII folds by
 * character code; anything else is left to toLowerCase (whose rules for other scripts are not one-to-one).
 */
export function lowersTo(v: string, lower: string): boolean {
  for (let i = 0; i < v.length; i++) {
    let c = v.charCodeAt(i);
    if (c >= 128) return v.toLowerCase() === lower;
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * A test of v.toLowerCase() === lower that builds no copy where it can tell otherwise. Lower-casing changes a
 * string's length only through İ (to i and a combining dot, U+0307): a `lower` of ASCII alone is never the
 * lower case of a string of another length, and the common mismatch costs a length check.
 */
export function folder(lower: string): (v: string) => boolean {
  let ascii = true;
  for (let i = 0; i < lower.length; i++) if (lower.charCodeAt(i) >= 128) ascii = false;
  if (ascii) return (v) => v.length === lower.length && lowersTo(v, lower);
  return (v) => (v.length === lower.length ? lowersTo(v, lower) : v.toLowerCase() === lower);
}

/** folder(lower)(v), for a single test. */
export function foldsTo(v: string, lower: string): boolean {
  return folder(lower)(v);
}

/**
 * field=value for one scalar: a case-insensitive glob, or numerically equal when both look numeric (status=200
 * matches "200.0"). Exact matches and numbers are tested first without building strings: every detection asks
 * this of every event.
 */
function equalsValue(value: string): (v: Scalar) => boolean {
  const glob = compileGlob(value);
  const n = value.includes('*') ? undefined : asNumber(value);
  if (value.includes('*')) return (v) => glob(scalarToString(v));
  const lower = value.toLowerCase();
  const folds = folder(lower);
  return (v) => {
    if (typeof v === 'number') return n !== undefined ? v === n : glob(scalarToString(v));
    if (v === lower || folds(v)) return true;
    return n !== undefined && asNumber(v) === n;
  };
}

function anyValue(v: Value | undefined, test: (s: string) => boolean): boolean {
  if (v === undefined) return false;
  if (Array.isArray(v)) return v.some((x) => test(scalarToString(x)));
  return test(typeof v === 'number' ? scalarToString(v) : v);
}

/** field<value and the other range tests: numeric when both sides look numeric, else case-insensitive text. */
function compareRange(field: string, op: '<' | '<=' | '>' | '>=', value: string): Predicate {
  const n = asNumber(value);
  const lower = value.toLowerCase();
  const test = (s: string) => {
    const m = asNumber(s);
    let c: number;
    if (m !== undefined && n !== undefined) c = m < n ? -1 : m > n ? 1 : 0;
    else { const l = s.toLowerCase(); c = l < lower ? -1 : l > lower ? 1 : 0; }
    return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
  };
  return (row) => anyValue(row[field], test);
}

/**
 * Compiles a search filter to one JavaScript function: every event meets every detection's filter, and a tree
 * of closures pays a call per node and a dynamic property read per field. The generated code reads each field
 * by its (JSON-quoted) name and calls the value tests directly; terms and range comparisons stay closures.
 * With `spans`, for events whose _raw is made that way, the terms that allow it are looked for in the span
 * fields' values (spanTerm).
 */
export function compileSearch(expr: SearchExpr | null, spans?: RawSpans): Predicate {
  if (!expr) return () => true;
  const tests: unknown[] = [];
  const code = generate(expr, tests, spans);
  const names = tests.map((_, i) => `t${i}`);
  const factory = generated<(tests: unknown[]) => Predicate>(['tests'], `const [${names.join(', ')}] = tests;\nconst isArray = Array.isArray;\nreturn (row) => { let v; return ${code}; };`);
  return factory(tests);
}

function generate(e: SearchExpr, tests: unknown[], spans: RawSpans | undefined): string {
  const add = (t: unknown) => `t${tests.push(t) - 1}`;
  const spanned = (x: Term): boolean => spans !== undefined && spanTerm(x.text, spans);
  switch (e.kind) {
    case 'term': return spanned(e)
      ? `${add(spanTermPredicate(termsInValue([e.text]), spans!, termPredicate(e.text)))}(row)`
      : `${add(termPredicate(e.text))}(row)`;
    case 'compare': return compareCode(e.field, e.op, e.value, add);
    case 'in': return `(${e.values.map((v) => compareCode(e.field, '=', v, add)).join(' || ')})`;
    // Operands are tested cheapest first (the tests are pure, so the order cannot change the answer): a
    // field test often settles an AND or an OR before a term has to lower-case and scan the line.
    case 'and': return `(${cheapestFirst(e.items, spans).map((x) => generate(x, tests, spans)).join(' && ')})`;
    case 'or': {
      // Plain terms listed with OR (Splunk's keyword lists) are looked for in one scan of the line, or of each
      // span field's value.
      const terms = e.items.filter(isPlainTerm);
      const inSpans = terms.filter(spanned);
      const plain = terms.filter((x) => !spanned(x));
      const listed = new Set<SearchExpr>([...(inSpans.length >= 2 ? inSpans : []), ...(plain.length >= 2 ? plain : [])]);
      const rest = e.items.filter((x) => !listed.has(x));
      const parts = cheapestFirst(rest, spans).map((x) => ({ code: generate(x, tests, spans), cost: costOf(x, spans) }));
      const insert = (part: { code: string; cost: number }) => {
        const at = parts.findIndex((p) => p.cost > part.cost);
        parts.splice(at < 0 ? parts.length : at, 0, part);
      };
      if (plain.length >= 2) insert({ code: `${add(anyTermPredicate(plain.map((t) => t.text)))}(row)`, cost: TERM_COST + plain.length });
      if (inSpans.length >= 2) {
        const texts = inSpans.map((t) => t.text);
        insert({ code: `${add(spanTermPredicate(termsInValue(texts), spans!, anyTermPredicate(texts)))}(row)`, cost: SPAN_TERM_COST + inSpans.length });
      }
      return `(${parts.map((p) => p.code).join(' || ')})`;
    }
    case 'not': return `!${generate(e.item, tests, spans)}`;
  }
}

// Rough relative costs of a test on one event: a term lower-cases the line (once per event) and scans it;
// a field test compares one short value. A term looked for in a plain gin line's fields costs three lookups,
// but the lines that reach such a test have been handed over by the dispatch (field-dispatch.ts), for the
// field tests beside it far more often than for the word: those go first.
const TERM_COST = 100;
const FIELD_TEST_COST = 4;
const SPAN_TERM_COST = 90;

function costOf(e: SearchExpr, spans: RawSpans | undefined): number {
  switch (e.kind) {
    case 'term': return spans !== undefined && spanTerm(e.text, spans) ? SPAN_TERM_COST : TERM_COST;
    case 'compare': return e.op === '=' || e.op === '!=' ? FIELD_TEST_COST : 2 * FIELD_TEST_COST;
    case 'in': return FIELD_TEST_COST * e.values.length;
    case 'and': case 'or': return e.items.reduce((n, x) => n + costOf(x, spans), 0);
    case 'not': return costOf(e.item, spans);
  }
}

/** The operands by cost, equal costs keeping their written order. */
function cheapestFirst(items: SearchExpr[], spans: RawSpans | undefined): SearchExpr[] {
  return items.map((x, i) => ({ x, i, c: costOf(x, spans) })).sort((a, b) => a.c - b.c || a.i - b.i).map((o) => o.x);
}

function compareCode(field: string, op: '=' | '!=' | '<' | '<=' | '>' | '>=', value: string, add: (t: unknown) => string): string {
  if (field === 'index' && (op === '=' || op === '!=')) return op === '=' ? 'true' : 'false';
  const read = `(v = row[${JSON.stringify(field)}]) !== undefined`;
  if (op === '=' || op === '!=') {
    const eq = add(equalsValue(value));
    const any = `(isArray(v) ? v.some(${eq}) : ${eq}(v))`;
    return op === '=' ? `(${read} && ${any})` : `(${read} && !${any})`;
  }
  return `${add(compareRange(field, op, value))}(row)`;
}

type Term = Extract<SearchExpr, { kind: 'term' }>;

/** A term without wildcards that is not empty. */
function isPlainTerm(e: SearchExpr): e is Term {
  return e.kind === 'term' && e.text !== '' && !e.text.includes('*');
}

/** Several plain terms OR'ed, looked for in one scan of the lower-cased line (anyTermScan). */
export function anyTermPredicate(texts: string[]): Predicate {
  const scan = anyTermScan(texts);
  const each = texts.map(termPredicate);
  return (row) => {
    const raw = row._raw;
    return typeof raw === 'string' ? scan(lowerRaw(row, raw)) : each.some((p) => p(row));
  };
}

function termPredicate(text: string): Predicate {
  const m = compileTerm(text);
  if (text.replace(/\*/g, '') === '') return () => true;
  return (row) => {
    const raw = row._raw;
    if (typeof raw === 'string') return m(lowerRaw(row, raw));
    // Rows without _raw (after stats): the term may match any field's value.
    for (const k in row) {
      const v = row[k];
      if (v !== undefined && valuesOf(v).some((x) => m(scalarToString(x).toLowerCase()))) return true;
    }
    return false;
  };
}
