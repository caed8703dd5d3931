// The per-event half of `stats`, generated for each stats command: by-fields and aggregate inputs are read
// by their names written into the code, and each aggregate's `add` is called at its own site, which only ever
// meets one accumulator class. The general loop (feedAccumulators) met every class at one site.
import { asNumber, type Row, type Scalar } from '../value.js';
import type { AggSpec } from './stats.js';
import type { Accumulator } from '../../spl/stats-functions.js';
import { generated } from '../generated-code.js';

/** What the generated code needs from its StatsStage. */
export interface StatsHost {
  /** The group of the last single-valued event, and its by-values. */
  lastGroup: { accs: Accumulator[] } | undefined;
  readonly lastValues: Scalar[];
  /** The group of these (single) by-values, made when new; does not feed it. */
  groupOf(values: Scalar[]): { accs: Accumulator[] };
  /** An event with a multivalue by-field: fed to one group per combination, and flushed. */
  pushMultivalue(row: Row): void;
  maybeFlush(row: Row): void;
}

export function statsPush(host: StatsHost, by: readonly string[], aggs: readonly AggSpec[], flushes: boolean): (row: Row) => void {
  const q = (s: string) => JSON.stringify(s);
  const code: string[] = [];
  by.forEach((f, i) => code.push(`const v${i} = row[${q(f)}];`));
  const same = by.map((_, i) => `v${i} === lv[${i}]`).join(' && ') || 'true';
  const missing = by.map((_, i) => `v${i} === undefined`).join(' || ') || 'false';
  const multi = by.map((_, i) => `isArray(v${i})`).join(' || ') || 'false';
  code.push(`
    const lv = host.lastValues;
    let g = host.lastGroup;
    if (g === undefined || !(${same})) {
      host.lastGroup = undefined;
      if (${missing}) return;
      if (${multi}) { host.pushMultivalue(row); return; }
      ${by.map((_, i) => `lv[${i}] = v${i};`).join(' ')}
      g = host.groupOf(lv);
      host.lastGroup = g;
    }
    const accs = g.accs;
    const t = row._time;
    const time = typeof t === 'number' && t === t ? t : (asNumber(t) ?? 0);`);
  aggs.forEach((a, i) => {
    if (a.evalArg) {
      code.push(`{ const v = ev${i}(row); if (v !== undefined && v !== false) { if (v === true) accs[${i}].add(1, time); else if (isArray(v)) { for (const x of v) accs[${i}].add(x, time); } else accs[${i}].add(v, time); } }`);
    } else if (a.field === undefined) {
      code.push(`accs[${i}].add(1, time);`);
    } else {
      code.push(`{ const v = row[${q(a.field)}]; if (v !== undefined) { if (isArray(v)) { for (const x of v) accs[${i}].add(x, time); } else accs[${i}].add(v, time); } }`);
    }
  });
  if (flushes) code.push('host.maybeFlush(row);');
  const evs = aggs.map((a, i) => `ev${i}`);
  const make = generated<(...args: unknown[]) => (row: Row) => void>(['host', 'asNumber', 'isArray', ...evs], `return (row) => {\n${code.join('\n')}\n};`);
  return make(host, asNumber, Array.isArray, ...aggs.map((a) => a.evalArg));
}
