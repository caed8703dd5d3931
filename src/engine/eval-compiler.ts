// Compiles eval/where expressions once, each to a generated function (ExprCode). Eval is case-sensitive;
// comparing two numeric-looking values is numeric, otherwise it compares strings; null (undefined) makes
// comparisons false and arithmetic null.
import type { Expr } from '../spl/ast.js';
import { SplError } from '../spl/errors.js';
import { EVAL_FUNCTIONS, like, num, str, truthy, type EvalContext, type EvalValue } from '../spl/eval-functions.js';
import { compileSplRegex } from '../spl/regex.js';
import { asNumber, scalarToString, type Row, type Scalar } from './value.js';
import { generated } from './generated-code.js';
import { table } from '../util/table.js';
import { fifteenDigits } from '../util/fifteen-digits.js';

export type Compiled = (row: Row) => EvalValue;

function scalars(v: EvalValue): Scalar[] {
  if (v === undefined) return [];
  if (typeof v === 'boolean') return [v ? 'true' : 'false'];
  return Array.isArray(v) ? v : [v];
}

/** A single value as scalars() gives it. */
function single(v: Scalar | boolean): Scalar {
  return typeof v === 'boolean' ? (v ? 'true' : 'false') : v;
}

function cmp(a: Scalar, b: Scalar): number {
  const na = asNumber(a), nb = asNumber(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  const sa = scalarToString(a), sb = scalarToString(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Whether `op` holds for a three-way comparison result. */
function holds(op: string, c: number): boolean {
  return op === '=' || op === '==' ? c === 0 : op === '!=' ? c !== 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
}

function comparison(op: string, a: EvalValue, b: EvalValue): boolean {
  if (typeof a === 'boolean' && typeof b === 'boolean') return op === '=' || op === '==' ? a === b : op === '!=' ? a !== b : false;
  // Null on either side, or two single values, answer without building the lists below (a detection's
  // `where` meets a missing capture on most lines).
  if (a === undefined || b === undefined) return false;
  if (!Array.isArray(a) && !Array.isArray(b)) return holds(op, cmp(single(a), single(b)));
  const la = scalars(a), lb = scalars(b);
  if (la.length === 0 || lb.length === 0) return false;
  // A multivalue side matches when any of its values does.
  for (const x of la) for (const y of lb) {
    if (holds(op, cmp(x, y))) return true;
  }
  return false;
}

function arith(op: string, a: EvalValue, b: EvalValue): EvalValue {
  if (op === '.') {
    const sa = str(a), sb = str(b);
    return sa === undefined || sb === undefined ? undefined : sa + sb;
  }
  const x = num(a), y = num(b);
  if (op === '+' && (x === undefined || y === undefined)) {
    // + joins two strings; a number plus a non-number is null.
    if (typeof a === 'string' && typeof b === 'string' && x === undefined && y === undefined) return a + b;
    return undefined;
  }
  if (x === undefined || y === undefined) return undefined;
  switch (op) {
    case '+': return tidy(x + y);
    case '-': return tidy(x - y);
    case '*': return tidy(x * y);
    case '/': return y === 0 ? undefined : tidy(x / y);
    case '%': return y === 0 ? undefined : tidy(x % y);
  }
  return undefined;
}

function tidy(x: number): number | undefined {
  if (!Number.isFinite(x)) return undefined;
  return fifteenDigits(x);
}

/** Functions whose result is not fixed by their arguments. */
const IMPURE = new Set(['random']);

/** Whether an expression's value is fixed by the fields it reads: it calls nothing in IMPURE. */
export function isPure(e: Expr): boolean {
  switch (e.kind) {
    case 'call': return !IMPURE.has(e.name) && e.args.every(isPure);
    case 'unary': return isPure(e.arg);
    case 'binary': return isPure(e.left) && isPure(e.right);
    case 'in': return isPure(e.arg) && e.list.every(isPure);
    default: return true;
  }
}
const MEMO_LIMIT = 4096;

/**
 * Functions that cost a few comparisons or a little arithmetic on their arguments: less than the memo's own
 * lookup, and their inputs (a duration, a capture, an average) seldom repeat, so a memo of them only fills
 * and empties its map. An expression is memoised when it calls anything else (cidrmatch, match, like, lower,
 * a trusted-network macro) or tests an IN list longer than IN_CHEAP.
 */
const CHEAP = new Set(['if', 'case', 'coalesce', 'isnull', 'isnotnull', 'null', 'nullif', 'true', 'false', 'isnum', 'isint', 'isstr',
  'typeof', 'tonumber', 'round', 'abs', 'ceil', 'ceiling', 'floor', 'sqrt', 'pow', 'exp', 'ln', 'log', 'pi', 'min', 'max', 'now', 'time']);
const IN_CHEAP = 4;

/**
 * The field an expression is memoised by: the one field it reads, when it reads exactly one, is pure, and
 * calls a function not in CHEAP or tests an IN list of more than IN_CHEAP values; else undefined.
 */
export function memoField(e: Expr): string | undefined {
  const sole = soleField(e);
  return sole?.costly ? sole.field : undefined;
}

/** The one field a pure expression reads (not _raw), whatever it costs; undefined for any other (stats-columns-shape.ts). */
export function pureField(e: Expr): string | undefined {
  return soleField(e)?.field;
}

function soleField(e: Expr): { field: string; costly: boolean } | undefined {
  let field: string | undefined;
  let costly = false;
  let ok = true;
  const walk = (x: Expr): void => {
    if (!ok) return;
    switch (x.kind) {
      case 'field': if (field === undefined) field = x.name; else if (field !== x.name) ok = false; return;
      case 'call': if (IMPURE.has(x.name)) { ok = false; return; } if (!CHEAP.has(x.name)) costly = true; x.args.forEach(walk); return;
      case 'unary': walk(x.arg); return;
      case 'binary': walk(x.left); walk(x.right); return;
      case 'in': if (x.list.length > IN_CHEAP) costly = true; walk(x.arg); x.list.forEach(walk); return;
      default: return;
    }
  };
  walk(e);
  return ok && field !== undefined && field !== '_raw' ? { field, costly } : undefined;
}

/**
 * Compiles an expression. A pure expression over one field that does real work (a trusted-network test such
 * as `ollama_external_src(src)`, an endpoint regex over `uri_path`; see memoField) is evaluated once per
 * distinct value of that field: logs repeat a few thousand addresses and paths millions of times. Errors are
 * not cached.
 *
 * Within sharingAnswers (a runner's compile of its searches), the answers are kept per expression text, not
 * per compiled copy: a scan compiles one macro in a dozen detections and in several entries of each (36
 * copies of `ollama_external_src(src)` in a scan thread), and a table per copy, each met by every event, was
 * dozens of tables for the processor's caches to hold where one does. An answer depends only on the value,
 * the time zone and now (all in the key); multivalue answers stay with their copy, so that no two searches
 * hold one array.
 */
export function compileExpr(e: Expr, ctx: EvalContext): Compiled {
  const field = memoField(e);
  if (field === undefined) return compileExprDirect(e, ctx, false);
  return memoMaker(field)(compileExprDirect(e, ctx, true), MEMO_LIMIT, answersFor(field, e, ctx));
}

/** The answers of one expression text by its field's value, shared by its copies; replaced when full. */
interface Answers { map: Map<string | number, EvalValue> }

/** Answers by expression text (with its field, time zone and now) in the compile under way; undefined outside sharingAnswers. */
let session: Map<string, Answers> | undefined;

/** Runs `compile` with the memos of one expression text sharing their answers (see compileExpr); they live as long as its searches. */
export function sharingAnswers<T>(compile: () => T): T {
  const outer = session;
  session = new Map();
  try { return compile(); } finally { session = outer; }
}

function answersFor(field: string, e: Expr, ctx: EvalContext): Answers {
  if (session === undefined) return { map: new Map() };
  const text = JSON.stringify(e, (k, v: unknown) => (k === 'span' ? undefined : v));
  const key = `${field}\n${ctx.tz.name}\n${ctx.now}\n${text}`;
  let a = session.get(key);
  if (a === undefined) session.set(key, (a = { map: new Map() }));
  return a;
}

/**
 * The memo around one expression, generated per expression with its field's name written in: a scan runs
 * dozens of them on every event, and one shared closure met every field and every row shape at its one read
 * of `row[field]` and its one call of `inner`, which V8 then optimised for none. Its answers are `shared`'s.
 * The last value asked about answers first: requests come in runs (one path, one client), and comparing two
 * short strings is cheaper than hashing one.
 */
function memoMaker(field: string): (inner: Compiled, limit: number, shared: Answers) => Compiled {
  return generated(['inner', 'limit', 'shared'], `
    let own;
    let lastKey;
    let lastOut;
    return (row) => {
      const v = row[${JSON.stringify(field)}];
      if (typeof v !== 'string' && typeof v !== 'number') return inner(row);
      if (v === lastKey) return lastOut;
      let out = shared.map.get(v);
      if (out === undefined && !shared.map.has(v)) {
        if (own !== undefined && own.has(v)) out = own.get(v);
        else {
          out = inner(row);
          if (Array.isArray(out)) {
            if (own === undefined || own.size >= limit) own = new Map();
            own.set(v, out);
          } else {
            if (shared.map.size >= limit) shared.map = new Map();
            shared.map.set(v, out);
          }
        }
      }
      lastKey = v;
      lastOut = out;
      return out;
    };`);
}

/**
 * Compiles an expression to one generated function (its memoised parts are functions of their own, called from
 * it): a tree of closures met every expression's nodes at the same few call sites, and V8 optimised those for
 * none of them. The code calls the helpers below, which hold the semantics; it only fixes the order of calls.
 */
function compileExprDirect(e: Expr, ctx: EvalContext, memoised: boolean): Compiled {
  const g = new ExprCode(ctx, memoised);
  const body = g.code(e, true);
  const consts = g.consts.map((_, i) => `k${i}`);
  const temps = Array.from({ length: g.temps }, (_, i) => `t${i}`);
  const factory = generated<(h: typeof HELPERS, k: unknown[]) => Compiled>(['h', 'k'], `
    const { ${Object.keys(HELPERS).join(', ')} } = h;
    const [${consts.join(', ')}] = k;
    return (row) => { ${temps.length ? `let ${temps.join(', ')};` : ''} return ${body}; };`);
  return factory(HELPERS, g.consts);
}

function literalOf(e: Expr): Scalar | undefined {
  return e.kind === 'str' || e.kind === 'num' ? e.value : undefined;
}

/**
 * `field OP literal`, the commonest test in a detection (status=200, line_type="gin", requests > 120): a single
 * string or number on the left is compared without building lists, with the same result as comparison().
 */
function compareToLiteral(op: string, v: EvalValue, litNum: number | undefined, litStr: string, lit: Scalar): boolean {
  if (typeof v === 'number' && litNum !== undefined && !Number.isNaN(v)) return holds(op, v < litNum ? -1 : v > litNum ? 1 : 0);
  if (typeof v === 'string') {
    // A numeric literal and a string (a rex capture): numeric when the string looks numeric, else as text.
    const n = litNum === undefined ? undefined : asNumber(v);
    return n !== undefined ? holds(op, n < litNum! ? -1 : n > litNum! ? 1 : 0) : holds(op, v < litStr ? -1 : v > litStr ? 1 : 0);
  }
  return comparison(op, v, lit);
}

/** The JavaScript operator that answers as holds() does for two numbers, or two strings, that it may compare. */
const JS_COMPARE: Readonly<Record<string, string>> = table({ '=': '===', '==': '===', '!=': '!==', '<': '<', '<=': '<=', '>': '>', '>=': '>=' });

/** What the generated code calls, by these names. */
const HELPERS = {
  truthy,
  comparison,
  compareToLiteral,
  arith,
  not: (v: EvalValue): EvalValue => (typeof v === 'boolean' ? !v : undefined),
  neg: (v: EvalValue): EvalValue => { const n = num(v); return n === undefined ? undefined : -n; },
  likeOp: (a: EvalValue, b: EvalValue): boolean => { const x = str(a), y = str(b); return x === undefined || y === undefined ? false : like(x, y); },
  /** match(x, "literal") on a single string: the pattern compiled once. */
  testRe: (re: RegExp, v: string): boolean => { re.lastIndex = 0; return re.test(v); },
  like,
};

/** The source of one expression, with the values it needs (literals, compiled patterns, calls) as k0, k1, … */
class ExprCode {
  readonly consts: unknown[] = [];
  temps = 0;
  /**
   * `memoised`: the whole is memoised by its one field, so no part of it is (each part reads that field only):
   * the ORs of `ollama_external_src(src)` memoised one inside another made a log of a million addresses, each
   * new, look each one up and store it in a dozen memos (3 µs an event in Exploit Chain's dispatch alone).
   */
  constructor(private readonly ctx: EvalContext, private readonly memoised: boolean) {}

  private k(v: unknown): string { return `k${this.consts.push(v) - 1}`; }
  private temp(): string { return `t${this.temps++}`; }

  /**
   * A node's code; a part other than the whole (`top`) that memoField picks is compiled on its own, with its
   * memo, and called (as compileExpr does for every node), unless the whole is memoised.
   */
  code(e: Expr, top = false): string {
    if (!top && !this.memoised && memoField(e) !== undefined) return `${this.k(compileExpr(e, this.ctx))}(row)`;
    switch (e.kind) {
      case 'num': case 'str': case 'bool': return this.k(e.value);
      case 'field': return `row[${JSON.stringify(e.name)}]`;
      case 'unary': return `${e.op === 'NOT' ? 'not' : 'neg'}(${this.code(e.arg)})`;
      case 'in': {
        const t = this.temp();
        const tests = e.list.map((x) => `comparison("=", ${t}, ${this.code(x)})`);
        return `(${t} = ${this.code(e.arg)}, ${tests.length ? tests.join(' || ') : 'false'})`;
      }
      case 'binary': {
        const l = this.code(e.left);
        switch (e.op) {
          case 'AND': return `(truthy(${l}) && truthy(${this.code(e.right)}))`;
          case 'OR': return `(truthy(${l}) || truthy(${this.code(e.right)}))`;
          case 'XOR': return `(truthy(${l}) !== truthy(${this.code(e.right)}))`;
          case 'LIKE': return `likeOp(${l}, ${this.code(e.right)})`;
          case '=': case '==': case '!=': case '<': case '<=': case '>': case '>=': {
            const op = JSON.stringify(e.op);
            const lit = literalOf(e.right);
            if (lit !== undefined) {
              // A number against a numeric literal, or a string against a text one, is compared right here, as
              // compareToLiteral would; anything else (a numeric-looking string, a list, null) goes to it.
              const n = asNumber(lit), t = this.temp();
              const general = `compareToLiteral(${op}, ${t}, ${this.k(n)}, ${this.k(scalarToString(lit))}, ${this.k(lit)})`;
              const js = JS_COMPARE[e.op];
              return n !== undefined
                ? `(typeof (${t} = ${l}) === 'number' && ${t} === ${t} ? ${t} ${js} ${this.k(n)} : ${general})`
                : `(typeof (${t} = ${l}) === 'string' ? ${t} ${js} ${this.k(scalarToString(lit))} : ${general})`;
            }
            return `comparison(${op}, ${l}, ${this.code(e.right)})`;
          }
          default: return `arith(${JSON.stringify(e.op)}, ${l}, ${this.code(e.right)})`;
        }
      }
      case 'call': return this.call(e);
    }
  }

  private call(e: Extract<Expr, { kind: 'call' }>): string {
    const args = e.args.map((a) => this.code(a));
    const arg = (i: number) => args[i] ?? 'undefined';
    const pairs = (test: (c: string) => string) => {
      let out = 'undefined';
      for (let i = (args.length >> 1) * 2 - 2; i >= 0; i -= 2) out = `(${test(args[i]!)} ? ${args[i + 1]} : ${out})`;
      return out;
    };
    switch (e.name) {
      case 'if': return `(truthy(${arg(0)}) ? ${arg(1)} : ${arg(2)})`;
      case 'case': return pairs((c) => `truthy(${c})`);
      case 'validate': return pairs((c) => `!truthy(${c})`);
      case 'coalesce': {
        const t = this.temp();
        return args.reduceRight((rest, a) => `((${t} = ${a}) !== undefined ? ${t} : ${rest})`, 'undefined');
      }
      // Written in, not called: a call builds an array of its arguments for every row.
      case 'null': if (args.length === 0) return 'undefined'; break;
      case 'isnull': if (args.length === 1) return `(${args[0]} === undefined)`; break;
      case 'isnotnull': if (args.length === 1) return `(${args[0]} !== undefined)`; break;
    }
    const f = EVAL_FUNCTIONS[e.name];
    if (!f) throw new SplError(`unknown eval function ${e.name}()`, e.span.start, 'SPL_UNKNOWN_FUNCTION');
    const fn = f.fn;
    const pos = e.span.start;
    const ctx = this.ctx;
    // Regex arguments given as literals are checked now, so a bad pattern is a parse-time error with a position.
    if ((e.name === 'match' || e.name === 'replace' || e.name === 'mvfind') && e.args[1]?.kind === 'str') {
      try {
        EVAL_FUNCTIONS.match!.fn(['', e.args[1].value], ctx);
      } catch (err) {
        if (err instanceof SplError) throw new SplError(err.message, e.args[1].span.start, err.code);
        throw err;
      }
    }
    const call = this.k((vals: EvalValue[]) => {
      try {
        return fn(vals, ctx);
      } catch (err) {
        if (err instanceof SplError) throw new SplError(err.message, pos, err.code);
        throw err;
      }
    });
    const generic = `${call}([${args.join(', ')}])`;
    // match(x, "literal") and like(x, "literal") on a single string: the pattern compiled once, tested directly.
    if ((e.name === 'match' || e.name === 'like') && e.args[1]?.kind === 'str') {
      const pattern = e.args[1].value;
      const t = this.temp();
      const test = e.name === 'match' ? `testRe(${this.k(compileSplRegex(pattern, e.args[1].span.start).re)}, ${t})` : `like(${t}, ${this.k(pattern)})`;
      // Either on a missing field (a gin line's msg) is null, as the function itself answers.
      return `(typeof (${t} = ${args[0]}) === 'string' ? ${test} : ${t} === undefined ? undefined : ${generic})`;
    }
    return generic;
  }
}
