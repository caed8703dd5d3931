// The head of the common slog line read from its bytes: `time=<RFC 3339> level=… source=… msg=…`, the four
// pairs slog's TextHandler starts every line with. The stamp is read as digits in place, and the level, the
// source and the message (which repeat from line to line) come from caches keyed by their bytes, so the
// pairs that cost most to cut out of the string cost nothing on most lines. It accepts only what readPairs
// (kv.ts) and parseRfc3339 (rfc3339.ts) read the same way, and declines everything else (a quoted key or
// time, a backslash in a value, a byte outside ASCII in the head, a stamp in any other form, doubled spaces),
// so that the caller falls back to the string reader. Declining is always safe; a test holds it to the string
// reader on generated and mangled lines.
import { ByteStringCache } from './byte-strings.js';
import { digitsAt } from './gin-bytes.js';
import { POW10 } from './gin.js';
import { utcMs } from '../util/civil.js';

/** What readSlogHead read: one object per parser, filled in place for every line. */
export class SlogHead {
  /** Where the stamp's text ends (it starts at byte 5 of the line): `time`'s value is the line's [5, timeEnd). */
  timeEnd = 0;
  /** The stamp as parseRfc3339 reads it. */
  ms = 0;
  level = '';
  source = '';
  msg = '';
  /** Where the line goes on after the message's value: the other pairs. */
  rest = 0;
}

// A server's levels, source lines and messages are few; messages longer than 64 bytes are decoded each time.
const LEVELS = new ByteStringCache(16, 8);
const SOURCES = new ByteStringCache(2048, 32);
const MESSAGES = new ByteStringCache(2048, 64);

/**
 * The stamp in bytes [a, z) as parseRfc3339's plain form reads it (`2025-10-02T14:46:19.789-04:00`, `…Z`):
 * its value, or undefined for any other text (the string reader then decides).
 */
function stampMs(b: Uint8Array, a: number, z: number): number | undefined {
  const n = z - a;
  if (n < 20 || n > 35 || b[a + 4] !== 45 || b[a + 7] !== 45 || b[a + 10] !== 84 || b[a + 13] !== 58 || b[a + 16] !== 58) return undefined;
  const y = digitsAt(b, a, 4), mo = digitsAt(b, a + 5, 2), d = digitsAt(b, a + 8, 2);
  const h = digitsAt(b, a + 11, 2), mi = digitsAt(b, a + 14, 2), s = digitsAt(b, a + 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return undefined;
  let i = a + 19;
  let fracMs = 0;
  if (b[i] === 46) {
    const f0 = ++i;
    while (i < z && b[i]! >= 48 && b[i]! <= 57) i++;
    if (i === f0) return undefined;
    let frac = 0;
    for (let j = f0; j < i; j++) frac = frac * 10 + (b[j]! - 48);
    fracMs = Math.round((frac / POW10[i - f0]!) * 1000);
  }
  let off = 0;
  const c = b[i];
  if ((c === 90 || c === 122) && i + 1 === z) off = 0;
  else if ((c === 43 || c === 45) && i + 6 === z && b[i + 3] === 58) {
    const oh = digitsAt(b, i + 1, 2), om = digitsAt(b, i + 4, 2);
    if (oh < 0 || om < 0) return undefined;
    off = (oh * 60 + om) * (c === 45 ? -1 : 1);
  } else return undefined;
  return utcMs(y, mo, d, h, mi, s) + fracMs - off * 60000;
}

/** ` key=` at byte `at`, the key given as its character codes. */
function keyAt(b: Uint8Array, at: number, e: number, key: readonly number[]): boolean {
  if (at + key.length + 2 > e || b[at] !== 32) return false;
  for (let i = 0; i < key.length; i++) if (b[at + 1 + i] !== key[i]) return false;
  return b[at + 1 + key.length] === 61;
}

const LEVEL = [...'level'].map((c) => c.charCodeAt(0));
const SOURCE = [...'source'].map((c) => c.charCodeAt(0));
const MSG = [...'msg'].map((c) => c.charCodeAt(0));

/**
 * The value at `at`, read as readPairs reads it: up to the next space, or between quotes when it starts with
 * one. Its end (after a closing quote) is returned, with its text in `into.v`; -1 declines (a byte outside
 * ASCII, a backslash in a quoted value, or no closing quote).
 */
function valueAt(b: Uint8Array, at: number, e: number, cache: ByteStringCache, into: { v: string }, view: DataView): number {
  if (b[at] === 34) {
    let i = at + 1;
    for (; i < e; i++) {
      const c = b[i]!;
      if (c === 34) break;
      if (c === 92 || c > 127) return -1;
    }
    if (i >= e) return -1;
    into.v = cache.get(b as Buffer, at + 1, i, view);
    return i + 1;
  }
  let i = at;
  for (; i < e; i++) {
    const c = b[i]!;
    if (c === 32) break;
    if (c > 127) return -1;
  }
  into.v = cache.get(b as Buffer, at, i, view);
  return i;
}

const scratch = { v: '' };

/** Reads the head of the slog line in bytes [s, e) into `h`; false when it is not the common form. */
export function readSlogHead(b: Uint8Array, s: number, e: number, h: SlogHead, view: DataView): boolean {
  // `time=` then the stamp, bare, up to a space.
  if (b[s] !== 116 || b[s + 1] !== 105 || b[s + 2] !== 109 || b[s + 3] !== 101 || b[s + 4] !== 61) return false;
  let i = s + 5;
  const limit = Math.min(e, s + 5 + 36);
  while (i < limit && b[i] !== 32) i++;
  if (i >= limit) return false;
  const ms = stampMs(b, s + 5, i);
  if (ms === undefined) return false;
  h.timeEnd = i - s;
  h.ms = ms;
  if (!keyAt(b, i, e, LEVEL)) return false;
  i = valueAt(b, i + 7, e, LEVELS, scratch, view);
  if (i < 0) return false;
  h.level = scratch.v;
  if (!keyAt(b, i, e, SOURCE)) return false;
  i = valueAt(b, i + 8, e, SOURCES, scratch, view);
  if (i < 0) return false;
  h.source = scratch.v;
  if (!keyAt(b, i, e, MSG)) return false;
  i = valueAt(b, i + 5, e, MESSAGES, scratch, view);
  if (i < 0) return false;
  h.msg = scratch.v;
  h.rest = i - s;
  return true;
}
