// Time zones without a dependency: Intl gives the offset of any IANA zone at an instant;
// we cache it per local hour so the hot path (one gin timestamp per line) costs a map lookup.
import { utcMs } from './civil.js';

export class TimeZone {
  readonly name: string;
  private readonly fmt: Intl.DateTimeFormat | undefined;
  private readonly fixedOffsetMin: number | undefined;
  private readonly localHourCache = new Map<number, number>();

  private constructor(name: string, fixedOffsetMin?: number) {
    this.name = name;
    this.fixedOffsetMin = fixedOffsetMin;
    if (fixedOffsetMin === undefined) {
      this.fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
        hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    }
  }

  /** `local` (the machine's zone), `UTC`, an IANA name, or a fixed offset like `+05:30`. Throws on an unknown zone. */
  static resolve(spec: string | undefined): TimeZone {
    const s = (spec ?? 'local').trim();
    if (s === '' || s.toLowerCase() === 'local') {
      return TimeZone.resolve(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
    }
    if (/^(utc|gmt|z)$/i.test(s)) return new TimeZone('UTC', 0);
    const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(s);
    if (m) {
      const mins = (Number(m[2]) * 60 + Number(m[3] ?? 0)) * (m[1] === '-' ? -1 : 1);
      if (Math.abs(mins) > 18 * 60) throw new Error(`time zone offset out of range: ${s}`);
      return new TimeZone(formatOffset(mins, true), mins);
    }
    try {
      const canonical = new Intl.DateTimeFormat('en-US', { timeZone: s }).resolvedOptions().timeZone;
      return new TimeZone(canonical);
    } catch {
      throw new Error(`unknown time zone "${s}" (use an IANA name such as Europe/Berlin, UTC, or an offset such as +02:00)`);
    }
  }

  /** Offset from UTC in minutes at the instant `utcMs`. */
  offsetAt(utcMs: number): number {
    if (this.fixedOffsetMin !== undefined) return this.fixedOffsetMin;
    const parts = this.fmt!.formatToParts(new Date(utcMs));
    let y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    for (const p of parts) {
      switch (p.type) {
        case 'year': y = Number(p.value); break;
        case 'month': mo = Number(p.value); break;
        case 'day': d = Number(p.value); break;
        case 'hour': h = Number(p.value); break;
        case 'minute': mi = Number(p.value); break;
        case 'second': se = Number(p.value); break;
      }
    }
    const asUtc = Date.UTC(y, mo - 1, d, h, mi, se);
    return Math.round((asUtc - (utcMs - (utcMs % 1000 + 1000) % 1000)) / 60000);
  }

  /** Epoch milliseconds of a wall-clock time in this zone (month 1-12). */
  localToEpochMs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0): number {
    const naive = utcMs(y, mo, d, h, mi, s, ms);
    if (this.fixedOffsetMin !== undefined) return naive - this.fixedOffsetMin * 60000;
    const hourKey = Math.floor(naive / 3600000);
    let off = this.localHourCache.get(hourKey);
    if (off === undefined) {
      // Two rounds settle the offset except inside a DST gap, where the later offset wins (as Go does).
      off = this.offsetAt(naive);
      const off2 = this.offsetAt(naive - off * 60000);
      if (off2 !== off) off = this.offsetAt(naive - off2 * 60000);
      if (this.localHourCache.size > 100000) this.localHourCache.clear();
      this.localHourCache.set(hourKey, off);
    }
    return naive - off * 60000;
  }

  /** Wall-clock fields of an instant in this zone. */
  fieldsAt(utcMs: number): { y: number; mo: number; d: number; h: number; mi: number; s: number; ms: number; dow: number; offsetMin: number } {
    const off = this.offsetAt(utcMs);
    const t = new Date(utcMs + off * 60000);
    return {
      y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(),
      mi: t.getUTCMinutes(), s: t.getUTCSeconds(), ms: t.getUTCMilliseconds(), dow: t.getUTCDay(), offsetMin: off,
    };
  }
}

export function formatOffset(mins: number, colon: boolean): string {
  const sign = mins < 0 ? '-' : '+';
  const a = Math.abs(mins);
  const hh = String(Math.floor(a / 60)).padStart(2, '0');
  const mm = String(a % 60).padStart(2, '0');
  return `${sign}${hh}${colon ? ':' : ''}${mm}`;
}
