// Statistical functions for `stats`. Each creates an accumulator per group. Semantics follow Splunk:
// values() is distinct strings in lexicographic order; list() keeps pipeline order, first 100; dc() counts
// distinct strings; earliest/latest go by _time; first/last go by pipeline order. Splunk's pipeline order
// for raw events is newest first, while files are read oldest first: `reversed` tells an accumulator that
// its input arrives in the opposite of Splunk's order so that first/last/list still answer as Splunk would.
import { asNumber, scalarToString, orderScalars, type Scalar, type Value } from '../engine/value.js';
import { table } from '../util/table.js';
// Binary float noise (0.1+0.2) rounded away without changing meaningful digits.
import { fifteenDigits as tidy } from '../util/fifteen-digits.js';

export interface Accumulator {
  add(v: Scalar, time: number): void;
  result(): Value | undefined;
}

/**
 * An accumulator kept in a few slots of an array its caller owns instead of in an object of its own: stats
 * keeps each open group's state in one array, and a scan holds hundreds of thousands of groups, each object
 * of which the collector copies while the group waits for its bin to close.
 */
export interface SlotAccumulator {
  readonly size: number;
  init(s: unknown[], at: number): void;
  add(s: unknown[], at: number, v: Scalar, time: number): void;
  result(s: unknown[], at: number): Value | undefined;
  /**
   * sum() and avg(): `n` numbers whose sum, added in the order read from 0, is `total`, added at once (the
   * columns of stats-columns.ts sum a group's numbers as they come; fed to a new group, 0 + total is the sum
   * the numbers one by one would have made).
   */
  addTotal?(s: unknown[], at: number, n: number, total: number): void;
}

export interface StatsFunction {
  /** The function cannot be called without an argument. */
  needsField: boolean;
  create(reversed: boolean): Accumulator;
  /** Its state as slots of an array (count, dc, values, sum, avg, min, max); the others keep an object per group. */
  slots?: SlotAccumulator;
}

const LIST_LIMIT = 100;

const COUNT: SlotAccumulator = {
  size: 1,
  init(s, at) { s[at] = 0; },
  add(s, at) { s[at] = (s[at] as number) + 1; },
  result(s, at) { return s[at] as number; },
};

/** Distinct values kept in a plain array before a Set is made for them: a Set is several objects. */
const FEW = 8;

/**
 * Distinct values in three slots: the first distinct value alone; the others in an array while they are few
 * (most groups see one or two statuses and methods), in a Set (with the first) past FEW; and the last value
 * added, checked before anything else (a group's values come in runs: one client's method, status and path
 * repeat, and comparing is cheaper than hashing). 5 and "5" are one value. A group lives through its bin and
 * the hour after, so what it holds is copied by the collector: an array of two strings is one small object
 * where a Set is a table and its entries.
 */
function addDistinct(s: unknown[], at: number, v: Scalar): void {
  if (v === s[at + 2]) return;
  s[at + 2] = v;
  const x = scalarToString(v);
  const first = s[at] as string | undefined;
  if (first === undefined) { s[at] = x; return; }
  if (x === first) return;
  const more = s[at + 1] as string[] | Set<string> | undefined;
  if (more === undefined) s[at + 1] = [x];
  else if (Array.isArray(more)) {
    if (more.includes(x)) return;
    if (more.length < FEW) more.push(x);
    else s[at + 1] = new Set([first, ...more, x]);
  } else more.add(x);
}

/** The distinct values, in no order. */
function distinctValues(s: unknown[], at: number): string[] {
  const first = s[at] as string | undefined;
  const more = s[at + 1] as string[] | Set<string> | undefined;
  if (first === undefined) return [];
  if (more === undefined) return [first];
  return Array.isArray(more) ? [first, ...more] : [...more];
}

function distinctSize(s: unknown[], at: number): number {
  const more = s[at + 1] as string[] | Set<string> | undefined;
  if (more === undefined) return s[at] === undefined ? 0 : 1;
  return Array.isArray(more) ? 1 + more.length : more.size;
}

const DC: SlotAccumulator = {
  size: 3,
  init() { /* the slots start undefined */ },
  add: addDistinct,
  result: distinctSize,
};

const VALUES: SlotAccumulator = {
  size: 3,
  init() { /* the slots start undefined */ },
  add: addDistinct,
  result(s, at) {
    if (s[at + 1] === undefined) return s[at] as string | undefined;
    return distinctValues(s, at).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  },
};

/** sum() and avg() in two slots, the count of numbers and their sum, added in the order read. */
function sumSlots(avg: boolean): SlotAccumulator {
  return {
    size: 2,
    init(s, at) { s[at] = 0; s[at + 1] = 0; },
    add(s, at, v) {
      const x = asNumber(v);
      if (x === undefined) return;
      s[at] = (s[at] as number) + 1;
      s[at + 1] = (s[at + 1] as number) + x;
    },
    addTotal(s, at, n, total) {
      s[at] = (s[at] as number) + n;
      s[at + 1] = (s[at + 1] as number) + total;
    },
    result(s, at) {
      const n = s[at] as number;
      if (n === 0) return undefined;
      return tidy(avg ? (s[at + 1] as number) / n : (s[at + 1] as number));
    },
  };
}

/** min() and max() in two slots, the extreme number and the extreme text: numbers win over strings, so min/max
 * of a field with some numbers are numeric, as in Splunk. */
function extremeSlots(max: boolean): SlotAccumulator {
  return {
    size: 2,
    init() { /* the slots start undefined */ },
    add(s, at, v) {
      const n = asNumber(v);
      if (n !== undefined) {
        const num = s[at] as number | undefined;
        if (num === undefined || (max ? n > num : n < num)) s[at] = n;
      } else {
        const x = scalarToString(v), str = s[at + 1] as string | undefined;
        if (str === undefined || (max ? orderScalars(x, str) > 0 : orderScalars(x, str) < 0)) s[at + 1] = x;
      }
    },
    result(s, at) { return s[at] !== undefined ? s[at] as number : s[at + 1] as string | undefined; },
  };
}

const SUM = sumSlots(false), AVG = sumSlots(true), MIN = extremeSlots(false), MAX = extremeSlots(true);

/** A slot accumulator as an object of its own (eventstats and streamstats keep one per group). */
class InSlots implements Accumulator {
  private readonly s: unknown[];
  constructor(private readonly k: SlotAccumulator) {
    this.s = new Array<unknown>(k.size);
    k.init(this.s, 0);
  }
  add(v: Scalar, time: number): void { this.k.add(this.s, 0, v, time); }
  result(): Value | undefined { return this.k.result(this.s, 0); }
}

class List implements Accumulator {
  items: Scalar[] = [];
  constructor(private readonly reversed: boolean) {}
  add(v: Scalar): void {
    if (this.reversed) {
      // Splunk would see these newest first: keep the last 100 read, newest first.
      this.items.push(v);
      if (this.items.length > LIST_LIMIT * 2) this.items.splice(0, this.items.length - LIST_LIMIT);
    } else if (this.items.length < LIST_LIMIT) this.items.push(v);
  }
  result(): Value | undefined {
    const out = this.reversed ? this.items.slice(-LIST_LIMIT).reverse() : this.items;
    if (out.length === 0) return undefined;
    return out.length === 1 ? out[0]! : out;
  }
}

class ByTime implements Accumulator {
  best: Scalar | undefined;
  bestTime = 0;
  constructor(private readonly latest: boolean) {}
  add(v: Scalar, time: number): void {
    if (this.best === undefined || (this.latest ? time >= this.bestTime : time < this.bestTime)) {
      this.best = v;
      this.bestTime = time;
    }
  }
  result(): Value | undefined { return this.best; }
}

class ByOrder implements Accumulator {
  value: Scalar | undefined;
  constructor(private readonly keepFirstSeen: boolean) {}
  add(v: Scalar): void {
    if (!this.keepFirstSeen || this.value === undefined) this.value = v;
  }
  result(): Value | undefined { return this.value; }
}

class Moments implements Accumulator {
  n = 0;
  sum = 0;
  sumSq = 0;
  min = Infinity;
  max = -Infinity;
  constructor(private readonly kind: 'range' | 'stdev' | 'var') {}
  add(v: Scalar): void {
    const x = asNumber(v);
    if (x === undefined) return;
    this.n++;
    this.sum += x;
    this.sumSq += x * x;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }
  result(): Value | undefined {
    if (this.n === 0) return undefined;
    switch (this.kind) {
      case 'range': return tidy(this.max - this.min);
      case 'var':
      case 'stdev': {
        if (this.n < 2) return undefined;
        const variance = Math.max(0, (this.sumSq - (this.sum * this.sum) / this.n) / (this.n - 1));
        return tidy(this.kind === 'var' ? variance : Math.sqrt(variance));
      }
    }
  }
}

export const STATS_FUNCTIONS: Readonly<Record<string, StatsFunction>> = table({
  count: { needsField: false, create: () => new InSlots(COUNT), slots: COUNT },
  dc: { needsField: true, create: () => new InSlots(DC), slots: DC },
  values: { needsField: true, create: () => new InSlots(VALUES), slots: VALUES },
  list: { needsField: true, create: (r) => new List(r) },
  earliest: { needsField: true, create: () => new ByTime(false) },
  latest: { needsField: true, create: () => new ByTime(true) },
  first: { needsField: true, create: (r) => new ByOrder(!r) },
  last: { needsField: true, create: (r) => new ByOrder(r) },
  min: { needsField: true, create: () => new InSlots(MIN), slots: MIN },
  max: { needsField: true, create: () => new InSlots(MAX), slots: MAX },
  sum: { needsField: true, create: () => new InSlots(SUM), slots: SUM },
  avg: { needsField: true, create: () => new InSlots(AVG), slots: AVG },
  range: { needsField: true, create: () => new Moments('range') },
  stdev: { needsField: true, create: () => new Moments('stdev') },
  var: { needsField: true, create: () => new Moments('var') },
});

const ALIASES: Readonly<Record<string, string>> = table({ c: 'count', distinct_count: 'dc', mean: 'avg' });

export function canonicalStatsName(name: string): string | undefined {
  const n = name.toLowerCase();
  return ALIASES[n] ?? (n in STATS_FUNCTIONS ? n : undefined);
}
