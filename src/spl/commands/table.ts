import type { Command } from '../ast.js';
import { Scanner } from '../lexer.js';
import { SplError } from '../errors.js';
import { readFieldList } from './common.js';

/** `table f1 f2 …` (wildcards allowed): only these fields, in this order. */
export function parseTable(s: Scanner, start: number): Command {
  const fields = readFieldList(s).map((t) => t.value);
  if (fields.length === 0) throw new SplError('table needs at least one field', start);
  return { kind: 'table', fields, span: { start, end: s.end } };
}
