import type { Command } from '../ast.js';
import { Scanner } from '../lexer.js';
import { SplError } from '../errors.js';
import { readOption, parseCount } from './common.js';
import { compileSplRegex } from '../regex.js';

/** `rex [field=f] [max_match=N] [mode=sed] "regex with (?<name>…) groups"`. */
export function parseRex(s: Scanner, start: number): Command {
  let field = '_raw';
  let maxMatch = 1;
  let mode: 'extract' | 'sed' = 'extract';
  let regex: string | undefined;
  let regexPos = start;
  while (!s.atEnd()) {
    const opt = readOption(s, ['field', 'max_match', 'mode', 'offset_field']);
    if (opt) {
      if (opt.key === 'field') field = opt.value;
      else if (opt.key === 'max_match') maxMatch = parseCount(opt.value, opt.valueStart, 'max_match');
      else if (opt.key === 'mode') {
        if (opt.value !== 'sed') throw new SplError('mode must be sed', opt.valueStart);
        mode = 'sed';
      } else throw new SplError(`rex option ${opt.key}= is not supported`, opt.start, 'SPL_UNSUPPORTED');
      continue;
    }
    const t = s.next('word');
    if (t.kind !== 'string') throw new SplError(`expected a quoted regular expression, found "${t.value}"`, t.start);
    if (regex !== undefined) throw new SplError('rex takes one regular expression', t.start);
    regex = t.raw;
    regexPos = t.start;
  }
  if (regex === undefined) throw new SplError('rex needs a quoted regular expression', s.pos);
  if (mode === 'extract') {
    const compiled = compileSplRegex(regex, regexPos);
    if (compiled.groupNames.length === 0) throw new SplError('rex needs at least one named group such as (?<name>...)', regexPos);
  } else if (!/^s\/.*\/.*\/[gi0-9]*$/s.test(regex)) {
    throw new SplError('sed mode expects s/regex/replacement/flags', regexPos);
  }
  return { kind: 'rex', field, regex, maxMatch, mode, span: { start, end: s.end } };
}
