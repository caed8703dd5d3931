// Go time.Duration text ("0s", "512ns", "28.205µs", "28.205us", "1.19ms", "35.6s", "2m1s", "1h24m39s") to milliseconds.
import { table } from '../util/table.js';

const UNIT_MS: Readonly<Record<string, number>> = table({
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000,
});

/** Milliseconds for a Go duration string, or undefined when the text is not one. */
export function parseGoDuration(text: string): number | undefined {
  const s = text.trim();
  if (s.length === 0 || s.length > 40) return undefined;
  let i = 0;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') { neg = s[0] === '-'; i = 1; }
  let total = 0;
  let parts = 0;
  while (i < s.length) {
    const numStart = i;
    while (i < s.length && ((s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) || s[i] === '.')) i++;
    if (i === numStart) return undefined;
    const num = Number(s.slice(numStart, i));
    if (Number.isNaN(num)) return undefined;
    const unitStart = i;
    while (i < s.length && !((s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) || s[i] === '.')) i++;
    const unit = s.slice(unitStart, i);
    const mul = UNIT_MS[unit];
    if (mul === undefined) {
      if (unit === '' && num === 0 && parts === 0 && i === s.length) return 0; // Go prints "0s", but be lenient with "0"
      return undefined;
    }
    total += num * mul;
    parts++;
  }
  const ms = neg ? -total : total;
  // Round away float noise (1.234567ms * 1 stays exact; 28.205µs * 1e-3 would not).
  return Math.round(ms * 1e9) / 1e9;
}

/** Go's Duration.String() for a latency in nanoseconds, with gin's truncation to whole seconds above a minute. */
export function formatGinLatency(ns: number): string {
  const n = Math.max(0, Math.round(ns));
  const trim = (x: number, decimals: number) => x.toFixed(decimals).replace(/\.?0+$/, '');
  if (n === 0) return '0s';
  if (n < 1e3) return `${n}ns`;
  if (n < 1e6) return `${trim(n / 1e3, 3)}µs`;
  if (n < 1e9) return `${trim(n / 1e6, 6)}ms`;
  if (n < 60e9) return `${trim(n / 1e9, 9)}s`;
  const total = Math.floor(n / 1e9);
  const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
  return h > 0 ? `${h}h${m}m${s}s` : `${m}m${s}s`;
}
