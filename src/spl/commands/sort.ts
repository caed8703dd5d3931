import type { Command, SortKey } from '../ast.js';
import { Scanner } from '../lexer.js';
import { SplError } from '../errors.js';
import { readSortKey, parseCount, readOption } from './common.js';

/** `sort [N] [-|+]field …`: N defaults to 10000 as in Splunk; `sort 0` keeps every row. */
export function parseSort(s: Scanner, start: number): Command {
  let limit = 10000;
  const first = s.peek('word');
  if (first.kind === 'word' && /^\d+$/.test(first.value)) {
    s.next('word');
    limit = parseCount(first.value, first.start, 'the sort limit');
  } else {
    const opt = readOption(s, ['limit']);
    if (opt) limit = parseCount(opt.value, opt.valueStart, 'limit');
  }
  const keys: SortKey[] = [];
  while (!s.atEnd()) {
    const t = s.peek('word');
    if (t.kind === 'comma') { s.next('word'); continue; }
    if (t.kind === 'word' && t.value === 'd' && keys.length > 0) { s.next('word'); keys.forEach((k) => { k.desc = !k.desc; }); continue; }
    const k = readSortKey(s);
    if (!k) throw new SplError(`expected a field to sort by, found "${t.value}"`, t.start);
    keys.push(k);
  }
  if (keys.length === 0) throw new SplError('sort needs at least one field', start);
  return { kind: 'sort', limit: limit === 0 ? Infinity : limit, keys, span: { start, end: s.end } };
}
