import type { Command } from '../ast.js';
import { Scanner } from '../lexer.js';
import { ExprParser } from '../expr-parser.js';
import { SplError } from '../errors.js';

/** `where <eval expression>`: keeps rows where the expression is true. */
export function parseWhere(s: Scanner, start: number): Command {
  if (s.atEnd()) throw new SplError('where needs an expression', s.pos);
  const expr = new ExprParser(s).parse();
  const t = s.peek('expr');
  if (t.kind !== 'eof') throw new SplError(`unexpected "${t.value}" after the where expression`, t.start);
  return { kind: 'where', expr, span: { start, end: s.end } };
}
