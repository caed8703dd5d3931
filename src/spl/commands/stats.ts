import type { Command, StatsAgg } from '../ast.js';
import { Scanner } from '../lexer.js';
import { SplError } from '../errors.js';
import { ExprParser } from '../expr-parser.js';
import { expectFieldName, readFieldList } from './common.js';
import { STATS_FUNCTIONS, canonicalStatsName } from '../stats-functions.js';

/** `stats fn(field) [as name], … [by f1, f2 …]`. */
export function parseStats(s: Scanner, start: number): Command {
  const { aggs, by } = parseAggregations(s, start, 'stats');
  return { kind: 'stats', aggs, by, span: { start, end: s.end } };
}

/** `eventstats fn(field) [as name], … [by f1, f2 …]`: same arguments as stats. */
export function parseEventstats(s: Scanner, start: number): Command {
  const { aggs, by } = parseAggregations(s, start, 'eventstats');
  return { kind: 'eventstats', aggs, by, span: { start, end: s.end } };
}

/** The function list and by-clause shared by stats, eventstats and streamstats. */
export function parseAggregations(s: Scanner, start: number, command: string): { aggs: StatsAgg[]; by: string[] } {
  const aggs: StatsAgg[] = [];
  let by: string[] = [];
  for (;;) {
    const t = s.next('word');
    if (t.kind === 'eof') break;
    if (t.kind === 'comma') continue;
    if (t.kind !== 'word') throw new SplError(`expected a statistical function, found "${t.value}"`, t.start);
    const lower = t.value.toLowerCase();
    if (lower === 'by') {
      by = readFieldList(s).map((f) => f.value);
      if (by.length === 0) throw new SplError('expected field names after "by"', s.pos);
      break;
    }
    const fn = canonicalStatsName(lower);
    if (!fn || !STATS_FUNCTIONS[fn]) {
      throw new SplError(`unknown statistical function "${t.value}" (supported: ${Object.keys(STATS_FUNCTIONS).join(', ')})`, t.start, 'SPL_UNKNOWN_FUNCTION');
    }
    const agg: StatsAgg = { fn, as: '', span: { start: t.start, end: t.end } };
    const open = s.peek('word');
    if (open.kind === 'lparen' && open.start === t.end) {
      s.next('word');
      const inner = s.peek('word');
      if (inner.kind === 'word' && inner.value === 'eval' && s.text[inner.end] === '(') {
        s.next('word');
        s.next('word');
        agg.evalArg = new ExprParser(s).parse();
        const c1 = s.next('expr');
        if (c1.kind !== 'rparen') throw new SplError('expected ")" to close eval(', c1.start);
      } else {
        agg.field = expectFieldName(s).value;
      }
      const close = s.next('word');
      if (close.kind !== 'rparen') throw new SplError(`expected ")" after the argument of ${t.value}`, close.start);
      agg.span.end = close.end;
    } else if (STATS_FUNCTIONS[fn]!.needsField) {
      throw new SplError(`${t.value} needs a field, e.g. ${t.value}(x)`, t.end);
    }
    const defaultName = s.text.slice(agg.span.start, agg.span.end).replace(/\s+/g, '');
    const maybeAs = s.peek('word');
    if (maybeAs.kind === 'word' && maybeAs.value.toLowerCase() === 'as') {
      s.next('word');
      agg.as = expectFieldName(s, 'a name after "as"').value;
    } else {
      agg.as = fn === 'count' && agg.field === undefined && agg.evalArg === undefined ? 'count' : defaultName;
    }
    aggs.push(agg);
  }
  if (aggs.length === 0) throw new SplError(`${command} needs at least one function, e.g. ${command} count by src`, start);
  return { aggs, by };
}
