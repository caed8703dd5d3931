// Prefixes that tools put in front of Ollama's own lines: journald (short and short-iso), docker --timestamps,
// Docker Desktop's local time, compose's `service  | `, and pino-style JSON wrappers. Only the first
// 256 characters are examined, with anchored, linear patterns, so attacker text cannot make this slow.

export interface PrefixInfo {
  /** The Ollama line with all recognised prefixes removed. */
  line: string;
  /** Epoch ms from the prefix, when it carries an absolute time (docker RFC 3339, short-iso). */
  absoluteMs?: number;
  /** Wall-clock fields from a prefix without a zone (journald short, Docker Desktop); month 1-12, year may be absent. */
  wall?: { y?: number; mo?: number; d: number; h: number; mi: number; s: number };
  /** Host named by a journald prefix. */
  host?: string;
  /** Compose service name. */
  service?: string;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2}) /;
const DESKTOP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) /;
const SYSLOG_TAIL = /^([^\s\[\]:]{1,255}) ([^\s\[:]{1,128})(?:\[(\d{1,10})\])?: /;
const JOURNAL_SHORT = /^(\S{1,16}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) /;
const COMPOSE = /^([A-Za-z0-9][A-Za-z0-9._-]{0,127}) *\| /;

// A Map, not an object: a token such as `constructor` or `__proto__` (the line's own text) is no month.
const MONTHS = new Map<string, number>();
// English, German, French, Spanish, Italian, Portuguese, Dutch, Russian, Polish abbreviations as journald prints them.
const NAMES: string[][] = [
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  ['jan', 'feb', 'mär', 'apr', 'mai', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dez'],
  ['janv.', 'févr.', 'mars', 'avril', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
  ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'],
  ['gen', 'feb', 'mar', 'apr', 'mag', 'giu', 'lug', 'ago', 'set', 'ott', 'nov', 'dic'],
  ['jan', 'fev', 'mar', 'abr', 'mai', 'jun', 'jul', 'ago', 'set', 'out', 'nov', 'dez'],
  ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
  ['янв', 'фев', 'мар', 'апр', 'мая', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'],
  ['sty', 'lut', 'mar', 'kwi', 'maj', 'cze', 'lip', 'sie', 'wrz', 'paź', 'lis', 'gru'],
];
for (const list of NAMES) list.forEach((n, i) => { if (!MONTHS.has(n)) MONTHS.set(n, i + 1); });

/** Month number from a journald month token: English or a few other languages, or digits as in `2月` / `02월`. */
export function monthFromToken(tok: string): number | undefined {
  const lower = tok.toLowerCase();
  const named = MONTHS.get(lower) ?? MONTHS.get(lower.replace(/\.$/, '')) ?? MONTHS.get(lower.slice(0, 3));
  if (named) return named;
  const digits = /^(\d{1,2})\D*$/.exec(tok);
  if (digits) {
    const n = Number(digits[1]);
    if (n >= 1 && n <= 12) return n;
  }
  return undefined;
}

/** First characters that can start an Ollama line itself: no prefix stripping needed. */
function startsLikeOllama(line: string): boolean {
  const c = line.charCodeAt(0);
  return c === 91 /* [ */ || (c === 116 /* t */ && line.startsWith('time=')) || (c === 108 /* l */ && line.startsWith('level='));
}

export function stripPrefixes(raw: string, allowStrayQuote = true): PrefixInfo {
  const info: PrefixInfo = { line: raw };
  let line = raw;
  for (let round = 0; round < 4 && line.length > 0 && !startsLikeOllama(line); round++) {
    const head = line.length > 256 ? line.slice(0, 256) : line;
    const c = head.charCodeAt(0);
    let m: RegExpExecArray | null;
    if (c >= 48 && c <= 57) {
      if ((m = RFC3339.exec(head))) {
        const frac = m[7] ? Number(m[7]) * 1000 : 0;
        const zone = m[8]!;
        let off = 0;
        if (zone !== 'Z') {
          const z = zone.replace(':', '');
          off = (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) * (z[0] === '-' ? -1 : 1);
        }
        info.absoluteMs ??= Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) + frac - off * 60000;
        line = line.slice(m[0].length);
        const sys = SYSLOG_TAIL.exec(line.length > 256 ? line.slice(0, 256) : line);
        if (sys && looksLikeJournalIdent(sys[2]!)) { info.host ??= sys[1]; line = line.slice(sys[0].length); }
        continue;
      }
      if ((m = DESKTOP.exec(head))) {
        info.wall ??= { y: +m[1]!, mo: +m[2]!, d: +m[3]!, h: +m[4]!, mi: +m[5]!, s: +m[6]! };
        line = line.slice(m[0].length);
        continue;
      }
    }
    if ((m = JOURNAL_SHORT.exec(head))) {
      const rest = line.slice(m[0].length);
      const sys = SYSLOG_TAIL.exec(rest.length > 256 ? rest.slice(0, 256) : rest);
      const mo = monthFromToken(m[1]!);
      if (sys && mo !== undefined && looksLikeJournalIdent(sys[2]!)) {
        info.wall ??= { mo, d: +m[2]!, h: +m[3]!, mi: +m[4]!, s: +m[5]! };
        info.host ??= sys[1];
        line = rest.slice(sys[0].length);
        continue;
      }
    }
    if ((m = COMPOSE.exec(head))) {
      info.service ??= m[1];
      line = line.slice(m[0].length);
      continue;
    }
    if (c === 34 /* " */ && allowStrayQuote && line.length > 1) {
      // A stray quote left by a paste in front of a prefixed line: drop it (once) only if a prefix follows.
      const inner = stripPrefixes(line.slice(1), false);
      if (inner.line !== line.slice(1)) return { ...inner, absoluteMs: info.absoluteMs ?? inner.absoluteMs, wall: info.wall ?? inner.wall, host: info.host ?? inner.host };
    }
    if (c === 123 /* { */) {
      const unwrapped = unwrapJson(line);
      if (unwrapped !== undefined) { line = unwrapped; continue; }
    }
    break;
  }
  info.line = line;
  return info;
}

function looksLikeJournalIdent(ident: string): boolean {
  // journald idents are program names; keeps `host ident[pid]:` from matching arbitrary text.
  return /^[A-Za-z0-9_.@\/-]+$/.test(ident);
}

/** `{"level":50,"time":…,"msg":"time=… level=INFO …\n"}`: a JSON wrapper around an Ollama line. */
function unwrapJson(line: string): string | undefined {
  if (line.length > 65536 || !line.includes('"msg"')) return undefined;
  try {
    const obj: unknown = JSON.parse(line);
    if (obj && typeof obj === 'object' && typeof (obj as { msg?: unknown }).msg === 'string') {
      const msg = ((obj as { msg: string }).msg).replace(/\r?\n$/, '');
      if (!msg.includes('\n')) return msg;
    }
  } catch {
    // Not JSON: the line is kept as it is.
  }
  return undefined;
}
