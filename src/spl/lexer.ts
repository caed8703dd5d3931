// The SPL scanner. SPL is context-sensitive: in a `search` a word like /api/tags or *failed* is one token,
// while in `eval` the same characters are operators. Command parsers therefore ask for the next token in a
// mode: 'word' (search-style words) or 'expr' (eval-style identifiers, numbers and operators).
import { SplError } from './errors.js';

export type TokenKind =
  | 'word' | 'string' | 'ident' | 'qident' | 'number'
  | 'lparen' | 'rparen' | 'lbracket' | 'comma' | 'pipe' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** For strings: the unescaped value (\" → ", \\ → \). Otherwise the token text. */
  value: string;
  /** For strings: the inner text with only \" unescaped, as regular expressions need it. */
  raw: string;
  start: number;
  end: number;
}

export type LexMode = 'word' | 'expr';

// Characters that end a search-style word.
const WORD_STOP = new Set([' ', '\t', '\n', '\r', '(', ')', '=', ',', '"', '!', '<', '>', '|', '[', ']', '`']);
const EXPR_OPS = ['==', '!=', '<=', '>=', '=', '<', '>', '+', '-', '*', '/', '%', '.', '!'];

export class Scanner {
  pos: number;
  constructor(readonly text: string, start = 0, readonly end = text.length) {
    this.pos = start;
  }

  skipWs(): void {
    while (this.pos < this.end) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  atEnd(): boolean {
    this.skipWs();
    return this.pos >= this.end;
  }

  peek(mode: LexMode): Token {
    const save = this.pos;
    const t = this.next(mode);
    this.pos = save;
    return t;
  }

  next(mode: LexMode): Token {
    this.skipWs();
    const start = this.pos;
    const t = this.text;
    if (start >= this.end) return { kind: 'eof', value: '', raw: '', start, end: start };
    const c = t[start]!;
    const tok = (kind: TokenKind, len: number): Token => {
      this.pos = start + len;
      const v = t.slice(start, start + len);
      return { kind, value: v, raw: v, start, end: start + len };
    };
    if (c === '(') return tok('lparen', 1);
    if (c === ')') return tok('rparen', 1);
    if (c === ',') return tok('comma', 1);
    if (c === '|') return tok('pipe', 1);
    if (c === '[') return tok('lbracket', 1);
    if (c === '"') return this.quoted('"', 'string');
    if (mode === 'expr') {
      if (c === "'") return this.quoted("'", 'qident');
      if ((c >= '0' && c <= '9') || (c === '.' && /[0-9]/.test(t[start + 1] ?? ''))) {
        const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(t.slice(start, Math.min(this.end, start + 64)))!;
        return tok('number', m[0].length);
      }
      if (/[A-Za-z_]/.test(c)) {
        let i = start + 1;
        while (i < this.end && /[A-Za-z0-9_]/.test(t[i]!)) i++;
        return tok('ident', i - start);
      }
      for (const op of EXPR_OPS) if (t.startsWith(op, start)) return tok('op', op.length);
      throw new SplError(`unexpected character "${c}"`, start);
    }
    for (const op of ['!=', '<=', '>=', '==', '=', '<', '>']) if (t.startsWith(op, start)) return tok('op', op.length);
    if (c === '!') return tok('op', 1);
    if (c === '`') throw new SplError('unexpanded macro (a backquote here means a macro could not be expanded)', start);
    let i = start;
    while (i < this.end && !WORD_STOP.has(t[i]!)) i++;
    if (i === start) throw new SplError(`unexpected character "${c}"`, start);
    return tok('word', i - start);
  }

  private quoted(q: string, kind: TokenKind): Token {
    const t = this.text;
    const start = this.pos;
    let i = start + 1;
    let value = '';
    let raw = '';
    while (i < this.end) {
      const c = t[i]!;
      if (c === '\\' && i + 1 < this.end) {
        const n = t[i + 1]!;
        if (n === q) { value += q; raw += q; }
        else if (n === '\\') { value += '\\'; raw += '\\\\'; }
        else { value += '\\' + n; raw += '\\' + n; }
        i += 2;
        continue;
      }
      if (c === q) {
        this.pos = i + 1;
        return { kind, value, raw, start, end: i + 1 };
      }
      value += c;
      raw += c;
      i++;
    }
    throw new SplError(`unterminated ${q === '"' ? 'string' : 'quoted field name'}: expected a closing ${q}`, start);
  }

  /** Splits a whole search into command segments at top-level pipes (not inside quotes). */
  static splitPipes(text: string): Array<{ start: number; end: number }> {
    const parts: Array<{ start: number; end: number }> = [];
    let segStart = 0;
    let i = 0;
    while (i < text.length) {
      const c = text[i]!;
      // Only double quotes protect a pipe: an apostrophe is an ordinary character in a search word.
      if (c === '"') {
        const q = c;
        i++;
        while (i < text.length && text[i] !== q) i += text[i] === '\\' ? 2 : 1;
        if (i >= text.length) throw new SplError(`unterminated ${q === '"' ? 'string' : 'quoted field name'}: expected a closing ${q}`, findOpen(text, q, i));
        i++;
        continue;
      }
      if (c === '|') {
        parts.push({ start: segStart, end: i });
        segStart = i + 1;
      }
      i++;
    }
    parts.push({ start: segStart, end: text.length });
    return parts;
  }
}

function findOpen(text: string, q: string, end: number): number {
  // The opening quote of the unterminated string: the last unescaped one before `end`.
  let pos = 0;
  let inStr = -1;
  for (let i = 0; i < end && i < text.length; i++) {
    if (inStr >= 0) {
      if (text[i] === '\\') { i++; continue; }
      if (text[i] === q) inStr = -1;
    } else if (text[i] === q) { inStr = i; pos = i; }
  }
  return pos;
}
