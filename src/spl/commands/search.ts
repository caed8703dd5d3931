import type { Command } from '../ast.js';
import { Scanner } from '../lexer.js';
import { SearchParser } from '../search-parser.js';

/** `search <expression>` (also the implicit first command). */
export function parseSearch(s: Scanner, start: number): Command {
  const expr = new SearchParser(s).parseAll();
  return { kind: 'search', expr, span: { start, end: s.end } };
}
