import type { Command, SortKey } from '../ast.js';
import { Scanner } from '../lexer.js';
import { SplError } from '../errors.js';
import { readOption, parseBool, parseCount, readSortKey } from './common.js';

/** `dedup [N] f1 f2 … [keepempty=bool] [consecutive=bool] [sortby -f]`. */
export function parseDedup(s: Scanner, start: number): Command {
  let limit = 1;
  let keepEmpty = false;
  let consecutive = false;
  const fields: string[] = [];
  const sortBy: SortKey[] = [];
  const first = s.peek('word');
  if (first.kind === 'word' && /^\d+$/.test(first.value)) {
    s.next('word');
    limit = parseCount(first.value, first.start, 'dedup');
    if (limit === 0) throw new SplError('dedup count must be at least 1', first.start);
  }
  while (!s.atEnd()) {
    const opt = readOption(s, ['keepempty', 'consecutive', 'keepevents']);
    if (opt) {
      const b = parseBool(opt);
      if (opt.key === 'keepempty') keepEmpty = b;
      else if (opt.key === 'consecutive') consecutive = b;
      else throw new SplError('keepevents= is not supported', opt.start, 'SPL_UNSUPPORTED');
      continue;
    }
    const t = s.peek('word');
    if (t.kind === 'comma') { s.next('word'); continue; }
    if (t.kind === 'word' && t.value.toLowerCase() === 'sortby') {
      s.next('word');
      for (let k = readSortKey(s); k; k = readSortKey(s)) sortBy.push(k);
      if (sortBy.length === 0) throw new SplError('sortby needs a field', s.pos);
      continue;
    }
    if (t.kind !== 'word' && t.kind !== 'string') throw new SplError(`expected a field name, found "${t.value}"`, t.start);
    fields.push(s.next('word').value);
  }
  if (fields.length === 0) throw new SplError('dedup needs at least one field', start);
  return { kind: 'dedup', limit, fields, keepEmpty, consecutive, sortBy, span: { start, end: s.end } };
}
