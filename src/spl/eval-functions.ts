// eval functions. Each takes already-evaluated arguments (except the lazy ones: if, case, coalesce,
// which the compiler handles) and returns a value or undefined (Splunk's null).
import { hexDigest } from '../util/hash.js';
import { asNumber, scalarToString, valuesOf, type Scalar, type Value } from '../engine/value.js';
import { strftime, strptime } from '../util/timeformat.js';
import type { TimeZone } from '../util/timezone.js';
import { compileSplRegex, toJsReplacement } from './regex.js';
import { cidrMatch } from '../util/cidr.js';
import { table } from '../util/table.js';

export type EvalValue = Value | boolean | undefined;

export interface EvalContext {
  tz: TimeZone;
  /** Epoch seconds of "now" for now()/relative_time(): pinned per search so results are reproducible. */
  now: number;
}

export interface EvalFunction {
  min: number;
  max: number;
  fn: (args: EvalValue[], ctx: EvalContext) => EvalValue;
}

/** Functions the compiler evaluates lazily (only the branches it needs). */
export const LAZY_FUNCTIONS: Readonly<Record<string, { min: number; max: number }>> = table({
  if: { min: 3, max: 3 },
  case: { min: 2, max: 200 },
  coalesce: { min: 1, max: 200 },
  validate: { min: 2, max: 200 },
});

export function truthy(v: EvalValue): boolean {
  if (typeof v === 'boolean') return v;
  return false;
}

export function str(v: EvalValue): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return v.length > 0 ? scalarToString(v[0]!) : undefined;
  return scalarToString(v);
}

export function num(v: EvalValue): number | undefined {
  if (typeof v === 'boolean' || v === undefined) return undefined;
  return asNumber(v);
}

function mv(v: EvalValue): Scalar[] {
  if (v === undefined || typeof v === 'boolean') return [];
  return valuesOf(v);
}

function fromList(list: Scalar[]): Value | undefined {
  if (list.length === 0) return undefined;
  return list.length === 1 ? list[0]! : list;
}

function likeToRegex(pattern: string): RegExp {
  let src = '^';
  for (const c of pattern) {
    if (c === '%') src += '[\\s\\S]*';
    else if (c === '_') src += '[\\s\\S]';
    else src += c.replace(/[.*+?^${}()|[\]\\\/]/g, '\\$&');
  }
  return new RegExp(src + '$');
}

const likeCache = new Map<string, RegExp>();
export function like(text: string, pattern: string): boolean {
  let re = likeCache.get(pattern);
  if (!re) {
    re = likeToRegex(pattern);
    if (likeCache.size > 1000) likeCache.clear();
    likeCache.set(pattern, re);
  }
  return re.test(text);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  // Half away from zero, as Splunk rounds.
  const r = Math.sign(x) * Math.round(Math.abs(x) * f + 1e-9) / f;
  return Object.is(r, -0) ? 0 : r;
}

export const EVAL_FUNCTIONS: Readonly<Record<string, EvalFunction>> = table({
  // --- comparison and conditional
  match: { min: 2, max: 2, fn: ([s, re]) => {
    const pattern = str(re);
    if (pattern === undefined) return undefined;
    const values = mv(s);
    if (values.length === 0) return undefined;
    const r = compileSplRegex(pattern, 0).re;
    return values.some((v) => { r.lastIndex = 0; return r.test(scalarToString(v)); });
  } },
  like: { min: 2, max: 2, fn: ([s, p]) => {
    const t = str(s), pat = str(p);
    if (t === undefined || pat === undefined) return undefined;
    return like(t, pat);
  } },
  isnull: { min: 1, max: 1, fn: ([v]) => v === undefined },
  isnotnull: { min: 1, max: 1, fn: ([v]) => v !== undefined },
  null: { min: 0, max: 0, fn: () => undefined },
  nullif: { min: 2, max: 2, fn: ([a, b]) => (str(a) === str(b) ? undefined : a) },
  true: { min: 0, max: 0, fn: () => true },
  false: { min: 0, max: 0, fn: () => false },
  isnum: { min: 1, max: 1, fn: ([v]) => num(v) !== undefined },
  isint: { min: 1, max: 1, fn: ([v]) => { const n = num(v); return n !== undefined && Number.isInteger(n); } },
  isstr: { min: 1, max: 1, fn: ([v]) => v !== undefined && typeof v !== 'boolean' && num(v) === undefined },
  typeof: { min: 1, max: 1, fn: ([v]) => v === undefined ? 'Invalid' : typeof v === 'boolean' ? 'Boolean' : num(v) !== undefined ? 'Number' : 'String' },
  cidrmatch: { min: 2, max: 2, fn: ([cidr, ip]) => {
    const c = str(cidr);
    if (c === undefined) return undefined;
    const ips = mv(ip);
    if (ips.length === 0) return false;
    return ips.some((x) => cidrMatch(c, scalarToString(x)));
  } },
  // --- conversion
  tonumber: { min: 1, max: 2, fn: ([v, b]) => {
    if (typeof v === 'number') return v;
    const s = str(v);
    if (s === undefined) return undefined;
    const base = b === undefined ? 10 : num(b);
    if (base === undefined || base < 2 || base > 36) return undefined;
    if (base === 10) return asNumber(s.trim());
    const t = s.trim().toLowerCase().replace(base === 16 ? /^0x/ : /^$/, '');
    const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
    if (t.length === 0 || [...t].some((c) => !digits.includes(c))) return undefined;
    return parseInt(t, base);
  } },
  tostring: { min: 1, max: 2, fn: ([v, f]) => {
    if (v === undefined) return undefined;
    const fmt = str(f);
    const n = num(v);
    if (fmt === 'hex' && n !== undefined) return '0x' + Math.trunc(n).toString(16).toUpperCase();
    if (fmt === 'commas' && n !== undefined) {
      const r = round(n, 2);
      const [i, d] = String(Math.abs(r)).split('.');
      return (r < 0 ? '-' : '') + i!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (d ? '.' + d : '');
    }
    if (fmt === 'duration' && n !== undefined) {
      const t = Math.trunc(n);
      const d = Math.floor(t / 86400), h = Math.floor((t % 86400) / 3600), m = Math.floor((t % 3600) / 60), s = t % 60;
      const hms = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
      return d > 0 ? `${d}+${hms}` : hms;
    }
    if (typeof v === 'boolean') return v ? 'True' : 'False';
    if (Array.isArray(v)) return v.map(scalarToString) as Scalar[];
    return scalarToString(v);
  } },
  // --- math
  round: { min: 1, max: 2, fn: ([v, d]) => { const n = num(v); const k = d === undefined ? 0 : num(d); return n === undefined || k === undefined ? undefined : round(n, Math.trunc(k)); } },
  abs: { min: 1, max: 1, fn: ([v]) => { const n = num(v); return n === undefined ? undefined : Math.abs(n); } },
  ceil: { min: 1, max: 1, fn: ([v]) => { const n = num(v); return n === undefined ? undefined : Math.ceil(n); } },
  ceiling: { min: 1, max: 1, fn: ([v]) => { const n = num(v); return n === undefined ? undefined : Math.ceil(n); } },
  floor: { min: 1, max: 1, fn: ([v]) => { const n = num(v); return n === undefined ? undefined : Math.floor(n); } },
  sqrt: { min: 1, max: 1, fn: ([v]) => { const n = num(v); return n === undefined || n < 0 ? undefined : Math.sqrt(n); } },
  pow: { min: 2, max: 2, fn: ([a, b]) => { const x = num(a), y = num(b); return x === undefined || y === undefined ? undefined : x ** y; } },
  exp: { min: 1, max: 1, fn: ([v]) => { const n = num(v); return n === undefined ? undefined : Math.exp(n); } },
  ln: { min: 1, max: 1, fn: ([v]) => { const n = num(v); return n === undefined || n <= 0 ? undefined : Math.log(n); } },
  log: { min: 1, max: 2, fn: ([v, b]) => { const n = num(v); const base = b === undefined ? 10 : num(b); return n === undefined || base === undefined || n <= 0 ? undefined : Math.log(n) / Math.log(base); } },
  pi: { min: 0, max: 0, fn: () => Math.PI },
  min: { min: 1, max: 100, fn: (args) => extreme(args, false) },
  max: { min: 1, max: 100, fn: (args) => extreme(args, true) },
  // --- text
  len: { min: 1, max: 1, fn: ([v]) => { const s = str(v); return s === undefined ? undefined : [...s].length; } },
  lower: { min: 1, max: 1, fn: ([v]) => { const s = str(v); return s === undefined ? undefined : s.toLowerCase(); } },
  upper: { min: 1, max: 1, fn: ([v]) => { const s = str(v); return s === undefined ? undefined : s.toUpperCase(); } },
  trim: { min: 1, max: 2, fn: ([v, c]) => trim(v, c, true, true) },
  ltrim: { min: 1, max: 2, fn: ([v, c]) => trim(v, c, true, false) },
  rtrim: { min: 1, max: 2, fn: ([v, c]) => trim(v, c, false, true) },
  substr: { min: 2, max: 3, fn: ([v, s, l]) => {
    const t = str(v); const start = num(s); const len = l === undefined ? undefined : num(l);
    if (t === undefined || start === undefined || (l !== undefined && len === undefined)) return undefined;
    const chars = [...t];
    // 1-based; a negative start counts from the end.
    let from = start > 0 ? start - 1 : start < 0 ? chars.length + start : 0;
    if (from < 0) from = 0;
    const to = len === undefined ? chars.length : from + Math.max(0, len);
    return chars.slice(from, to).join('');
  } },
  replace: { min: 3, max: 3, fn: ([v, re, rep]) => {
    const t = str(v), pattern = str(re), r = str(rep);
    if (t === undefined || pattern === undefined || r === undefined) return undefined;
    const c = compileSplRegex(pattern, 0, 'g');
    return t.replace(c.re, toJsReplacement(r));
  } },
  urldecode: { min: 1, max: 1, fn: ([v]) => { const s = str(v); if (s === undefined) return undefined; try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; } } },
  md5: { min: 1, max: 1, fn: ([v]) => hash('md5', v) },
  sha1: { min: 1, max: 1, fn: ([v]) => hash('sha1', v) },
  sha256: { min: 1, max: 1, fn: ([v]) => hash('sha256', v) },
  // --- time
  now: { min: 0, max: 0, fn: (_a, ctx) => ctx.now },
  time: { min: 0, max: 0, fn: (_a, ctx) => ctx.now },
  strftime: { min: 2, max: 2, fn: ([t, f], ctx) => { const n = num(t); const fmt = str(f); return n === undefined || fmt === undefined ? undefined : strftime(n, fmt, ctx.tz); } },
  strptime: { min: 2, max: 2, fn: ([s, f], ctx) => { const t = str(s); const fmt = str(f); return t === undefined || fmt === undefined ? undefined : strptime(t, fmt, ctx.tz); } },
  // --- multivalue
  mvcount: { min: 1, max: 1, fn: ([v]) => (v === undefined ? undefined : mv(v).length) },
  mvjoin: { min: 2, max: 2, fn: ([v, d]) => { const sep = str(d); const l = mv(v); return sep === undefined || l.length === 0 ? undefined : l.map(scalarToString).join(sep); } },
  mvindex: { min: 2, max: 3, fn: ([v, s, e]) => {
    const l = mv(v); const a = num(s); const b = e === undefined ? undefined : num(e);
    if (l.length === 0 || a === undefined) return undefined;
    const from = a < 0 ? l.length + a : a;
    if (from < 0 || from >= l.length) return undefined;
    if (e === undefined) return l[from];
    if (b === undefined) return undefined;
    const to = Math.min(l.length - 1, b < 0 ? l.length + b : b);
    return fromList(l.slice(from, to + 1));
  } },
  mvappend: { min: 1, max: 100, fn: (args) => fromList(args.flatMap(mv)) },
  mvdedup: { min: 1, max: 1, fn: ([v]) => { const seen = new Set<string>(); return fromList(mv(v).filter((x) => { const k = scalarToString(x); if (seen.has(k)) return false; seen.add(k); return true; })); } },
  mvsort: { min: 1, max: 1, fn: ([v]) => fromList(mv(v).map(scalarToString).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) },
  mvfind: { min: 2, max: 2, fn: ([v, re]) => { const p = str(re); if (p === undefined) return undefined; const r = compileSplRegex(p, 0).re; const i = mv(v).findIndex((x) => r.test(scalarToString(x))); return i < 0 ? undefined : i; } },
  split: { min: 2, max: 2, fn: ([v, d]) => {
    const t = str(v); const sep = str(d);
    if (t === undefined || sep === undefined) return undefined;
    return fromList(sep === '' ? [...t] : t.split(sep));
  } },
});

function extreme(args: EvalValue[], isMax: boolean): EvalValue {
  let best: Scalar | undefined;
  for (const a of args) {
    for (const v of mv(a)) {
      if (best === undefined) { best = v; continue; }
      const na = asNumber(v), nb = asNumber(best);
      const cmp = na !== undefined && nb !== undefined ? na - nb : scalarToString(v) < scalarToString(best) ? -1 : scalarToString(v) > scalarToString(best) ? 1 : 0;
      if (isMax ? cmp > 0 : cmp < 0) best = v;
    }
  }
  return best;
}

function trim(v: EvalValue, chars: EvalValue, left: boolean, right: boolean): EvalValue {
  const s = str(v);
  if (s === undefined) return undefined;
  const set = chars === undefined ? ' \t\n\r' : str(chars) ?? '';
  let a = 0, b = s.length;
  if (left) while (a < b && set.includes(s[a]!)) a++;
  if (right) while (b > a && set.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

function hash(alg: string, v: EvalValue): EvalValue {
  const s = str(v);
  return s === undefined ? undefined : hexDigest(alg, s);
}
