// The per-event half of `stats`, generated for each stats command: by-fields and aggregate inputs are read
// by their names written into the code, and each aggregate's `add` is called at its own site with its slots'
// offset written in, so each site only ever meets one kind of accumulator. The general loop
// (feedAccumulators) met every kind at one site.
import { asNumber, type Row, type Scalar } from '../value.js';
import type { AggSpec } from './stats.js';
import type { SlotAccumulator } from '../../spl/stats-functions.js';
import { generated } from '../generated-code.js';
import { binTime } from './bin.js';
import type { TimeBin } from '../bin-into-stats.js';

/** A group as the generated code sees it: an array holding its by-values, then its aggregates' slots. */
type Slotted = unknown[];

/** What the generated code needs from its StatsStage. */
export interface StatsHost<G extends Slotted> {
  /** The group of the last single-valued event, and its by-values. */
  lastGroup: G | undefined;
  readonly lastValues: Scalar[];
  /** The group of these (single) by-values, made when new; does not feed it. */
  groupOf(values: Scalar[]): G;
  /**
   * An event with a multivalue by-field: fed to one group per combination, and flushed. `first` is its first
   * by-value (binned, when the kernel bins _time).
   */
  pushMultivalue(row: Row, first: Scalar | Scalar[] | undefined): void;
  /** maybeFlush for an event whose _time (the first by-field, when the host flushes) is `v`. */
  maybeFlushAt(v: Scalar | Scalar[] | undefined): void;
}

export interface StatsKernel<G> {
  /** Places one event in its group and adds it to the group's aggregates. */
  push: (row: Row) => void;
  /** Adds one event to a group's aggregates; `t` is its _time (binned, when the kernel bins _time). */
  feed: (g: G, row: Row, t: Scalar | Scalar[] | undefined) => void;
}

/**
 * `bin`, given, is the binning of the bin before the stats (bin-into-stats.ts): by[0] is _time, and the
 * kernel takes the event's _time binned wherever the bin's row would have given it.
 */
export function statsKernel<G extends Slotted>(host: StatsHost<G>, by: readonly string[], aggs: readonly AggSpec[],
  slots: readonly SlotAccumulator[], offsets: readonly number[], flushes: boolean, bin?: TimeBin): StatsKernel<G> {
  const q = (s: string) => JSON.stringify(s);
  const code: string[] = [];
  by.forEach((f, i) => code.push(`${i === 0 && bin ? 'let' : 'const'} v${i} = row[${q(f)}];`));
  // As BinStage: a _time that is not a number is left as it is.
  if (bin) code.push(`{ const n = typeof v0 === 'number' && v0 === v0 ? v0 : asNumber(v0); if (n !== undefined) v0 = binTime(n, span, tz); }`);
  const same = by.map((_, i) => `v${i} === lv[${i}]`).join(' && ') || 'true';
  const missing = by.map((_, i) => `v${i} === undefined`).join(' || ') || 'false';
  const multi = by.map((_, i) => `isArray(v${i})`).join(' || ') || 'false';
  code.push(`
    const lv = host.lastValues;
    let g = host.lastGroup;
    if (g === undefined || !(${same})) {
      host.lastGroup = undefined;
      if (${missing}) return;
      if (${multi}) { host.pushMultivalue(row, v0); return; }
      ${by.map((_, i) => `lv[${i}] = v${i};`).join(' ')}
      g = host.groupOf(lv);
      host.lastGroup = g;
    }
    feed(g, row, ${bin ? 'v0' : 'row._time'});`);
  // A host that flushes is by _time first: v0 is the event's _time.
  if (flushes) code.push('host.maybeFlushAt(v0);');
  const feed: string[] = [`
    const s = g;
    const time = typeof t === 'number' && t === t ? t : (asNumber(t) ?? 0);`];
  aggs.forEach((a, i) => {
    // A function without slots keeps its accumulator object in one slot: its add is called from here, so
    // that the call site meets that one class.
    const add = (v: string) => a.fn.slots ? `add${i}(s, ${offsets[i]}, ${v}, time);` : `s[${offsets[i]}].add(${v}, time);`;
    if (a.evalArg) {
      feed.push(`{ const v = ev${i}(row); if (v !== undefined && v !== false) { if (v === true) ${add('1')} else if (isArray(v)) { for (const x of v) ${add('x')} } else ${add('v')} } }`);
    } else if (a.field === undefined) {
      feed.push(add('1'));
    } else {
      feed.push(`{ const v = row[${q(a.field)}]; if (v !== undefined) { if (isArray(v)) { for (const x of v) ${add('x')} } else ${add('v')} } }`);
    }
  });
  const evs = aggs.map((_, i) => `ev${i}`);
  const adds = aggs.map((_, i) => `add${i}`);
  const make = generated<(...args: unknown[]) => StatsKernel<G>>(['host', 'asNumber', 'isArray', 'binTime', 'span', 'tz', ...evs, ...adds],
    `const feed = (g, row, t) => {\n${feed.join('\n')}\n};\nreturn { feed, push: (row) => {\n${code.join('\n')}\n} };`);
  return make(host, asNumber, Array.isArray, binTime, bin?.span, bin?.tz, ...aggs.map((a) => a.evalArg), ...slots.map((k) => k.add));
}

/**
 * Makes a stats command's groups: each one array of `size` + 1 slots, its `width` by-values first, then the
 * aggregates' slots (at `offsets`, which count from after the by-values), then the order it was made in (at
 * `size`), written as literals; or, given a group `release` has emptied, that group filled again (StatsStage
 * keeps some). Finding an event's group reads its by-values and feeding it reads its slots: one array is one
 * object fetched from memory, where a group object holding an array of by-values and one of slots was three
 * (groups are many and scattered, so each fetch is a cache miss). A group lives through its bin and the hour
 * after, long enough for the young generation to copy it and promote it to the old one; one filled again is in
 * the old generation already.
 */
export function groupMaker<G>(width: number, slots: readonly SlotAccumulator[], offsets: readonly number[], size: number): {
  make: (values: readonly Scalar[], seq: number, spare: G | undefined) => G;
  /** Empties a group whose row has been made, so that it holds nothing of its values until it is filled again. */
  release: (g: G) => void;
} {
  const fresh = [...Array.from({ length: size }, (_, i) => (i < width ? `values[${i}]` : 'undefined')), 'seq'].join(', ');
  const refill = Array.from({ length: width }, (_, i) => `s[${i}] = values[${i}];`).join(' ');
  const clear = Array.from({ length: size }, (_, i) => `s[${i}] = undefined;`).join(' ');
  const inits = slots.map((_, i) => `init${i}(s, ${offsets[i]});`).join(' ');
  return generated<(...inits: unknown[]) => ReturnType<typeof groupMaker<G>>>(slots.map((_, i) => `init${i}`), `return {
    make: (values, seq, spare) => {
      if (spare !== undefined) { const s = spare; ${refill} ${inits} s[${size}] = seq; return s; }
      const s = [${fresh}]; ${inits} return s;
    },
    release: (s) => { ${clear} },
  };`)(...slots.map((k) => k.init));
}

/**
 * Makes a group's row: its by-fields, then the results of the aggregates `aggs` (indexes into `slots`), each
 * absent when it has none and a later one of a name replacing an earlier, as writing them one by one in a loop
 * does. Generated per stats with the names written in: a loop's stores of names read from a list meet every
 * stats' rows at one site, where V8 looks each name up the slow way.
 */
export function rowMaker<G extends Slotted>(by: readonly string[], names: readonly string[], slots: readonly SlotAccumulator[], offsets: readonly number[], aggs: readonly number[]): (g: G) => Row {
  const q = (s: string) => JSON.stringify(s);
  const body = [
    ...by.map((f, i) => `out[${q(f)}] = s[${i}];`),
    ...aggs.map((a) => `v = slot${a}.result(s, ${offsets[a]}); if (v !== undefined) out[${q(names[a]!)}] = v;`),
  ].join('\n');
  const make = generated<(...slots: SlotAccumulator[]) => (g: G) => Row>(slots.map((_, i) => `slot${i}`),
    `return (s) => { const out = {}; let v;\n${body}\nreturn out; };`);
  return make(...slots);
}
