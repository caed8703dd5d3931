// Which searches a stats kept in columns (stats-columns.ts) can serve: read from the logical plan's operators
// (the shape of the search before the stats) and from the stats stage made for it (its by-fields and
// aggregates).
import type { Operator } from '../../plan/plan.js';
import type { Expr } from '../../spl/ast.js';
import { STATS_FUNCTIONS } from '../../spl/stats-functions.js';
import { binFusesIntoStats } from '../bin-into-stats.js';
import { memoField, pureField } from '../eval-compiler.js';
import type { StatsStage } from './stats.js';

/**
 * A search whose stats may keep columns: `search | [where on src | rex on _raw] | [eval a=b, …] | bin _time |
 * stats … by _time, K[, host]` (Splunk's Endpoint Scan; its Excessive API Requests: a rex of the client, `eval
 * src_ip=client_ip`; Excessive API Requests From External Source: `where ollama_external_src(src)`).
 * `statsAt`: the stats' operator; `key`: the field K comes from for a bare line, past the evals' copies (the
 * rex's group, or a field of the line); `rex`: whether there is a rex, which must capture `key` if anything it
 * captures is read. The evals may also compute a field from one field of the line (API Reconnaissance From
 * External Source: `eval recon_path=if(ollama_recon_endpoint(uri_path), uri_path, null())`): `derived`.
 * Undefined for any other search.
 */
export interface ColumnsShape {
  statsAt: number;
  key: string;
  rex: boolean;
  /** A `where` right after the search, pure and over the client alone (`ollama_external_src(src)`): answered per client. */
  where?: Expr;
  /**
   * Fields an eval computes from one field of the line alone (`base`, read as the line has it), purely: the
   * columns work each out once per distinct value of its base in a bin. Only the stats' aggregates read them.
   */
  derived: Array<{ field: string; base: string; expr: Expr }>;
}

export function columnsShape(operators: readonly Operator[]): ColumnsShape | undefined {
  if (operators[0]?.kind !== 'search') return undefined;
  let i = 1;
  let where: Expr | undefined;
  if (operators[i]?.kind === 'where') {
    where = (operators[i] as Extract<Operator, { kind: 'where' }>).expr;
    // Pure and over the client alone (memoField: no random(), no other field), so one answer a client.
    if (memoField(where) !== 'src') return undefined;
    i++;
  }
  const rex = where === undefined && operators[i]?.kind === 'rex';
  if (rex) {
    const op = operators[i] as Extract<Operator, { kind: 'rex' }>;
    if (op.field !== '_raw' || op.maxMatch !== 1 || op.mode !== 'extract') return undefined;
    i++;
  }
  // Copies, and fields computed from one field of the line: no by-value, and nothing else, reads what an
  // eval computes (the columns give only the stats' aggregates those values, per distinct value of the base).
  const copies: Array<{ field: string; from: string }> = [];
  const derived: ColumnsShape['derived'] = [];
  const written = new Set<string>();
  for (; operators[i]?.kind === 'eval'; i++) {
    for (const a of (operators[i] as Extract<Operator, { kind: 'eval' }>).assignments) {
      if (derived.some((d) => d.field === a.field)) return undefined;
      if (a.expr.kind === 'field') {
        const from = a.expr.name;
        if (derived.some((d) => d.field === from)) return undefined;
        copies.push({ field: a.field, from });
      } else {
        const base = pureField(a.expr);
        if (base === undefined || base === '_time' || written.has(base)) return undefined;
        derived.push({ field: a.field, base, expr: a.expr });
      }
      written.add(a.field);
    }
  }
  if (!binFusesIntoStats(operators, i)) return undefined;
  const stats = operators[i + 1] as Extract<Operator, { kind: 'stats' }>;
  let key = stats.by[1];
  if (key === undefined) return undefined;
  for (let k = copies.length - 1; k >= 0; k--) if (copies[k]!.field === key) key = copies[k]!.from;
  // Fields the columns read from the line itself must be the line's: no eval wrote them (the rex's are
  // checked against its groups when it is made); the aggregates may read a computed one.
  const isDerived = (f: string) => derived.some((d) => d.field === f);
  if (stats.by.some(isDerived)) return undefined;
  const read = [...stats.by.slice(2), ...stats.aggs.flatMap((a) => (a.field === undefined || isDerived(a.field) ? [] : [a.field]))];
  if (read.some((f) => written.has(f)) || (written.has(key) && key !== stats.by[1])) return undefined;
  // The client's slot finds a group only when the key is the client (or the rex's part of it: useRex).
  if (key !== 'src' && !rex) return undefined;
  if (where && key !== 'src') return undefined;
  return { statsAt: i + 1, key, rex, ...(where ? { where } : {}), derived };
}

/** Whether a stats stage's groups can be kept in columns: see the top of this file. */
export function columnsFit(stats: StatsStage): boolean {
  const by = stats.by;
  if (stats.flushSpan === undefined || stats.flushSpan >= 86400 || stats.flushSpan <= 0) return false;
  if (by[0] !== '_time' || by[1] === undefined || by[1] === '_time' || by.length > 3 || (by.length === 3 && by[2] !== 'host')) return false;
  return stats.aggs.length > 0 && stats.aggs.every((a) => a.evalArg === undefined && (
    (a.fn === STATS_FUNCTIONS.count && a.field === undefined)
    || ((a.fn === STATS_FUNCTIONS.values || a.fn === STATS_FUNCTIONS.dc || a.fn.slots?.addTotal !== undefined)
      && a.field !== undefined && a.field !== '_time')));
}

