// The value model shared by the parser, eval, stats and outputs.
// Splunk fields are strings that behave as numbers when they look like numbers; we keep
// numbers as numbers where the parser knows them (status, response_time_ms, _time) and
// treat numeric-looking strings as numbers in arithmetic and comparisons.

export type Scalar = string | number;
/** A field value: a scalar or a multivalue (array of scalars). Missing fields are `undefined`. */
export type Value = Scalar | Scalar[];
export type Row = Record<string, Value | undefined>;

// Splunk's idea of "numeric-looking": optional sign, digits, optional fraction, optional exponent.
export const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** NUMERIC.test(t) by character codes (the comparisons in every detection ask it of most values). */
export function looksNumeric(t: string): boolean {
  const n = t.length;
  let i = 0;
  let c = t.charCodeAt(0);
  if (c === 43 || c === 45) i = 1;
  let whole = 0, frac = 0;
  while (i < n && (c = t.charCodeAt(i)) >= 48 && c <= 57) { i++; whole++; }
  if (i < n && t.charCodeAt(i) === 46) {
    i++;
    while (i < n && (c = t.charCodeAt(i)) >= 48 && c <= 57) { i++; frac++; }
  }
  if (whole === 0 && frac === 0) return false;
  if (i < n && (t.charCodeAt(i) | 32) === 101) {
    i++;
    c = t.charCodeAt(i);
    if (c === 43 || c === 45) i++;
    let exp = 0;
    while (i < n && (c = t.charCodeAt(i)) >= 48 && c <= 57) { i++; exp++; }
    if (exp === 0) return false;
  }
  return i === n;
}

/**
 * Number(t) when t looks numeric, else undefined. A plain decimal of at most 15 digits (a latency, a count,
 * an epoch time) is read as it is checked: its digits as an integer below 2^53 divided by an exact power of ten
 * is one correctly rounded division, the same double Number() gives. Anything else is left to Number().
 */
function numericValue(t: string): number | undefined {
  const n = t.length;
  // A number ends in a digit or a point ("5."): a latency's unit, a path or a word is turned away unread.
  const end = t.charCodeAt(n - 1);
  if ((end < 48 || end > 57) && end !== 46) return undefined;
  let i = 0;
  let c = t.charCodeAt(0);
  const negative = c === 45;
  if (negative || c === 43) i = 1;
  let v = 0, digits = 0, scale = 0;
  while (i < n && (c = t.charCodeAt(i)) >= 48 && c <= 57) { v = v * 10 + (c - 48); i++; digits++; }
  if (i < n && c === 46) {
    i++;
    while (i < n && (c = t.charCodeAt(i)) >= 48 && c <= 57) { v = v * 10 + (c - 48); i++; digits++; scale++; }
  }
  if (i === n && digits > 0 && digits <= 15) {
    const x = scale === 0 ? v : v / POW10[scale]!;
    return negative ? -x : x;
  }
  // Stopped short of the end at anything but an exponent: looksNumeric would stop at the same character and
  // say no (a latency such as "115.079328ms", a method, a path), so it is not asked to read the string again.
  if (i < n && (t.charCodeAt(i) | 32) !== 101) return undefined;
  return looksNumeric(t) ? Number(t) : undefined;
}

const POW10 = Array.from({ length: 16 }, (_, k) => Number(`1e${k}`));

/** The number a scalar stands for, or undefined when it does not look numeric. */
export function asNumber(v: Value | undefined | null | boolean): number | undefined {
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  if (typeof v === 'string') {
    if (v.length === 0 || v.length > 64) return undefined;
    const first = v.charCodeAt(0), last = v.charCodeAt(v.length - 1);
    // trim() only when an end could be whitespace: most values are bare, and this runs for every comparison.
    const t = first <= 32 || last <= 32 || first >= 160 || last >= 160 ? v.trim() : v;
    return numericValue(t);
  }
  if (Array.isArray(v)) return v.length === 1 ? asNumber(v[0]) : undefined;
  return undefined;
}

/** Splunk's string form of a number: integers without a decimal point, others as JS prints them. */
export function numberToString(n: number): string {
  // JavaScript prints integers below 1e21 without a decimal point or exponent, as Splunk does; String() also
  // hits V8's number-string cache, which matters for the status codes and times seen millions of times.
  return String(n);
}

export function scalarToString(v: Scalar): string {
  return typeof v === 'number' ? numberToString(v) : v;
}

/** Values of a field as a list (a scalar becomes a one-element list, missing becomes empty). */
export function valuesOf(v: Value | undefined): Scalar[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** Display form: multivalue joined with newlines, as Splunk's table shows them. */
export function valueToString(v: Value | undefined, mvSeparator = '\n'): string {
  if (v === undefined) return '';
  if (Array.isArray(v)) return v.map(scalarToString).join(mvSeparator);
  return scalarToString(v);
}

/**
 * Splunk's comparison: numeric when both sides look numeric, otherwise lexicographic on the strings.
 * Returns <0, 0, >0.
 */
export function compareScalars(a: Scalar, b: Scalar): number {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  const sa = scalarToString(a);
  const sb = scalarToString(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Ordering for sort and stats groups: numbers before strings, numbers numerically, strings lexicographically. */
export function orderScalars(a: Scalar | undefined, b: Scalar | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  if (na !== undefined) return -1;
  if (nb !== undefined) return 1;
  const sa = scalarToString(a);
  const sb = scalarToString(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export function firstScalar(v: Value | undefined): Scalar | undefined {
  if (Array.isArray(v)) return v[0];
  return v;
}
