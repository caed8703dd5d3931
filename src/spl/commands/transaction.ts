import type { Command, TxnFilter } from '../ast.js';
import { Scanner } from '../lexer.js';
import { SplError } from '../errors.js';
import { ExprParser } from '../expr-parser.js';
import { SearchParser } from '../search-parser.js';
import { parseBool, parseCount, parseSpan } from './common.js';

/**
 * `transaction f1 f2 … [maxspan=span] [maxpause=span] [maxevents=N] [maxopentxn=N] [maxopenevents=N] [startswith=…]
 * [endswith=…] [keepevicted=bool]`. A boundary is `eval(<expression>)`, `(<search>)` or `"<search>"`.
 * maxopentxn and maxopenevents default to Splunk's limits.conf values (5000 and 100000).
 */
export function parseTransaction(s: Scanner, start: number): Command {
  const cmd: Extract<Command, { kind: 'transaction' }> = { kind: 'transaction', fields: [], maxevents: 1000, maxopentxn: 5000, maxopenevents: 100000, keepevicted: false, span: { start, end: s.end } };
  while (!s.atEnd()) {
    const t = s.next('word');
    if (t.kind === 'comma') continue;
    if (t.kind !== 'word' && t.kind !== 'string') throw new SplError(`expected a field name or option, found "${t.value}"`, t.start);
    const eq = s.peek('word');
    if (!(t.kind === 'word' && eq.kind === 'op' && eq.value === '=' && eq.start === t.end)) {
      cmd.fields.push(t.value);
      continue;
    }
    s.next('word');
    const key = t.value.toLowerCase();
    if (key === 'startswith' || key === 'endswith') {
      cmd[key] = parseBoundary(s, key);
      continue;
    }
    const v = s.next('word');
    if (v.kind !== 'word' && v.kind !== 'string') throw new SplError(`expected a value for ${t.value}=`, v.start);
    const opt = { key, value: v.value, start: t.start, valueStart: v.start };
    switch (key) {
      case 'maxspan': case 'maxpause': {
        const sp = parseSpan(v.value, v.start);
        cmd[key] = sp.seconds ?? sp.value;
        break;
      }
      case 'maxevents': cmd.maxevents = parseCount(v.value, v.start, 'maxevents'); break;
      case 'maxopentxn': cmd.maxopentxn = parseCount(v.value, v.start, 'maxopentxn'); break;
      case 'maxopenevents': cmd.maxopenevents = parseCount(v.value, v.start, 'maxopenevents'); break;
      case 'keepevicted': cmd.keepevicted = parseBool(opt); break;
      case 'mvlist': case 'keeporphans': case 'connected':
        throw new SplError(`transaction option ${t.value}= is not supported`, t.start, 'SPL_UNSUPPORTED');
      default: throw new SplError(`unknown transaction option "${t.value}" (supported: maxspan, maxpause, maxevents, maxopentxn, maxopenevents, startswith, endswith, keepevicted)`, t.start);
    }
  }
  if (cmd.fields.length === 0) throw new SplError('transaction needs at least one field to group by, e.g. transaction src', start, 'SPL_UNSUPPORTED');
  return cmd;
}

function parseBoundary(s: Scanner, key: string): TxnFilter {
  const t = s.peek('word');
  if (t.kind === 'word' && t.value === 'eval' && s.text[t.end] === '(') {
    s.next('word');
    s.next('word');
    const expr = new ExprParser(s).parse();
    const close = s.next('expr');
    if (close.kind !== 'rparen') throw new SplError(`expected ")" to close ${key}=eval(`, close.start);
    return { kind: 'eval', expr };
  }
  if (t.kind === 'lparen') {
    s.next('word');
    const expr = new SearchParser(s).parseGroup();
    const close = s.next('word');
    if (close.kind !== 'rparen') throw new SplError(`expected ")" to close ${key}=(`, close.start);
    return { kind: 'search', expr };
  }
  if (t.kind === 'string') {
    s.next('word');
    // Parse the quoted text as a search in place, so errors point into the original query.
    const inner = new Scanner(s.text, t.start + 1, t.end - 1);
    if (t.raw !== t.value || inner.atEnd()) return { kind: 'search', expr: { kind: 'term', text: t.value, quoted: true, span: { start: t.start, end: t.end } } };
    const expr = new SearchParser(inner).parseAll();
    return { kind: 'search', expr: expr! };
  }
  if (t.kind === 'word') {
    s.next('word');
    return { kind: 'search', expr: { kind: 'term', text: t.value, quoted: false, span: { start: t.start, end: t.end } } };
  }
  throw new SplError(`expected eval(...), (...) or a quoted search after ${key}=`, t.start);
}
