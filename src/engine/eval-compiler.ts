// Compiles eval/where expressions once into closures. Eval is case-sensitive; comparing two numeric-looking
// values is numeric, otherwise it compares strings; null (undefined) makes comparisons false and arithmetic null.
import type { Expr } from '../spl/ast.js';
import { SplError } from '../spl/errors.js';
import { EVAL_FUNCTIONS, like, num, str, truthy, type EvalContext, type EvalValue } from '../spl/eval-functions.js';
import { compileSplRegex } from '../spl/regex.js';
import { asNumber, scalarToString, type Row, type Scalar } from './value.js';
import { generated } from './generated-code.js';

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
  return Number.isInteger(x) ? x : Number(x.toPrecision(15));
}

/** Functions whose result is not fixed by their arguments. */
const IMPURE = new Set(['random']);
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
  return ok && costly && field !== undefined && field !== '_raw' ? field : undefined;
}

/**
 * Compiles an expression. A pure expression over one field that does real work (a trusted-network test such
 * as `ollama_external_src(src)`, an endpoint regex over `uri_path`; see memoField) is evaluated once per
 * distinct value of that field: logs repeat a few thousand addresses and paths millions of times. Errors are
 * not cached.
 */
export function compileExpr(e: Expr, ctx: EvalContext): Compiled {
  const field = memoField(e);
  if (field === undefined) return compileExprDirect(e, ctx);
  return memoMaker(field)(compileExprDirect(e, ctx), MEMO_LIMIT);
}

/**
 * The memo around one expression, generated per expression with its field's name written in: a scan runs
 * dozens of them on every event, and one shared closure met every field and every row shape at its one read
 * of `row[field]` and its one call of `inner`, which V8 then optimised for none.
 * The last value asked about answers first: requests come in runs (one path, one client), and comparing two
 * short strings is cheaper than hashing one.
 */
function memoMaker(field: string): (inner: Compiled, limit: number) => Compiled {
  return generated(['inner', 'limit'], `
    let memo = new Map();
    let lastKey;
    let lastOut;
    return (row) => {
      const v = row[${JSON.stringify(field)}];
      if (typeof v !== 'string' && typeof v !== 'number') return inner(row);
      if (v === lastKey) return lastOut;
      let out = memo.get(v);
      if (out === undefined && !memo.has(v)) {
        out = inner(row);
        if (memo.size >= limit) memo = new Map();
        memo.set(v, out);
      }
      lastKey = v;
      lastOut = out;
      return out;
    };`);
}

function compileExprDirect(e: Expr, ctx: EvalContext): Compiled {
  switch (e.kind) {
    case 'num': { const v = e.value; return () => v; }
    case 'str': { const v = e.value; return () => v; }
    case 'bool': { const v = e.value; return () => v; }
    case 'field': { const n = e.name; return (row) => row[n]; }
    case 'unary': {
      const a = compileExpr(e.arg, ctx);
      if (e.op === 'NOT') return (row) => { const v = a(row); return typeof v === 'boolean' ? !v : undefined; };
      return (row) => { const n = num(a(row)); return n === undefined ? undefined : -n; };
    }
    case 'in': {
      const a = compileExpr(e.arg, ctx);
      const list = e.list.map((x) => compileExpr(x, ctx));
      return (row) => { const v = a(row); return list.some((f) => comparison('=', v, f(row))); };
    }
    case 'binary': {
      const l = compileExpr(e.left, ctx), r = compileExpr(e.right, ctx);
      switch (e.op) {
        case 'AND': return (row) => truthy(l(row)) && truthy(r(row));
        case 'OR': return (row) => truthy(l(row)) || truthy(r(row));
        case 'XOR': return (row) => truthy(l(row)) !== truthy(r(row));
        case 'LIKE': return (row) => { const a = str(l(row)), b = str(r(row)); return a === undefined || b === undefined ? false : like(a, b); };
        case '=': case '==': case '!=': case '<': case '<=': case '>': case '>=': {
          const op = e.op;
          const lit = literalOf(e.right);
          if (lit !== undefined) return compareToLiteral(op, l, lit);
          return (row) => comparison(op, l(row), r(row));
        }
        default: {
          const op = e.op;
          return (row) => arith(op, l(row), r(row));
        }
      }
    }
    case 'call': return compileCall(e, ctx);
  }
}

function literalOf(e: Expr): Scalar | undefined {
  return e.kind === 'str' || e.kind === 'num' ? e.value : undefined;
}

/**
 * `field OP literal`, the commonest test in a detection (status=200, line_type="gin", requests > 120): a single
 * string or number on the left is compared without building lists, with the same result as comparison().
 */
function compareToLiteral(op: string, l: Compiled, lit: Scalar): Compiled {
  const litNum = asNumber(lit);
  const litStr = scalarToString(lit);
  return (row) => {
    const v = l(row);
    if (typeof v === 'number' && litNum !== undefined && !Number.isNaN(v)) return holds(op, v < litNum ? -1 : v > litNum ? 1 : 0);
    if (typeof v === 'string') {
      // A numeric literal and a string (a rex capture): numeric when the string looks numeric, else as text.
      const n = litNum === undefined ? undefined : asNumber(v);
      return n !== undefined ? holds(op, n < litNum! ? -1 : n > litNum! ? 1 : 0) : holds(op, v < litStr ? -1 : v > litStr ? 1 : 0);
    }
    return comparison(op, v, lit);
  };
}

/** match(x, "literal") and like(x, "literal"): the pattern is compiled once, a single string tested directly. */
function literalPatternCall(e: Extract<Expr, { kind: 'call' }>, args: Compiled[], generic: Compiled): Compiled | undefined {
  if ((e.name !== 'match' && e.name !== 'like') || e.args[1]?.kind !== 'str') return undefined;
  const pattern = e.args[1].value;
  const a = args[0]!;
  const re = e.name === 'match' ? compileSplRegex(pattern, e.args[1].span.start).re : undefined;
  return (row) => {
    const v = a(row);
    if (typeof v !== 'string') return generic(row);
    if (re) { re.lastIndex = 0; return re.test(v); }
    return like(v, pattern);
  };
}

function compileCall(e: Extract<Expr, { kind: 'call' }>, ctx: EvalContext): Compiled {
  const args = e.args.map((a) => compileExpr(a, ctx));
  switch (e.name) {
    case 'if': {
      const [c, a, b] = args as [Compiled, Compiled, Compiled];
      return (row) => (truthy(c(row)) ? a(row) : b(row));
    }
    case 'case':
      return (row) => {
        for (let i = 0; i + 1 < args.length; i += 2) if (truthy(args[i]!(row))) return args[i + 1]!(row);
        return undefined;
      };
    case 'coalesce':
      return (row) => {
        for (const a of args) { const v = a(row); if (v !== undefined) return v; }
        return undefined;
      };
    case 'validate':
      return (row) => {
        for (let i = 0; i + 1 < args.length; i += 2) if (!truthy(args[i]!(row))) return args[i + 1]!(row);
        return undefined;
      };
  }
  const f = EVAL_FUNCTIONS[e.name];
  if (!f) throw new SplError(`unknown eval function ${e.name}()`, e.span.start, 'SPL_UNKNOWN_FUNCTION');
  const fn = f.fn;
  const pos = e.span.start;
  // Regex arguments given as literals are checked now, so a bad pattern is a parse-time error with a position.
  if ((e.name === 'match' || e.name === 'replace' || e.name === 'mvfind') && e.args[1]?.kind === 'str') {
    try {
      EVAL_FUNCTIONS.match!.fn(['', e.args[1].value], ctx);
    } catch (err) {
      if (err instanceof SplError) throw new SplError(err.message, e.args[1].span.start, err.code);
      throw err;
    }
  }
  const call = (vals: EvalValue[]) => {
    try {
      return fn(vals, ctx);
    } catch (err) {
      if (err instanceof SplError) throw new SplError(err.message, pos, err.code);
      throw err;
    }
  };
  // Argument lists of one to three are built as literals: no closure per argument, no growing array.
  const [a0, a1, a2] = args;
  let generic: Compiled;
  switch (args.length) {
    case 0: generic = () => call([]); break;
    case 1: generic = (row) => call([a0!(row)]); break;
    case 2: generic = (row) => call([a0!(row), a1!(row)]); break;
    case 3: generic = (row) => call([a0!(row), a1!(row), a2!(row)]); break;
    default: generic = (row) => call(args.map((a) => a(row)));
  }
  return literalPatternCall(e, args, generic) ?? generic;
}
