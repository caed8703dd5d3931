import type { Command } from '../ast.js';
import { Scanner } from '../lexer.js';
import { SplError } from '../errors.js';
import { expectFieldName } from './common.js';

/** `rename a as b[, c as d…]`; `*` wildcards carry over from the old name to the new. */
export function parseRename(s: Scanner, start: number): Command {
  const pairs: Array<{ from: string; to: string }> = [];
  while (!s.atEnd()) {
    if (s.peek('word').kind === 'comma') { s.next('word'); continue; }
    const from = expectFieldName(s);
    const as = s.next('word');
    if (as.kind !== 'word' || as.value.toLowerCase() !== 'as') throw new SplError(`expected "as" after ${from.value}`, as.start);
    const to = expectFieldName(s, 'a new field name');
    const wf = (from.value.match(/\*/g) ?? []).length;
    const wt = (to.value.match(/\*/g) ?? []).length;
    if (wt > 0 && wt !== wf) throw new SplError('the new name must have as many * as the old one', to.start);
    pairs.push({ from: from.value, to: to.value });
  }
  if (pairs.length === 0) throw new SplError('rename needs "old as new"', start);
  return { kind: 'rename', pairs, span: { start, end: s.end } };
}
