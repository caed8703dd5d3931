// The gin access line, read strictly from the left so that nothing inside the quoted path can stand in for
// the client, status or method:  [GIN] 2025/01/02 - 15:04:05 | 200 |    1.234567ms |       127.0.0.1 | POST     "/api/chat"
import { readGoQuoted } from './gostring.js';
import { parseGoDuration } from './duration.js';

/** A gin line's fields but its latency's text (gin-bytes.ts leaves that to be cut from the line). */
export interface GinHead {
  y: number; mo: number; d: number; h: number; mi: number; s: number;
  status: number;
  latencyMs: number | undefined;
  client: string;
  method: string;
  path: string;
  pathClosed: boolean;
}

export interface GinFields extends GinHead {
  latency: string;
}

// ANSI colour codes that gin adds when stdout is a terminal (ESC is never in the quoted path: Go escapes it).
const ANSI = /\x1b\[[0-9;]{0,16}m/g;

/** The number written by n ASCII digits at `at`, or -1 when one is not a digit. */
export function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Whitespace as String.prototype.trim removes it. */
function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 160) return false;
  return c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

// The methods gin logs, shared instead of cut from every line.
const METHODS = new Map(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS'].map((m) => [m, m]));

/**
 * Fields of a `[GIN] ` line, or undefined when the line is not well-formed up to the path: read at gin's
 * fixed positions when every field fits its width, else by character codes from the left. Only the field
 * values are cut out of the line.
 */
export function parseGin(input: string): GinFields | undefined {
  const line = input.includes('\x1b') ? input.replace(ANSI, '') : input;
  return parseGinFixed(line) ?? parseGinAnyWidth(line);
}

/** The timestamp of the last line readStamp accepted (one reader at a time: no object per line). */
const STAMP = { y: 0, mo: 0, d: 0, h: 0, mi: 0, s: 0 };

/** Whether a gin timestamp's parts are in range (-1 for a part that was not digits); shared with gin-bytes.ts. */
export function stampInRange(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  return y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60;
}

/** Reads and checks `2006/01/02 - 15:04:05` after `[GIN] ` into STAMP; false when it is not one. */
function readStamp(line: string): boolean {
  const y = digits(line, 6, 4), mo = digits(line, 11, 2), d = digits(line, 14, 2);
  const h = digits(line, 19, 2), mi = digits(line, 22, 2), s = digits(line, 25, 2);
  if (!stampInRange(y, mo, d, h, mi, s)) return false;
  if (line.charCodeAt(10) !== 47 || line.charCodeAt(13) !== 47 || line.charCodeAt(16) !== 32 || line.charCodeAt(17) !== 45 || line.charCodeAt(18) !== 32 || line.charCodeAt(21) !== 58 || line.charCodeAt(24) !== 58) return false;
  STAMP.y = y; STAMP.mo = mo; STAMP.d = d; STAMP.h = h; STAMP.mi = mi; STAMP.s = s;
  return true;
}

// Where gin's own format (`[GIN] %v | %3d | %13v | %15s | %-7s  %#v`) puts each field when none overflows its width.
const STATUS_AT = 30, LATENCY_FROM = 36, LATENCY_TO = 49, CLIENT_FROM = 52, CLIENT_TO = 67, METHOD_AT = 70, QUOTE_AT = 79;

/** First index in [from, to) that is not an ASCII space (`to` when all are). */
function skipSpaces(s: string, from: number, to: number): number {
  while (from < to && s.charCodeAt(from) === 32) from++;
  return from;
}

/**
 * The common case read at fixed positions: every field within gin's padding, plain spaces around them, no
 * escape in the path. Gives exactly what parseGinAnyWidth gives for such a line, and undefined for any other
 * line (which parseGinAnyWidth then reads); the tests compare the two on real and mangled lines.
 */
export function parseGinFixed(line: string): GinFields | undefined {
  const n = line.length;
  if (n <= QUOTE_AT || line.charCodeAt(QUOTE_AT) !== 34 || line.charCodeAt(28) !== 124 || line.charCodeAt(34) !== 124 ||
    line.charCodeAt(50) !== 124 || line.charCodeAt(68) !== 124) return undefined;
  if (line.charCodeAt(27) !== 32 || line.charCodeAt(29) !== 32 || line.charCodeAt(33) !== 32 || line.charCodeAt(35) !== 32 ||
    line.charCodeAt(49) !== 32 || line.charCodeAt(51) !== 32 || line.charCodeAt(67) !== 32 || line.charCodeAt(69) !== 32 ||
    line.charCodeAt(77) !== 32 || line.charCodeAt(78) !== 32) return undefined;
  if (!readStamp(line)) return undefined;
  const { y, mo, d, h, mi, s } = STAMP;
  const status = digits(line, STATUS_AT, 3);
  if (status < 0) return undefined;
  // Right-aligned latency and client: the value runs from the first non-space to the field's end, and must
  // neither start nor end with other whitespace nor hold a space (the general reader trims those differently).
  const la = skipSpaces(line, LATENCY_FROM, LATENCY_TO);
  if (la === LATENCY_TO || isSpace(line.charCodeAt(la)) || isSpace(line.charCodeAt(LATENCY_TO - 1))) return undefined;
  const latencyMs = durationAt(line, la, LATENCY_TO);
  if (latencyMs === undefined) return undefined;
  const ca = skipSpaces(line, CLIENT_FROM, CLIENT_TO);
  if (line.indexOf('|', CLIENT_FROM) !== 68) return undefined;
  if (ca < CLIENT_TO && (isSpace(line.charCodeAt(ca)) || line.indexOf(' ', ca) !== CLIENT_TO || isSpace(line.charCodeAt(CLIENT_TO - 1)))) return undefined;
  // Left-aligned method: letters up to the padding, which runs to the quote.
  const me = line.indexOf(' ', METHOD_AT);
  if (me === METHOD_AT || skipSpaces(line, me, QUOTE_AT) !== QUOTE_AT) return undefined;
  const cut = line.slice(METHOD_AT, me);
  // Without a backslash before the closing quote the path is the text between the quotes, as Go wrote it.
  const close = line.indexOf('"', QUOTE_AT + 1);
  const slash = line.indexOf('\\', QUOTE_AT + 1);
  if (slash >= 0 && (close < 0 || slash < close)) return undefined;
  return {
    y, mo, d, h, mi, s, status, latency: line.slice(la, LATENCY_TO), latencyMs, client: line.slice(ca, CLIENT_TO),
    method: METHODS.get(cut) ?? cut, path: line.slice(QUOTE_AT + 1, close < 0 ? n : close), pathClosed: close >= 0,
  };
}

/** Any gin line, fields of any width, read from the left. */
export function parseGinAnyWidth(line: string): GinFields | undefined {
  // "[GIN] " + "2006/01/02 - 15:04:05" (21 chars)
  if (line.length < 40) return undefined;
  if (!readStamp(line)) return undefined;
  const { y, mo, d, h, mi, s } = STAMP;
  let p = line.indexOf('|', 27);
  if (p < 0 || p > 40) return undefined;
  // status: three digits between bars
  let q = line.indexOf('|', p + 1);
  if (q < 0) return undefined;
  let a = p + 1, b = q;
  while (a < b && isSpace(line.charCodeAt(a))) a++;
  while (b > a && isSpace(line.charCodeAt(b - 1))) b--;
  if (b - a !== 3) return undefined;
  const status = digits(line, a, 3);
  if (status < 0) return undefined;
  // latency
  p = q;
  q = line.indexOf('|', p + 1);
  if (q < 0) return undefined;
  a = p + 1; b = q;
  while (a < b && isSpace(line.charCodeAt(a))) a++;
  while (b > a && isSpace(line.charCodeAt(b - 1))) b--;
  const latency = line.slice(a, b);
  const latencyMs = durationAt(line, a, b) ?? parseGoDuration(latency);
  if (latencyMs === undefined) return undefined;
  // client
  p = q;
  q = line.indexOf('|', p + 1);
  if (q < 0) return undefined;
  a = p + 1; b = q;
  while (a < b && isSpace(line.charCodeAt(a))) a++;
  while (b > a && isSpace(line.charCodeAt(b - 1))) b--;
  if (b - a > 64) return undefined;
  for (let k = a; k < b; k++) if (line.charCodeAt(k) === 32) return undefined;
  const client = line.slice(a, b);
  // method, then the Go-quoted path
  let i = q + 1;
  while (line.charCodeAt(i) === 32) i++;
  const mStart = i;
  while (i < line.length && line.charCodeAt(i) !== 32) i++;
  if (i === mStart || i - mStart > 32) return undefined;
  const cut = line.slice(mStart, i);
  const method = METHODS.get(cut) ?? cut;
  while (line.charCodeAt(i) === 32) i++;
  if (line.charCodeAt(i) !== 34) return undefined;
  const quoted = readGoQuoted(line, i);
  return { y, mo, d, h, mi, s, status, latency, latencyMs, client, method, path: quoted.value, pathClosed: quoted.closed };
}

/** 10^k, exact, for k up to 15: decimals read as an integer over a power of ten (here and in line-parser.ts). */
export const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * The common one-unit latencies ("1.546566ms", "35.6s", "812ns", "28.205µs") read in place, with the same
 * result as parseGoDuration (an exact integer over a power of ten is the correctly rounded decimal); undefined
 * for anything else, which parseGoDuration then reads.
 */
function durationAt(line: string, a: number, b: number): number | undefined {
  let i = a;
  let n = 0;
  let digitsSeen = 0;
  let scale = 0;
  let dot = false;
  for (; i < b; i++) {
    const c = line.charCodeAt(i);
    if (c >= 48 && c <= 57) { n = n * 10 + (c - 48); digitsSeen++; if (dot) scale++; }
    else if (c === 46 && !dot) dot = true;
    else break;
  }
  if (digitsSeen === 0 || digitsSeen > 15) return undefined;
  const unitLen = b - i;
  let mul: number;
  const u0 = line.charCodeAt(i), u1 = line.charCodeAt(i + 1);
  if (unitLen === 1 && u0 === 115 /* s */) mul = 1000;
  else if (unitLen === 2 && u1 === 115) {
    if (u0 === 109 /* m */) mul = 1;
    else if (u0 === 181 /* µ */ || u0 === 956 /* μ */ || u0 === 117 /* u */) mul = 1e-3;
    else if (u0 === 110 /* n */) mul = 1e-6;
    else return undefined;
  } else return undefined;
  return decimalMs(n, scale, mul);
}

/** n / 10^scale units of `mul` ms, rounded as parseGoDuration rounds; shared with gin-bytes.ts so both give the same double. */
export function decimalMs(n: number, scale: number, mul: number): number {
  const ms = (n / POW10[scale]!) * mul;
  return Math.round(ms * 1e9) / 1e9;
}
