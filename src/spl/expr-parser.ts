// eval/where expressions. Precedence, loosest first: OR/XOR, AND, NOT, comparison (incl. LIKE, IN),
// + - . , * / %, unary minus. Field names are identifiers or 'single quoted'.
import type { Expr, BinaryOp } from './ast.js';
import { Scanner, type Token } from './lexer.js';
import { SplError } from './errors.js';

export class ExprParser {
  constructor(private readonly s: Scanner) {}

  /** Parses one expression; stops before a token that cannot continue it (comma, closing paren, end). */
  parse(): Expr {
    return this.or();
  }

  private isKeyword(t: Token, kw: string): boolean {
    return t.kind === 'ident' && t.value === kw;
  }

  private or(): Expr {
    let left = this.and();
    for (;;) {
      const t = this.s.peek('expr');
      if (this.isKeyword(t, 'OR') || this.isKeyword(t, 'XOR')) {
        this.s.next('expr');
        const right = this.and();
        left = { kind: 'binary', op: t.value as BinaryOp, left, right, span: { start: left.span.start, end: right.span.end } };
      } else return left;
    }
  }

  private and(): Expr {
    let left = this.not();
    for (;;) {
      const t = this.s.peek('expr');
      if (this.isKeyword(t, 'AND')) {
        this.s.next('expr');
        const right = this.not();
        left = { kind: 'binary', op: 'AND', left, right, span: { start: left.span.start, end: right.span.end } };
      } else return left;
    }
  }

  private not(): Expr {
    const t = this.s.peek('expr');
    if (this.isKeyword(t, 'NOT') || (t.kind === 'op' && t.value === '!')) {
      this.s.next('expr');
      const arg = this.not();
      return { kind: 'unary', op: 'NOT', arg, span: { start: t.start, end: arg.span.end } };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    let left = this.additive();
    for (;;) {
      const t = this.s.peek('expr');
      if (t.kind === 'op' && ['=', '==', '!=', '<', '<=', '>', '>='].includes(t.value)) {
        this.s.next('expr');
        const right = this.additive();
        left = { kind: 'binary', op: t.value as BinaryOp, left, right, span: { start: left.span.start, end: right.span.end } };
      } else if (this.isKeyword(t, 'LIKE')) {
        this.s.next('expr');
        const right = this.additive();
        left = { kind: 'binary', op: 'LIKE', left, right, span: { start: left.span.start, end: right.span.end } };
      } else if (this.isKeyword(t, 'IN')) {
        this.s.next('expr');
        const open = this.s.next('expr');
        if (open.kind !== 'lparen') throw new SplError('expected "(" after IN', open.start);
        const list: Expr[] = [];
        for (;;) {
          list.push(this.parse());
          const sep = this.s.next('expr');
          if (sep.kind === 'comma') continue;
          if (sep.kind === 'rparen') {
            left = { kind: 'in', arg: left, list, span: { start: left.span.start, end: sep.end } };
            break;
          }
          throw new SplError('expected "," or ")" in IN list', sep.start);
        }
      } else return left;
    }
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      const t = this.s.peek('expr');
      if (t.kind === 'op' && (t.value === '+' || t.value === '-' || t.value === '.')) {
        this.s.next('expr');
        const right = this.multiplicative();
        left = { kind: 'binary', op: t.value as BinaryOp, left, right, span: { start: left.span.start, end: right.span.end } };
      } else return left;
    }
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.s.peek('expr');
      if (t.kind === 'op' && (t.value === '*' || t.value === '/' || t.value === '%')) {
        this.s.next('expr');
        const right = this.unary();
        left = { kind: 'binary', op: t.value as BinaryOp, left, right, span: { start: left.span.start, end: right.span.end } };
      } else return left;
    }
  }

  private unary(): Expr {
    const t = this.s.peek('expr');
    if (t.kind === 'op' && t.value === '-') {
      this.s.next('expr');
      const arg = this.unary();
      return { kind: 'unary', op: '-', arg, span: { start: t.start, end: arg.span.end } };
    }
    if (t.kind === 'op' && t.value === '+') {
      this.s.next('expr');
      return this.unary();
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.s.next('expr');
    const span = { start: t.start, end: t.end };
    switch (t.kind) {
      case 'number': return { kind: 'num', value: Number(t.value), span };
      case 'string': return { kind: 'str', value: t.value, raw: t.raw, span };
      case 'qident': return { kind: 'field', name: t.value, span };
      case 'lparen': {
        const e = this.parse();
        const close = this.s.next('expr');
        if (close.kind !== 'rparen') throw new SplError('expected ")"', close.start);
        return e;
      }
      case 'ident': {
        const after = this.s.peek('expr');
        if (after.kind === 'lparen' && after.start === t.end) {
          this.s.next('expr');
          const args: Expr[] = [];
          if (this.s.peek('expr').kind !== 'rparen') {
            for (;;) {
              args.push(this.parse());
              const sep = this.s.next('expr');
              if (sep.kind === 'comma') continue;
              if (sep.kind === 'rparen') { span.end = sep.end; break; }
              throw new SplError(`expected "," or ")" in the arguments of ${t.value}()`, sep.start);
            }
          } else {
            span.end = this.s.next('expr').end;
          }
          return { kind: 'call', name: t.value, args, span };
        }
        return { kind: 'field', name: t.value, span };
      }
      case 'eof': throw new SplError('expected an expression, found the end of the command', t.start);
      default: throw new SplError(`expected an expression, found "${t.value}"`, t.start);
    }
  }
}
