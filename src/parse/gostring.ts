// Go's strconv.Quote output (gin's %#v paths, slog quoted values) read back into a string.
// Reads from `start` (the opening quote) and never throws: an unterminated string ends at the line's end.

export interface Unquoted { value: string; end: number; closed: boolean }

export function readGoQuoted(s: string, start: number): Unquoted {
  let i = start + 1;
  let out = '';
  let chunk = i;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 34 /* " */) {
      out += s.slice(chunk, i);
      return { value: out, end: i + 1, closed: true };
    }
    if (c !== 92 /* \ */) { i++; continue; }
    out += s.slice(chunk, i);
    const e = s[i + 1];
    let adv = 2;
    switch (e) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '"': out += '"'; break;
      case "'": out += "'"; break;
      case 'x': case 'u': case 'U': {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = s.slice(i + 2, i + 2 + len);
        if (hex.length === len && /^[0-9a-fA-F]+$/.test(hex)) {
          const cp = parseInt(hex, 16);
          // \xNN in Go is a raw byte; bytes >= 0x80 are invalid UTF-8 on their own, so show them as U+FFFD.
          out += e === 'x' && cp >= 0x80 ? '\uFFFD' : cp <= 0x10ffff ? String.fromCodePoint(cp) : '\uFFFD';
          adv = 2 + len;
        } else {
          out += '\\' + (e ?? '');
        }
        break;
      }
      case undefined: out += '\\'; adv = 1; break;
      default: {
        // Octal escapes \NNN.
        const oct = s.slice(i + 1, i + 4);
        if (/^[0-7]{3}$/.test(oct)) { out += parseInt(oct, 8) >= 0x80 ? '\uFFFD' : String.fromCharCode(parseInt(oct, 8)); adv = 4; }
        else out += '\\' + e;
      }
    }
    i += adv;
    chunk = i;
  }
  out += s.slice(chunk, n);
  return { value: out, end: n, closed: false };
}

/** Go's strconv.Quote (what gin's %#v writes for the path): escapes quotes, backslashes and non-printables. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if ((cp >= 0x80 && cp < 0xa0) || cp === 0xfffd || (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) out += cp > 0xffff ? '\\U' + cp.toString(16).padStart(8, '0') : '\\u' + cp.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}
