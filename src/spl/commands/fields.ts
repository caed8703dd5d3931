import type { Command } from '../ast.js';
import { Scanner } from '../lexer.js';
import { SplError } from '../errors.js';
import { readFieldList } from './common.js';

/** `fields [+|-] f1, f2 …`: keep (default) or remove the listed fields. */
export function parseFields(s: Scanner, start: number): Command {
  let remove = false;
  const first = s.peek('word');
  if (first.kind === 'word' && (first.value === '-' || first.value === '+')) {
    s.next('word');
    remove = first.value === '-';
  }
  const list = readFieldList(s);
  const names: string[] = [];
  for (const t of list) {
    // `fields -a` is Splunk for `fields - a`.
    if (names.length === 0 && !remove && t.kind === 'word' && t.value.startsWith('-') && t.value.length > 1 && first.kind === 'word' && first.value === t.value) {
      remove = true;
      names.push(t.value.slice(1));
    } else names.push(t.value);
  }
  if (names.length === 0) throw new SplError('fields needs at least one field', start);
  return { kind: 'fields', remove, fields: names, span: { start, end: s.end } };
}
