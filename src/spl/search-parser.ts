// The `search` command's expression: terms, "quoted phrases", field=value (and != < <= > >=), field IN (...),
// NOT, OR, AND and parentheses. As in Splunk, OR binds tighter than AND (and an implicit AND between terms),
// and the boolean keywords are only recognised in upper case.
import type { SearchExpr, CompareOp } from './ast.js';
import { Scanner, type Token } from './lexer.js';
import { SplError } from './errors.js';

export class SearchParser {
  constructor(private readonly s: Scanner) {}

  /** Parses to the end of the segment; returns null for an empty search. */
  parseAll(): SearchExpr | null {
    if (this.s.atEnd()) return null;
    const e = this.and();
    const t = this.s.peek('word');
    if (t.kind !== 'eof') throw new SplError(t.kind === 'rparen' ? 'unbalanced ")"' : `unexpected "${t.value}"`, t.start);
    return e;
  }

  /** Parses up to (not including) a closing parenthesis or the end of the segment. */
  parseGroup(): SearchExpr {
    return this.and();
  }

  private isKw(t: Token, kw: string): boolean {
    return t.kind === 'word' && t.value === kw;
  }

  private and(): SearchExpr {
    const items: SearchExpr[] = [];
    for (;;) {
      const t = this.s.peek('word');
      if (t.kind === 'eof' || t.kind === 'rparen') break;
      if (this.isKw(t, 'AND')) {
        if (items.length === 0) throw new SplError('AND needs a search term before it', t.start);
        this.s.next('word');
        const after = this.s.peek('word');
        if (after.kind === 'eof' || after.kind === 'rparen') throw new SplError('AND needs a search term after it', after.start);
        continue;
      }
      items.push(this.or());
    }
    if (items.length === 0) {
      const t = this.s.peek('word');
      throw new SplError('expected a search term', t.start);
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private or(): SearchExpr {
    const items = [this.not()];
    for (;;) {
      const t = this.s.peek('word');
      if (!this.isKw(t, 'OR')) break;
      this.s.next('word');
      const after = this.s.peek('word');
      if (after.kind === 'eof' || after.kind === 'rparen') throw new SplError('OR needs a search term after it', after.start);
      items.push(this.not());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private not(): SearchExpr {
    const t = this.s.peek('word');
    if (this.isKw(t, 'NOT')) {
      this.s.next('word');
      const after = this.s.peek('word');
      if (after.kind === 'eof' || after.kind === 'rparen') throw new SplError('NOT needs a search term after it', after.start);
      return { kind: 'not', item: this.not() };
    }
    return this.primary();
  }

  private primary(): SearchExpr {
    const t = this.s.next('word');
    const span = { start: t.start, end: t.end };
    switch (t.kind) {
      case 'lparen': {
        const e = this.and();
        const close = this.s.next('word');
        if (close.kind !== 'rparen') throw new SplError('expected ")" to close the group', close.start);
        return e;
      }
      case 'lbracket': throw new SplError('subsearches ([ ... ]) are not supported; quote a literal "[" to search for it', t.start, 'SPL_UNSUPPORTED');
      case 'string': return { kind: 'term', text: t.value, quoted: true, span };
      case 'word': {
        const next = this.s.peek('word');
        if (next.kind === 'op' && next.start === t.end) {
          if (next.value === '!') throw new SplError('expected "!=" (a lone "!" is not an operator)', next.start);
          this.s.next('word');
          const v = this.s.next('word');
          if (v.kind !== 'word' && v.kind !== 'string') {
            throw new SplError(`expected a value after ${t.value}${next.value}`, v.start);
          }
          const op = (next.value === '==' ? '=' : next.value) as CompareOp;
          return { kind: 'compare', field: t.value, op, value: v.value, span: { start: t.start, end: v.end } };
        }
        if (next.kind === 'word' && next.value === 'IN') {
          const save = this.s.pos;
          this.s.next('word');
          const open = this.s.peek('word');
          if (open.kind === 'lparen') {
            this.s.next('word');
            const values: string[] = [];
            // Values are separated by commas or, as Splunk also accepts, by spaces.
            for (;;) {
              const v = this.s.next('word');
              if (v.kind === 'rparen') break;
              if (v.kind === 'comma' && values.length > 0) continue;
              if (v.kind !== 'word' && v.kind !== 'string') throw new SplError('expected a value or ")" in the IN list', v.start);
              values.push(v.value);
            }
            if (values.length === 0) throw new SplError('IN needs at least one value', open.start);
            return { kind: 'in', field: t.value, values, span: { start: t.start, end: this.s.pos } };
          }
          this.s.pos = save;
        }
        return { kind: 'term', text: t.value, quoted: false, span };
      }
      case 'op': throw new SplError(`expected a search term before "${t.value}"`, t.start);
      case 'comma': throw new SplError('unexpected ","', t.start);
      case 'rparen': throw new SplError('unbalanced ")"', t.start);
      default: throw new SplError('expected a search term', t.start);
    }
  }
}
