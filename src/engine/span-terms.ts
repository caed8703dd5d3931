// Terms in a plain gin line (PLAIN_GIN_SHAPE, parse/line-parser.ts), looked for in the fields its text is
// made of instead of in its lower-cased text: which terms may be, and the test that answers them once per
// distinct value of those fields.
import type { SearchExpr } from '../spl/ast.js';
import { generated } from './generated-code.js';
import type { Predicate } from './search-match.js';

/**
 * How the _raw of a kind of event is made (an EventShape's rawSpans, search-gate.ts): `separators` cut it into
 * spans; some hold only `fixedChars`, each of the others one of `fields`' values with spaces around it.
 */
export interface RawSpans {
  readonly separators: string;
  readonly fixedChars: string;
  readonly fields: readonly string[];
  /**
   * The spans start at the first occurrence of this text in _raw, after a prefix of ASCII text ending in a
   * space (a journald prefix, PREFIXED_PLAIN_GIN_SHAPE). A term that does not hold that space followed by
   * this text's first character lies in the prefix or in a span.
   */
  readonly after?: string;
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
  // Behind a prefix, which ends in a space, a term could straddle the two only across that space and the
  // first character of `after`.
  if (spans.after !== undefined && t.includes(' ' + spans.after.charAt(0).toLowerCase())) return false;
  let outside = false;
  for (const c of t) {
    if (spans.separators.includes(c)) return false;
    if (!spans.fixedChars.includes(c)) outside = true;
  }
  return outside;
}

/**
 * The dispatch's name for the prefix of an event whose spans come after one (RawSpans.after): no field can be
 * called this, and FieldDispatch reads it from the parser, not from the event.
 */
export const PREFIX_FIELD = '\u0000prefix';

/** Whether the expression holds a term that spanTerm lets be looked for in the span fields. */
export function hasSpanTerm(e: SearchExpr, spans: RawSpans): boolean {
  switch (e.kind) {
    case 'term': return spanTerm(e.text, spans);
    case 'compare': case 'in': return false;
    case 'and': case 'or': return e.items.some((x) => hasSpanTerm(x, spans));
    case 'not': return hasSpanTerm(e.item, spans);
  }
}

/** Distinct values whose answer a span test keeps per field (an attacker can make every path new). */
const SPAN_MEMO_VALUES = 4096;

/**
 * Terms looked for in the span fields (spanTerm): the event matches when a field's value `holds` one
 * (termsInValue). Each value's answer is kept: logs repeat a few hundred clients and paths, so
 * the line is neither lower-cased nor scanned. A value that is not one string goes to `whole`.
 */
export function spanTermPredicate(holds: (value: string) => boolean, spans: RawSpans, whole: Predicate): Predicate {
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
