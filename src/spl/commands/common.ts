// Helpers shared by the command parsers: options (key=value), field names and lists, time spans.
import { Scanner, type Token } from '../lexer.js';
import { SplError } from '../errors.js';
import { table } from '../../util/table.js';

export interface Option { key: string; value: string; start: number; valueStart: number }

/** Reads `key=value` if the next tokens are one, leaving the scanner untouched otherwise. */
export function readOption(s: Scanner, keys: readonly string[]): Option | undefined {
  const save = s.pos;
  const k = s.next('word');
  if (k.kind === 'word' && keys.includes(k.value.toLowerCase())) {
    const eq = s.next('word');
    if (eq.kind === 'op' && eq.value === '=' && eq.start === k.end) {
      const v = s.next('word');
      if (v.kind !== 'word' && v.kind !== 'string') throw new SplError(`expected a value for ${k.value}=`, v.start);
      return { key: k.value.toLowerCase(), value: v.value, start: k.start, valueStart: v.start };
    }
  }
  s.pos = save;
  return undefined;
}

export function expectFieldName(s: Scanner, what = 'a field name'): Token {
  const t = s.next('word');
  if (t.kind !== 'word' && t.kind !== 'string') {
    throw new SplError(`expected ${what}${t.kind === 'eof' ? ', found the end of the command' : `, found "${t.value}"`}`, t.start);
  }
  return t;
}

/** Field names separated by spaces and/or commas, up to the end of the command or a stop word. */
export function readFieldList(s: Scanner, stopWords: readonly string[] = []): Token[] {
  const out: Token[] = [];
  for (;;) {
    const t = s.peek('word');
    if (t.kind === 'eof') break;
    if (t.kind === 'comma') { s.next('word'); continue; }
    if (t.kind === 'word' && stopWords.includes(t.value.toLowerCase())) break;
    if (t.kind !== 'word' && t.kind !== 'string') throw new SplError(`expected a field name, found "${t.value}"`, t.start);
    out.push(s.next('word'));
  }
  return out;
}

export function expectEnd(s: Scanner, command: string): void {
  const t = s.peek('word');
  if (t.kind !== 'eof') throw new SplError(`unexpected "${t.value}" in ${command}`, t.start);
}

export function parseCount(text: string, pos: number, what: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new SplError(`expected a whole number for ${what}, found "${text}"`, pos);
  return Number(text);
}

const SPAN_UNITS: Readonly<Record<string, number>> = table({
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86400, day: 86400, days: 86400,
  w: 604800, week: 604800, weeks: 604800,
});

/** `5m`, `1h`, `30s`, `1d`, `2w`, or a plain number (for numeric fields). */
export function parseSpan(text: string, pos: number): { value: number; unit: string; seconds?: number } {
  const m = /^(\d+(?:\.\d+)?)([a-z]*)$/i.exec(text);
  if (!m) throw new SplError(`expected a span such as 5m, 1h or 1d, found "${text}"`, pos);
  const value = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  if (value <= 0) throw new SplError('span must be greater than zero', pos);
  if (unit === '') return { value, unit };
  const mul = SPAN_UNITS[unit];
  if (mul === undefined) {
    if (unit === 'mon' || unit === 'month' || unit === 'months') throw new SplError('month spans are not supported; use days', pos, 'SPL_UNSUPPORTED');
    throw new SplError(`unknown span unit "${m[2]}" (use s, m, h, d or w)`, pos);
  }
  return { value, unit, seconds: value * mul };
}

/** `-field`, `+field`, `num(field)`, `str(field)`, `ip(field)`, `auto(field)`. */
export function readSortKey(s: Scanner): { field: string; desc: boolean; mode: 'auto' | 'num' | 'str' | 'ip' } | undefined {
  let t = s.peek('word');
  if (t.kind !== 'word' && t.kind !== 'string') return undefined;
  s.next('word');
  let desc = false;
  let name = t.value;
  if (t.kind === 'word' && (name === '-' || name === '+')) {
    desc = name === '-';
    t = expectFieldName(s);
    name = t.value;
  } else if (t.kind === 'word' && (name.startsWith('-') || name.startsWith('+'))) {
    desc = name[0] === '-';
    name = name.slice(1);
  }
  let mode: 'auto' | 'num' | 'str' | 'ip' = 'auto';
  const lower = name.toLowerCase();
  if (t.kind === 'word' && ['num', 'str', 'ip', 'auto'].includes(lower) && s.peek('word').kind === 'lparen') {
    s.next('word');
    const f = expectFieldName(s);
    const close = s.next('word');
    if (close.kind !== 'rparen') throw new SplError('expected ")"', close.start);
    mode = lower as typeof mode;
    name = f.value;
  }
  return { field: name, desc, mode };
}

/** A boolean option value: true/false, t/f, 1/0. */
export function parseBool(opt: Option): boolean {
  const v = opt.value.toLowerCase();
  if (!['true', 'false', 't', 'f', '1', '0'].includes(v)) throw new SplError(`${opt.key} must be true or false`, opt.valueStart);
  return v === 'true' || v === 't' || v === '1';
}
