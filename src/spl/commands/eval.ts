import type { Command, Expr } from '../ast.js';
import { Scanner } from '../lexer.js';
import { ExprParser } from '../expr-parser.js';
import { SplError } from '../errors.js';

/** `eval f=expr[, g=expr…]`: assignments run left to right, each seeing the ones before. */
export function parseEval(s: Scanner, start: number): Command {
  const assignments: Array<{ field: string; expr: Expr }> = [];
  for (;;) {
    const name = s.next('expr');
    if (name.kind !== 'ident' && name.kind !== 'qident' && name.kind !== 'string') {
      throw new SplError(name.kind === 'eof' ? 'eval needs an assignment such as x=1' : `expected a field name to assign, found "${name.value}"`, name.start);
    }
    const eq = s.next('expr');
    if (eq.kind !== 'op' || eq.value !== '=') throw new SplError(`expected "=" after ${name.value}`, eq.start);
    const expr = new ExprParser(s).parse();
    assignments.push({ field: name.value, expr });
    const sep = s.next('expr');
    if (sep.kind === 'eof') break;
    if (sep.kind !== 'comma') throw new SplError(`expected "," or the end of eval, found "${sep.value}"`, sep.start);
  }
  return { kind: 'eval', assignments, span: { start, end: s.end } };
}
