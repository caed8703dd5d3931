// strftime/strptime with Splunk's directives, evaluated in an explicit time zone.
import { TimeZone, formatOffset } from './timezone.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** Format epoch seconds with Splunk's strftime directives in `tz`. */
export function strftime(epochSec: number, format: string, tz: TimeZone): string {
  const ms = Math.floor(epochSec * 1000);
  const f = tz.fieldsAt(ms);
  const frac = epochSec - Math.floor(epochSec);
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%' || i === format.length - 1) { out += c; continue; }
    let d = format[++i]!;
    let width = 0;
    if (d >= '1' && d <= '9' && format[i + 1] === 'N') { width = Number(d); d = format[++i]!; }
    switch (d) {
      case 'Y': out += String(f.y); break;
      case 'y': out += p2(f.y % 100); break;
      case 'm': out += p2(f.mo); break;
      case 'd': out += p2(f.d); break;
      case 'e': out += String(f.d).padStart(2, ' '); break;
      case 'H': out += p2(f.h); break;
      case 'I': out += p2(f.h % 12 === 0 ? 12 : f.h % 12); break;
      case 'p': out += f.h < 12 ? 'AM' : 'PM'; break;
      case 'M': out += p2(f.mi); break;
      case 'S': out += p2(f.s); break;
      case 'N': out += String(Math.floor(frac * 10 ** (width || 3) + 1e-6)).padStart(width || 3, '0'); break;
      case 'Q': out += String(Math.floor(frac * 1000 + 1e-6)).padStart(3, '0'); break;
      case 'f': out += String(Math.floor(frac * 1e6 + 1e-6)).padStart(6, '0'); break;
      case 'b': out += MONTHS[f.mo - 1]!.slice(0, 3); break;
      case 'B': out += MONTHS[f.mo - 1]!; break;
      case 'a': out += DAYS[f.dow]!.slice(0, 3); break;
      case 'A': out += DAYS[f.dow]!; break;
      case 'j': {
        const start = Date.UTC(f.y, 0, 1);
        out += String(Math.floor((Date.UTC(f.y, f.mo - 1, f.d) - start) / 86400000) + 1).padStart(3, '0');
        break;
      }
      case 'z': out += formatOffset(f.offsetMin, false); break;
      case 'Z': out += tz.name === 'UTC' ? 'UTC' : formatOffset(f.offsetMin, true); break;
      case 's': out += String(Math.floor(epochSec)); break;
      case 'T': out += `${p2(f.h)}:${p2(f.mi)}:${p2(f.s)}`; break;
      case 'F': out += `${f.y}-${p2(f.mo)}-${p2(f.d)}`; break;
      case '%': out += '%'; break;
      default: out += '%' + d;
    }
  }
  return out;
}

/** Parse `text` with strptime directives; returns epoch seconds or undefined when it does not match. */
export function strptime(text: string, format: string, tz: TimeZone): number | undefined {
  let y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0, frac = 0, pm: boolean | undefined;
  let offset: number | undefined;
  let epoch: number | undefined;
  let pos = 0;
  const num = (maxLen: number): number | undefined => {
    let j = pos;
    if (text[j] === '+' || text[j] === '-') j++;
    while (j < text.length && j - pos < maxLen && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    if (j === pos) return undefined;
    const v = Number(text.slice(pos, j));
    pos = j;
    return Number.isFinite(v) ? v : undefined;
  };
  const name = (list: string[]): number | undefined => {
    const rest = text.slice(pos).toLowerCase();
    for (let k = 0; k < list.length; k++) {
      const full = list[k]!.toLowerCase();
      if (rest.startsWith(full)) { pos += full.length; return k; }
      if (rest.startsWith(full.slice(0, 3))) { pos += 3; return k; }
    }
    return undefined;
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      if (c === ' ') { while (text[pos] === ' ') pos++; continue; }
      if (text[pos] !== c) return undefined;
      pos++;
      continue;
    }
    let dch = format[++i];
    let width = 3;
    if (dch !== undefined && dch >= '1' && dch <= '9' && format[i + 1] === 'N') { width = Number(dch); dch = format[++i]; }
    let v: number | undefined;
    switch (dch) {
      case 'Y': v = num(4); if (v === undefined) return undefined; y = v; break;
      case 'y': v = num(2); if (v === undefined) return undefined; y = v < 69 ? 2000 + v : 1900 + v; break;
      case 'm': v = num(2); if (v === undefined) return undefined; mo = v; break;
      case 'd': case 'e': while (text[pos] === ' ') pos++; v = num(2); if (v === undefined) return undefined; d = v; break;
      case 'H': case 'I': v = num(2); if (v === undefined) return undefined; h = v; break;
      case 'M': v = num(2); if (v === undefined) return undefined; mi = v; break;
      case 'S': v = num(2); if (v === undefined) return undefined; s = v; break;
      case 'N': case 'Q': case 'f': {
        const start = pos;
        v = num(dch === 'f' ? 6 : dch === 'Q' ? 3 : width);
        if (v === undefined) return undefined;
        frac = v / 10 ** (pos - start);
        break;
      }
      case 'p': {
        const t = text.slice(pos, pos + 2).toUpperCase();
        if (t !== 'AM' && t !== 'PM') return undefined;
        pm = t === 'PM'; pos += 2; break;
      }
      case 'b': case 'B': v = name(MONTHS); if (v === undefined) return undefined; mo = v + 1; break;
      case 'a': case 'A': if (name(DAYS) === undefined) return undefined; break;
      case 'z': case 'Z': {
        const m = /^(?:Z|UTC|GMT|([+-])(\d{2}):?(\d{2}))/i.exec(text.slice(pos));
        if (!m) return undefined;
        offset = m[1] ? (Number(m[2]) * 60 + Number(m[3])) * (m[1] === '-' ? -1 : 1) : 0;
        pos += m[0].length;
        break;
      }
      case 's': v = num(12); if (v === undefined) return undefined; epoch = v; break;
      case 'T': {
        const r = strptimeParts(text.slice(pos), '%H:%M:%S');
        if (!r) return undefined;
        [h, mi, s] = r.v; pos += r.len; break;
      }
      case 'F': {
        const r = strptimeParts(text.slice(pos), '%Y-%m-%d');
        if (!r) return undefined;
        [y, mo, d] = r.v; pos += r.len; break;
      }
      case '%': if (text[pos] !== '%') return undefined; pos++; break;
      default: return undefined;
    }
  }
  if (epoch !== undefined) return epoch;
  if (pm !== undefined) { if (pm && h < 12) h += 12; if (!pm && h === 12) h = 0; }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const ms = offset !== undefined
    ? Date.UTC(y, mo - 1, d, h, mi, s) - offset * 60000
    : tz.localToEpochMs(y, mo, d, h, mi, s);
  return ms / 1000 + frac;
}

function strptimeParts(text: string, fmt: '%H:%M:%S' | '%Y-%m-%d'): { v: [number, number, number]; len: number } | undefined {
  const m = fmt === '%H:%M:%S' ? /^(\d{1,2}):(\d{2}):(\d{2})/.exec(text) : /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(text);
  if (!m) return undefined;
  return { v: [Number(m[1]), Number(m[2]), Number(m[3])], len: m[0].length };
}
