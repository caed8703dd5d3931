// Works out, before any event arrives, what a detection's leading search still has to test on a kind of event
// whose fields are known in advance (a gin access line: a fixed set of fields, four of them constant, and a
// raw line that always holds `[GIN] `). A detection whose search no such event can pass is never handed one;
// for the others, the tests every such event passes are dropped. Gin lines are nine in ten of a busy
// server's log, and every detection's search starts with tests (sourcetype, line_type, "GIN") they all pass.
import type { SearchExpr } from '../spl/ast.js';
import type { LogicalPlan } from '../plan/plan.js';
import type { Row } from './value.js';
import { compileSearch, type Predicate } from './search-match.js';
import { compileTerm, termsInValue } from './terms.js';
import { PREFIX_FIELD, spanTerm, type RawSpans } from './span-terms.js';

export interface EventShape {
  /** Every field such an event can have (with `open`, only some of them). */
  fields: readonly string[];
  /** Such an event can have fields besides these (a slog line's keys): only tests on its constants are decided. */
  open?: boolean;
  /** Fields with the same value on every such event. */
  constants: Readonly<Record<string, string>>;
  /** Text that every such event's _raw contains, as written (matching ignores case). */
  rawContains?: string;
  /** How every such event's _raw is made, when it is known: terms may be looked for in fields (search-match.ts). */
  rawSpans?: RawSpans;
}

/** What is left of a search for one shape: true (every event passes), false (none does), or the tests left. */
export type Residual = SearchExpr | boolean;

/**
 * False when no event of this shape can pass the plan's leading search; true when one might. Field tests
 * on a constant or an impossible field are decided by running the compiled test itself on an event holding
 * only the constants, so the answer follows the matcher's rules exactly.
 */
export function canMatchShape(plan: LogicalPlan, shape: EventShape): boolean {
  return residualForShape(plan, shape) !== false;
}

/** The plan's leading search reduced for events of this shape (true when the plan has none). */
export function residualForShape(plan: LogicalPlan, shape: EventShape): Residual {
  const first = plan.operators[0];
  if (!first || first.kind !== 'search' || !first.expr) return true;
  return reduce(first.expr, shape.open ? undefined : new Set(shape.fields), { ...shape.constants }, rawSample(shape));
}

// A term found in the sample holds for every raw line that contains the shape's text: the sample is that text
// between two characters that are not breakers, so a match cannot lean on the start or end of the string for
// its token boundary, and a term holding the padding character is never decided.
const PAD = '\u0001';
function rawSample(shape: EventShape): string | undefined {
  return shape.rawContains ? PAD + shape.rawContains.toLowerCase() + PAD : undefined;
}

/**
 * `sample` holds only the shape's constants: a test on it answers for every event of the shape. `fields`: every
 * field the shape's events can have (a test on another is decided: they never have it), or undefined when
 * they may have others.
 */
function reduce(e: SearchExpr, fields: Set<string> | undefined, sample: Row, raw: string | undefined): Residual {
  switch (e.kind) {
    case 'term':
      // Unknown unless the term is in the shape's text; a term that is not may still be elsewhere in the line.
      return raw !== undefined && !e.text.includes(PAD) && compileTerm(e.text)(raw) ? true : e;
    case 'compare': case 'in': {
      const decidable = e.field === 'index' || (fields !== undefined && !fields.has(e.field)) || Object.hasOwn(sample, e.field);
      return decidable ? compileSearch(e)(sample) : e;
    }
    case 'and': case 'or': {
      // `and` falls to false on a false item and drops true ones; `or` is its dual.
      const stop = e.kind === 'or';
      const left: SearchExpr[] = [];
      for (const x of e.items) {
        const r = reduce(x, fields, sample, raw);
        if (r === stop) return stop;
        if (r !== !stop) left.push(r as SearchExpr);
      }
      if (left.length === 0) return !stop;
      return left.length === 1 ? left[0]! : { kind: e.kind, items: left };
    }
    case 'not': {
      const r = reduce(e.item, fields, sample, raw);
      return typeof r === 'boolean' ? !r : { kind: 'not', item: r };
    }
  }
}

/**
 * A test on `field` alone that every event passing `r` passes (undefined when `r` implies none): the
 * residual itself when it tests only that field, the conditions of an AND's items, or an OR of conditions
 * when each of its items has one. An event that fails it cannot pass `r`, so it need not be handed over.
 */
export function fieldCondition(r: Residual, field: string): SearchExpr | undefined {
  if (typeof r === 'boolean') return undefined;
  if (onlyField(r, field)) return r;
  if (r.kind === 'and') {
    const items = r.items.map((x) => fieldCondition(x, field)).filter((x): x is SearchExpr => x !== undefined);
    return items.length === 0 ? undefined : items.length === 1 ? items[0] : { kind: 'and', items };
  }
  if (r.kind === 'or') {
    const items = r.items.map((x) => fieldCondition(x, field));
    return items.every((x) => x !== undefined) ? { kind: 'or', items: items as SearchExpr[] } : undefined;
  }
  return undefined;
}

/** The expression reads nothing but `field` (no term, which reads _raw). */
function onlyField(e: SearchExpr, field: string): boolean {
  switch (e.kind) {
    case 'term': return false;
    case 'compare': case 'in': return e.field === field;
    case 'not': return onlyField(e.item, field);
    case 'and': case 'or': return e.items.every((x) => onlyField(x, field));
  }
}

/**
 * Tests on single fields, one of which every event passing `r` passes (undefined when there is none), for
 * FieldDispatch: a test on one of `fields` (fieldCondition, in their order); else, with `spans`, a term
 * looked for in the span fields, as one test per span field (spanTerm); the alternatives of every item of an
 * OR, or those of an AND's first item that has any. An event that passes none of them cannot pass `r`.
 */
export function fieldAlternatives(r: Residual, fields: readonly string[], spans?: RawSpans): Alternative[] | undefined {
  if (typeof r === 'boolean') return undefined;
  for (const field of fields) {
    const c = fieldCondition(r, field);
    if (c) return [{ field, test: compileSearch(c), exact: c === r }];
  }
  const inSpans = (x: SearchExpr): x is Extract<SearchExpr, { kind: 'term' }> => spans !== undefined && x.kind === 'term' && spanTerm(x.text, spans);
  if (inSpans(r)) return termAlternatives([r.text], spans!);
  if (r.kind === 'or') {
    // The OR's span terms as one test per span field (a keyword list is one scan of each value).
    const terms = r.items.filter(inSpans).map((t) => t.text);
    const out = terms.length > 0 ? termAlternatives(terms, spans!) : [];
    for (const x of r.items) {
      if (inSpans(x)) continue;
      const alts = fieldAlternatives(x, fields, spans);
      if (!alts) return undefined;
      out.push(...alts);
    }
    return out;
  }
  if (r.kind === 'and') {
    for (const x of r.items) {
      const alts = fieldAlternatives(x, fields, spans);
      // An item's test passing does not make the AND pass.
      if (alts) return alts.map((a) => ({ ...a, exact: false }));
    }
  }
  return undefined;
}

/**
 * A test on one field for FieldDispatch. `exact`: a string value that passes it makes the residual it came
 * from pass (the residual is that test, one of an OR's items, or a term in that span field), so a search
 * handed the event for it need not test its residual again.
 */
export interface Alternative { field: string; test: Predicate; exact: boolean }

/**
 * One test per span field: does its value hold any of the terms (a value that is not a string may)? Behind a
 * prefix (RawSpans.after), one more on the prefix, which the dispatch reads as PREFIX_FIELD.
 */
function termAlternatives(texts: string[], spans: RawSpans): Alternative[] {
  const holds = termsInValue(texts);
  const fields = spans.after !== undefined ? [...spans.fields, PREFIX_FIELD] : spans.fields;
  return fields.map((field) => ({ field, test: (row: Row) => { const v = row[field]; return typeof v !== 'string' || holds(v); }, exact: true }));
}
