// Compiles a `search` expression into a predicate over events, with Splunk's matching rules:
// terms and quoted phrases match _raw case-insensitively at token boundaries (Splunk's breakers), with *
// wildcards; field=value is a case-insensitive whole-value match with * wildcards; != needs the field to exist;
// NOT field=value also matches events without it. All matching is linear in the line length: no regexes.
import type { SearchExpr } from '../spl/ast.js';
import { asNumber, scalarToString, valuesOf, type Row, type Scalar, type Value } from './value.js';
import { generated } from './generated-code.js';

export type Predicate = (row: Row) => boolean;

// Splunk's major and minor breakers (segmenters.conf defaults).
const BREAKER = new Uint8Array(128);
for (const c of ' \t\n\r[]<>(){}|!;,\'"*&?+/:=@.-$#%\\_') BREAKER[c.charCodeAt(0)] = 1;
function isBreaker(code: number): boolean {
  return code < 128 ? BREAKER[code] === 1 : false;
}

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

/** A compiled term: does `hay` (lower case) contain it at token boundaries? */
export function compileTerm(text: string): (hay: string) => boolean {
  const t = text.toLowerCase();
  if (t === '' ) return () => true;
  if (/^\*+$/.test(t)) return () => true;
  const parts = t.split('*');
  const needLeft = parts[0] !== '' && !isBreaker(parts[0]!.charCodeAt(0));
  const lastPart = parts[parts.length - 1]!;
  const needRight = lastPart !== '' && !isBreaker(lastPart.charCodeAt(lastPart.length - 1));
  const segs = parts.filter((p) => p !== '');
  const leftOk = (hay: string, at: number) => !needLeft || at === 0 || isBreaker(hay.charCodeAt(at - 1));
  const rightOk = (hay: string, end: number) => !needRight || end === hay.length || isBreaker(hay.charCodeAt(end));
  if (segs.length === 1) {
    const s = segs[0]!;
    return (hay) => {
      for (let at = hay.indexOf(s); at >= 0; at = hay.indexOf(s, at + 1)) {
        if (leftOk(hay, at) && rightOk(hay, at + s.length)) return true;
      }
      return false;
    };
  }
  return (hay) => {
    // The leftmost valid start leaves the most room for the rest, so one start suffices.
    let at = hay.indexOf(segs[0]!);
    while (at >= 0 && !leftOk(hay, at)) at = hay.indexOf(segs[0]!, at + 1);
    if (at < 0) return false;
    let pos = at + segs[0]!.length;
    for (let k = 1; k < segs.length - 1; k++) {
      const i = hay.indexOf(segs[k]!, pos);
      if (i < 0) return false;
      pos = i + segs[k]!.length;
    }
    const last = segs[segs.length - 1]!;
    for (let i = hay.indexOf(last, pos); i >= 0; i = hay.indexOf(last, i + 1)) {
      if (rightOk(hay, i + last.length)) return true;
    }
    return false;
  };
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
 * How the _raw of a kind of event is made (an EventShape's rawSpans, search-gate.ts): `separators` cut it into
 * spans; some hold only `fixedChars`, each of the others one of `fields`' values with spaces around it.
 */
export interface RawSpans {
  readonly separators: string;
  readonly fixedChars: string;
  readonly fields: readonly string[];
}

/**
 * Whether a term can be looked for in the span fields' values instead of in _raw: it has no wildcard and no
 * separator (so a match lies within one span), a character that no fixed span holds (so that span is a
 * field's), and no space at either end (so the match, in a span of spaces and one value, lies within the
 * value). Token boundaries agree: a span's ends are a separator or a space, both breakers, and a value's own
 * ends count as boundaries. Lower-casing agrees for the ASCII values such events have.
 */
export function spanTerm(text: string, spans: RawSpans): boolean {
  const t = text.toLowerCase();
  if (t === '' || t.includes('*') || t.charCodeAt(0) === 32 || t.charCodeAt(t.length - 1) === 32) return false;
  let outside = false;
  for (const c of t) {
    if (spans.separators.includes(c)) return false;
    if (!spans.fixedChars.includes(c)) outside = true;
  }
  return outside;
}

/** Whether the expression holds a term that spanTerm lets be looked for in the span fields. */
export function hasSpanTerm(e: SearchExpr, spans: RawSpans): boolean {
  switch (e.kind) {
    case 'term': return spanTerm(e.text, spans);
    case 'compare': case 'in': return false;
    case 'and': case 'or': return e.items.some((x) => hasSpanTerm(x, spans));
    case 'not': return hasSpanTerm(e.item, spans);
  }
}

/** A test of whether a value, lower-cased, holds any of these plain terms at token boundaries. */
export function termsInValue(texts: string[]): (value: string) => boolean {
  const scan = texts.length === 1 ? compileTerm(texts[0]!) : anyTermScan(texts);
  return (value) => scan(value.toLowerCase());
}

/** Distinct values whose answer a span test keeps per field (an attacker can make every path new). */
const SPAN_MEMO_VALUES = 4096;

/**
 * Terms looked for in the span fields (spanTerm): the event matches when a field's value `holds` one
 * (termsInValue). Each value's answer is kept: logs repeat a few hundred clients and paths, so
 * the line is neither lower-cased nor scanned. A value that is not one string goes to `whole`.
 */
function spanTermPredicate(holds: (value: string) => boolean, spans: RawSpans, whole: Predicate): Predicate {
  // Generated per test with the field names written in (as compileSearch is): a read by a name held in a
  // variable costs more than the lookup it leads to.
  const q = JSON.stringify;
  const body = spans.fields.map((f, i) => `
    v = row[${q(f)}];
    if (v !== undefined) {
      if (typeof v !== 'string') return whole(row);
      found = m${i}.get(v);
      if (found === undefined) found = remember(m${i}, v);
      if (found) return true;
    }`).join('');
  const memos = spans.fields.map(() => new Map<string, boolean>());
  const remember = (memo: Map<string, boolean>, v: string): boolean => {
    const found = holds(v);
    if (memo.size >= SPAN_MEMO_VALUES) memo.clear();
    memo.set(v, found);
    return found;
  };
  return generated<(...args: unknown[]) => Predicate>(['whole', 'remember', ...memos.map((_, i) => `m${i}`)],
    `return (row) => {\n let v, found;${body}\n return false;\n};`)(whole, remember, ...memos);
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

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Several plain terms OR'ed ("panic:" OR "fatal error:" OR ...): one scan of the lower-cased line finds every
 * place where any of them starts, instead of one search per term, and the token-boundary rule is checked at
 * each such place for every term that starts there, so the answer is the OR of the terms' own tests. The
 * pattern is literals joined by |: no backtracking beyond trying each literal at a position.
 */
export function anyTermPredicate(texts: string[]): Predicate {
  const scan = anyTermScan(texts);
  const each = texts.map(termPredicate);
  return (row) => {
    const raw = row._raw;
    return typeof raw === 'string' ? scan(lowerRaw(row, raw)) : each.some((p) => p(row));
  };
}

/** The scan of anyTermPredicate: whether lower-cased text holds any of the terms at token boundaries. */
function anyTermScan(texts: string[]): (hay: string) => boolean {
  const lits = [...new Set(texts.map((t) => t.toLowerCase()))];
  const terms = lits.map((l) => ({ l, left: !isBreaker(l.charCodeAt(0)), right: !isBreaker(l.charCodeAt(l.length - 1)) }));
  const re = new RegExp(lits.map(escapeRegExp).join('|'), 'g');
  return (hay: string): boolean => {
    re.lastIndex = 0;
    for (let m = re.exec(hay); m !== null; m = re.exec(hay)) {
      const at = m.index;
      for (const t of terms) {
        if (!hay.startsWith(t.l, at)) continue;
        const end = at + t.l.length;
        if ((!t.left || at === 0 || isBreaker(hay.charCodeAt(at - 1))) && (!t.right || end === hay.length || isBreaker(hay.charCodeAt(end)))) return true;
      }
      re.lastIndex = at + 1;
    }
    return false;
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
