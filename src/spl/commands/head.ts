import type { Command } from '../ast.js';
import { Scanner } from '../lexer.js';
import { SplError } from '../errors.js';
import { readOption, parseCount, expectEnd } from './common.js';

/** `head [N]` or `head limit=N`: the first N rows (default 10). */
export function parseHead(s: Scanner, start: number): Command {
  let limit = 10;
  const opt = readOption(s, ['limit']);
  if (opt) limit = parseCount(opt.value, opt.valueStart, 'limit');
  else {
    const t = s.peek('word');
    if (t.kind === 'word') {
      if (!/^\d+$/.test(t.value)) throw new SplError(`head takes a number of rows, found "${t.value}" (head with an expression is not supported)`, t.start, 'SPL_UNSUPPORTED');
      s.next('word');
      limit = parseCount(t.value, t.start, 'head');
    }
  }
  expectEnd(s, 'head');
  return { kind: 'head', limit, span: { start, end: s.end } };
}
