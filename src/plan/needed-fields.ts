// Which fields of its input each operator's results depend on (projection pushdown). Worked out backwards
// from the end of the plan, where every field counts (the final rows become risk events). The executor uses it
// to copy only those fields when a detection first changes an event it shares with other detections; a SQL
// compiler would use it to select only those columns.
import type { Expr, SearchExpr } from '../spl/ast.js';
import type { Operator } from './plan.js';

/** A set of field names, or ALL when the operator may read (or pass on) any field. */
export type FieldSet = ReadonlySet<string> | typeof ALL;
export const ALL = 'all' as const;

/**
 * Fields every stage may use implicitly: event time (bins, earliest/latest, stats time order). _raw is read
 * where a stage names it (rex's default field, an expression) or looks for terms (any field then), and kept
 * by `fields` (Splunk's keeps _time and _raw unless they are removed): not by a transaction whose joined
 * _raw nothing reads, so Splunk's Exploit Chain and Spoofed Loopback searches, which hand every event they
 * keep to the main thread (range-split.ts), no longer carry each line's text there.
 */
const ALWAYS = ['_time'];

/** needed[i]: the fields of operator i's input that can change the plan's results. */
export function neededFields(operators: readonly Operator[]): FieldSet[] {
  const needed: FieldSet[] = new Array(operators.length);
  let after: FieldSet = ALL;
  for (let i = operators.length - 1; i >= 0; i--) {
    after = before(operators[i]!, after);
    needed[i] = after;
  }
  return needed;
}

function before(op: Operator, after: FieldSet): FieldSet {
  switch (op.kind) {
    case 'search': return op.expr ? withReads(after, searchReads(op.expr)) : after;
    case 'where': return withReads(after, exprReads(op.expr));
    case 'eval': {
      if (after === ALL) return ALL;
      // Assignments run left to right, so walk them right to left: a field assigned here is not needed from
      // the input unless an earlier assignment (or nothing) reads it first.
      const s = new Set(after);
      for (let k = op.assignments.length - 1; k >= 0; k--) {
        const a = op.assignments[k]!;
        s.delete(a.field);
        for (const f of exprReads(a.expr)) s.add(f);
      }
      return withAlways(s);
    }
    // rex and bin leave their output fields alone when they do not match, so those stay needed.
    case 'rex': case 'bin': return withReads(after, [op.field]);
    case 'rename':
      if (op.pairs.some((p) => p.from.includes('*') || p.to.includes('*'))) return ALL;
      return withReads(after, op.pairs.map((p) => p.from));
    case 'table':
      if (op.fields.some((f) => f.includes('*'))) return ALL;
      return withAlways(new Set(op.fields));
    case 'fields':
      if (op.remove) return after;
      if (op.fields.some((f) => f.includes('*'))) return ALL;
      return withAlways(new Set([...op.fields, '_raw']));
    case 'stats': return withAlways(new Set([...op.by, ...aggReads(op.aggs)]));
    case 'eventstats': case 'streamstats': return withReads(after, [...op.by, ...aggReads(op.aggs)]);
    case 'transaction': {
      const reads = [...op.fields];
      for (const b of [op.startswith, op.endswith]) {
        if (b?.kind === 'eval') reads.push(...exprReads(b.expr));
        else if (b?.kind === 'search') reads.push(...searchReads(b.expr));
      }
      return withReads(after, reads);
    }
    case 'sort': return withReads(after, op.keys.map((k) => k.field));
    case 'head': return after;
    case 'dedup': return withReads(after, [...op.fields, ...op.sortBy.map((k) => k.field)]);
  }
}

function withReads(after: FieldSet, reads: Iterable<string> | typeof ALL): FieldSet {
  if (after === ALL || reads === ALL) return ALL;
  const s = new Set(after);
  for (const f of reads) s.add(f);
  return withAlways(s);
}

function withAlways(s: Set<string>): Set<string> {
  for (const f of ALWAYS) s.add(f);
  return s;
}

function aggReads(aggs: Array<{ field?: string; evalArg?: Expr }>): string[] {
  const out: string[] = [];
  for (const a of aggs) {
    if (a.field !== undefined) out.push(a.field);
    if (a.evalArg) out.push(...exprReads(a.evalArg));
  }
  return out;
}

/** Field names an eval expression reads. */
export function exprReads(e: Expr, out: string[] = []): string[] {
  switch (e.kind) {
    case 'field': out.push(e.name); break;
    case 'call': for (const a of e.args) exprReads(a, out); break;
    case 'unary': exprReads(e.arg, out); break;
    case 'binary': exprReads(e.left, out); exprReads(e.right, out); break;
    case 'in': exprReads(e.arg, out); for (const x of e.list) exprReads(x, out); break;
    default: break;
  }
  return out;
}

/** Field names a search expression reads; ALL for a bare term, which matches any field of a row without _raw. */
export function searchReads(e: SearchExpr): string[] | typeof ALL {
  switch (e.kind) {
    case 'term': return ALL;
    case 'compare': case 'in': return [e.field];
    case 'not': return searchReads(e.item);
    case 'and': case 'or': {
      const out: string[] = [];
      for (const it of e.items) {
        const r = searchReads(it);
        if (r === ALL) return ALL;
        out.push(...r);
      }
      return out;
    }
  }
}
