// Replay: a dataset with every timestamp moved by the same amount so that its last event lands at a chosen
// time (usually now), as Splunk's replay tool does for attack_data. Gin and std-logger times are local
// times in `tz`; slog times keep their own offset style (Z or ±hh:mm). Other lines carry no time and are
// copied unchanged; they take the time of the line before them when sent as events.
import { LineParser } from '../parse/line-parser.js';
import { TimeZone, formatOffset } from '../util/timezone.js';
import { strftime } from '../util/timeformat.js';

export interface ReplayLine { text: string; time: number }

const GIN = /^\[GIN\] \d{4}\/\d{2}\/\d{2} - \d{2}:\d{2}:\d{2} /;
const SLOG = /^time=(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(Z|[+-]\d{2}:\d{2}) /;
const STD = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} /;

/** Event times (epoch seconds) of each line, as the parser reads them. */
export function lineTimes(lines: string[], tz: TimeZone): number[] {
  const p = new LineParser({ tz, defaultHost: 'replay', source: 'replay', fallbackMs: 0 });
  return lines.map((l) => p.parse(l)._time as number);
}

/** Shifts every line by `deltaSec` (whole seconds, so second-resolution formats stay exact). */
export function shiftLines(lines: string[], deltaSec: number, tz: TimeZone): ReplayLine[] {
  const times = lineTimes(lines, tz);
  const d = Math.round(deltaSec);
  return lines.map((line, i) => {
    const t = times[i]! + d;
    let text = line;
    if (GIN.test(line)) {
      text = `[GIN] ${strftime(Math.floor(t), '%Y/%m/%d - %H:%M:%S', tz)}${line.slice(27)}`;
    } else if (SLOG.test(line)) {
      const m = SLOG.exec(line)!;
      const ms = Date.parse(m[1]! + m[2]!) + d * 1000;
      const frac = m[1]!.includes('.') ? m[1]!.slice(m[1]!.indexOf('.')) : '';
      // A whole-second shift leaves the fraction as written; only the seconds and above change.
      const sec = Math.floor(ms / 1000);
      let stamp: string;
      if (m[2] === 'Z') stamp = new Date(sec * 1000).toISOString().slice(0, 19) + frac + 'Z';
      else {
        const off = (m[2]![0] === '-' ? -1 : 1) * (Number(m[2]!.slice(1, 3)) * 60 + Number(m[2]!.slice(4, 6)));
        stamp = strftime(sec, '%Y-%m-%dT%H:%M:%S', TimeZone.resolve(`UTC${formatOffset(off, true)}`)) + frac + m[2];
      }
      text = `time=${stamp}${line.slice(m[0].length - 1)}`;
    } else if (STD.test(line)) {
      text = strftime(Math.floor(t), '%Y/%m/%d %H:%M:%S', tz) + line.slice(19);
    }
    return { text, time: t };
  });
}

/** The shift that puts the last timed line of `lines` at `target` (epoch seconds). */
export function deltaTo(lines: string[], target: number, tz: TimeZone): number {
  const times = lineTimes(lines, tz).filter((t) => t > 0);
  if (times.length === 0) return 0;
  return Math.round(target - Math.max(...times));
}
