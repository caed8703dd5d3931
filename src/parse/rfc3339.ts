// Time stamps as Go's slog writes them (RFC 3339): the plain form read by character codes, anything else by
// the general reader, which gives the same answer for the plain form.
import { digits, POW10 } from './gin.js';
import { utcMs } from '../util/civil.js';

/**
 * RFC 3339 as slog writes it (`2025-10-02T14:46:19.789-04:00`, `…Z`); undefined if it is not one. Plain
 * digits are read by character codes; anything else goes to parseRfc3339Any, which gives the same answer
 * for the plain form (a test compares the two).
 */
export function parseRfc3339(t: string): number | undefined {
  const n = t.length;
  if (n < 20 || n > 35 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(10) !== 84 || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58) return parseRfc3339Any(t);
  const y = digits(t, 0, 4), mo = digits(t, 5, 2), d = digits(t, 8, 2);
  const h = digits(t, 11, 2), mi = digits(t, 14, 2), s = digits(t, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return parseRfc3339Any(t);
  let i = 19;
  let fracMs = 0;
  if (t.charCodeAt(i) === 46) {
    const f0 = ++i;
    while (i < n && t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) i++;
    if (i === f0) return parseRfc3339Any(t);
    // frac / 10^k is the double nearest the decimal fraction, as Number('0.' + digits) is: both are exact
    // (at most 14 digits in 35 characters), and the division rounds once.
    let frac = 0;
    for (let j = f0; j < i; j++) frac = frac * 10 + (t.charCodeAt(j) - 48);
    fracMs = Math.round((frac / POW10[i - f0]!) * 1000);
  }
  let off = 0;
  const z = t.charCodeAt(i);
  if ((z === 90 || z === 122) && i + 1 === n) off = 0;
  else if ((z === 43 || z === 45) && i + 6 === n && t.charCodeAt(i + 3) === 58) {
    const oh = digits(t, i + 1, 2), om = digits(t, i + 4, 2);
    if (oh < 0 || om < 0) return parseRfc3339Any(t);
    off = (oh * 60 + om) * (z === 45 ? -1 : 1);
  } else return parseRfc3339Any(t);
  return utcMs(y, mo, d, h, mi, s) + fracMs - off * 60000;
}

/** Any text parseRfc3339 is given: Number() on each part, as before it had a fast path. */
export function parseRfc3339Any(t: string): number | undefined {
  if (t.length < 20 || t.charCodeAt(4) !== 45 || t.charCodeAt(10) !== 84) return undefined;
  const y = Number(t.slice(0, 4)), mo = Number(t.slice(5, 7)), d = Number(t.slice(8, 10));
  const h = Number(t.slice(11, 13)), mi = Number(t.slice(14, 16)), s = Number(t.slice(17, 19));
  let i = 19;
  let frac = 0;
  if (t[i] === '.') {
    const f0 = ++i;
    while (i < t.length && t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) i++;
    frac = Number('0.' + t.slice(f0, i));
  }
  let off = 0;
  const z = t.slice(i);
  if (z === 'Z' || z === 'z') off = 0;
  else if (/^[+-]\d{2}:\d{2}$/.test(z)) off = (Number(z.slice(1, 3)) * 60 + Number(z.slice(4, 6))) * (z[0] === '-' ? -1 : 1);
  else return undefined;
  if ([y, mo, d, h, mi, s].some((v) => Number.isNaN(v))) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s) + Math.round(frac * 1000) - off * 60000;
}
