// Five-field cron expressions (minute hour day-of-month month day-of-week), as Splunk schedules searches:
// numbers, `*`, ranges `a-b`, steps `*/n` and `a-b/n`, lists `a,b`. As in Vixie cron, when both day fields are
// restricted a day matches if either does. Evaluated in the watcher's time zone.
import type { TimeZone } from '../util/timezone.js';

export class CronError extends Error {}

interface Field { set: Set<number>; any: boolean }
export interface Cron { text: string; minute: Field; hour: Field; dom: Field; month: Field; dow: Field }

function field(text: string, lo: number, hi: number, name: string): Field {
  const set = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new CronError(`cron ${name} "${part}" is not a number, range, list or step`);
    let a = lo, b = hi;
    if (m[1] !== '*') {
      const [x, y] = m[1]!.split('-').map(Number);
      a = x!; b = y ?? (m[2] ? hi : x!);
    }
    const step = m[2] ? Number(m[2]) : 1;
    if (a < lo || b > hi || a > b || step < 1) throw new CronError(`cron ${name} "${part}" is outside ${lo}-${hi}`);
    for (let v = a; v <= b; v += step) set.add(name === 'day-of-week' && v === 7 ? 0 : v);
  }
  return { set, any: text === '*' };
}

export function parseCron(text: string): Cron {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) throw new CronError(`cron "${text}" needs five fields: minute hour day-of-month month day-of-week`);
  return {
    text,
    minute: field(parts[0]!, 0, 59, 'minute'),
    hour: field(parts[1]!, 0, 23, 'hour'),
    dom: field(parts[2]!, 1, 31, 'day-of-month'),
    month: field(parts[3]!, 1, 12, 'month'),
    dow: field(parts[4]!, 0, 7, 'day-of-week'),
  };
}

/** Does the cron fire at the minute starting at `epochMinute * 60` seconds? */
export function cronMatches(c: Cron, epochMinute: number, tz: TimeZone): boolean {
  const f = tz.fieldsAt(epochMinute * 60_000);
  if (!c.minute.set.has(f.mi) || !c.hour.set.has(f.h) || !c.month.set.has(f.mo)) return false;
  const dom = c.dom.set.has(f.d), dow = c.dow.set.has(f.dow);
  if (c.dom.any || c.dow.any) return (c.dom.any || dom) && (c.dow.any || dow);
  return dom || dow;
}
