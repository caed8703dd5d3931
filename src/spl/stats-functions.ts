// Statistical functions for `stats`. Each creates an accumulator per group. Semantics follow Splunk:
// values() is distinct strings in lexicographic order; list() keeps pipeline order, first 100; dc() counts
// distinct strings; earliest/latest go by _time; first/last go by pipeline order. Splunk's pipeline order
// for raw events is newest first, while files are read oldest first: `reversed` tells an accumulator that
// its input arrives in the opposite of Splunk's order so that first/last/list still answer as Splunk would.
import { asNumber, scalarToString, orderScalars, type Scalar, type Value } from '../engine/value.js';

export interface Accumulator {
  add(v: Scalar, time: number): void;
  result(): Value | undefined;
}

export interface StatsFunction {
  /** The function cannot be called without an argument. */
  needsField: boolean;
  create(reversed: boolean): Accumulator;
}

const LIST_LIMIT = 100;

class Count implements Accumulator {
  n = 0;
  add(): void { this.n++; }
  result(): Value { return this.n; }
}

/**
 * The last value added, checked before anything else: a group's values come in runs (one client's method,
 * status and path repeat), and comparing with it is cheaper than hashing. 5 and "5" are one value.
 * The first distinct value is held alone and a Set is made only for a second: most groups see one status or
 * one method, and a scan opens hundreds of thousands of groups, each Set a young object the collector copies.
 */
abstract class DistinctSet {
  private one: string | undefined;
  private many: Set<string> | undefined;
  private last: Scalar | undefined;
  add(v: Scalar): void {
    if (v === this.last) return;
    this.last = v;
    const s = scalarToString(v);
    if (this.many !== undefined) this.many.add(s);
    else if (this.one === undefined) this.one = s;
    else if (s !== this.one) this.many = new Set([this.one, s]);
  }
  get size(): number {
    return this.many !== undefined ? this.many.size : this.one === undefined ? 0 : 1;
  }
  /** The distinct values as strings, in the order first seen. */
  strings(): string[] {
    return this.many !== undefined ? [...this.many] : this.one === undefined ? [] : [this.one];
  }
}

class Distinct extends DistinctSet implements Accumulator {
  result(): Value { return this.size; }
}

class Values extends DistinctSet implements Accumulator {
  result(): Value | undefined {
    const arr = this.strings();
    if (arr.length === 0) return undefined;
    if (arr.length === 1) return arr[0]!;
    return arr.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
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

class Extreme implements Accumulator {
  num: number | undefined;
  str: string | undefined;
  constructor(private readonly max: boolean) {}
  add(v: Scalar): void {
    const n = asNumber(v);
    if (n !== undefined) {
      if (this.num === undefined || (this.max ? n > this.num : n < this.num)) this.num = n;
    } else {
      const s = scalarToString(v);
      if (this.str === undefined || (this.max ? orderScalars(s, this.str) > 0 : orderScalars(s, this.str) < 0)) this.str = s;
    }
  }
  // Numbers win over strings: min/max of a field with some numbers are numeric, as in Splunk.
  result(): Value | undefined { return this.num !== undefined ? this.num : this.str; }
}

class Moments implements Accumulator {
  n = 0;
  sum = 0;
  sumSq = 0;
  min = Infinity;
  max = -Infinity;
  constructor(private readonly kind: 'sum' | 'avg' | 'range' | 'stdev' | 'var') {}
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
      case 'sum': return tidy(this.sum);
      case 'avg': return tidy(this.sum / this.n);
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

/** Removes binary float noise (0.1+0.2) without changing meaningful digits. */
function tidy(x: number): number {
  return Number.isInteger(x) ? x : Number(x.toPrecision(15));
}

export const STATS_FUNCTIONS: Record<string, StatsFunction> = {
  count: { needsField: false, create: () => new Count() },
  dc: { needsField: true, create: () => new Distinct() },
  values: { needsField: true, create: () => new Values() },
  list: { needsField: true, create: (r) => new List(r) },
  earliest: { needsField: true, create: () => new ByTime(false) },
  latest: { needsField: true, create: () => new ByTime(true) },
  first: { needsField: true, create: (r) => new ByOrder(!r) },
  last: { needsField: true, create: (r) => new ByOrder(r) },
  min: { needsField: true, create: () => new Extreme(false) },
  max: { needsField: true, create: () => new Extreme(true) },
  sum: { needsField: true, create: () => new Moments('sum') },
  avg: { needsField: true, create: () => new Moments('avg') },
  range: { needsField: true, create: () => new Moments('range') },
  stdev: { needsField: true, create: () => new Moments('stdev') },
  var: { needsField: true, create: () => new Moments('var') },
};

const ALIASES: Record<string, string> = { c: 'count', distinct_count: 'dc', mean: 'avg' };

export function canonicalStatsName(name: string): string | undefined {
  const n = name.toLowerCase();
  return ALIASES[n] ?? (n in STATS_FUNCTIONS ? n : undefined);
}
