// Splunk time modifiers for --earliest/--latest and detection schedules:
// `now`, epoch seconds, ISO 8601, and relative forms like `-70m@m`, `-1d@d`, `@h`, `+30s`.
import { TimeZone } from './timezone.js';
import { table } from './table.js';

const UNIT_SECONDS: Readonly<Record<string, number>> = table({ s: 1, m: 60, h: 3600, d: 86400, w: 604800 });
const UNIT_ALIASES: Readonly<Record<string, string>> = table({
  s: 's', sec: 's', secs: 's', second: 's', seconds: 's',
  m: 'm', min: 'm', mins: 'm', minute: 'm', minutes: 'm',
  h: 'h', hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
  d: 'd', day: 'd', days: 'd',
  w: 'w', week: 'w', weeks: 'w',
  mon: 'mon', month: 'mon', months: 'mon',
  y: 'y', yr: 'y', yrs: 'y', year: 'y', years: 'y',
});

/** Resolve a time modifier to epoch seconds relative to `nowSec` in `tz`; throws with a clear message when malformed. */
export function resolveTimeModifier(spec: string, nowSec: number, tz: TimeZone): number {
  const s = spec.trim();
  if (s === '' ) throw new Error('empty time modifier');
  if (s === 'now') return nowSec;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) {
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(s);
    if (hasZone) {
      const t = Date.parse(s);
      if (Number.isNaN(t)) throw new Error(`cannot read time "${spec}"`);
      return t / 1000;
    }
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/.exec(s);
    if (!m) throw new Error(`cannot read time "${spec}"`);
    const ms = tz.localToEpochMs(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
    return ms / 1000 + (m[7] ? Number('0.' + m[7]) : 0);
  }
  const m = /^([+-]\d*[a-z]+)?(?:@([a-z]+)(\d*)?)?$/i.exec(s);
  if (!m || (!m[1] && !m[2])) {
    throw new Error(`cannot read time modifier "${spec}" (expected e.g. -70m@m, -1d@d, now, an epoch or an ISO 8601 time)`);
  }
  let t = nowSec;
  if (m[1]) {
    const r = /^([+-])(\d*)([a-z]+)$/i.exec(m[1])!;
    const n = r[2] === '' ? 1 : Number(r[2]);
    const unit = UNIT_ALIASES[r[3]!.toLowerCase()];
    if (!unit) throw new Error(`unknown time unit "${r[3]}" in "${spec}"`);
    const sign = r[1] === '-' ? -1 : 1;
    t = shift(t, sign * n, unit, tz);
  }
  if (m[2]) {
    const unit = UNIT_ALIASES[m[2].toLowerCase()];
    if (!unit) throw new Error(`unknown snap unit "@${m[2]}" in "${spec}"`);
    t = snap(t, unit, tz);
  }
  return t;
}

function shift(t: number, n: number, unit: string, tz: TimeZone): number {
  if (unit in UNIT_SECONDS) return t + n * UNIT_SECONDS[unit]!;
  const f = tz.fieldsAt(t * 1000);
  const months = unit === 'mon' ? n : n * 12;
  const total = f.y * 12 + (f.mo - 1) + months;
  return tz.localToEpochMs(Math.floor(total / 12), (total % 12) + 1, f.d, f.h, f.mi, f.s) / 1000;
}

/** Snap down to the start of the unit in the search time zone (minutes and seconds also align to the epoch). */
export function snap(t: number, unit: string, tz: TimeZone): number {
  if (unit === 's' || unit === 'm' || unit === 'h') {
    const size = UNIT_SECONDS[unit]!;
    if (unit === 'h') {
      const f = tz.fieldsAt(t * 1000);
      return tz.localToEpochMs(f.y, f.mo, f.d, f.h, 0, 0) / 1000;
    }
    return Math.floor(t / size) * size;
  }
  const f = tz.fieldsAt(t * 1000);
  if (unit === 'd') return tz.localToEpochMs(f.y, f.mo, f.d, 0, 0, 0) / 1000;
  if (unit === 'w') return tz.localToEpochMs(f.y, f.mo, f.d - f.dow, 0, 0, 0) / 1000;
  if (unit === 'mon') return tz.localToEpochMs(f.y, f.mo, 1, 0, 0, 0) / 1000;
  return tz.localToEpochMs(f.y, 1, 1, 0, 0, 0) / 1000;
}
