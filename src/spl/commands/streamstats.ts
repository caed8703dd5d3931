import type { Command } from '../ast.js';
import { Scanner } from '../lexer.js';
import { SplError } from '../errors.js';
import { parseAggregations } from './stats.js';
import { parseBool, parseCount, parseSpan, readOption } from './common.js';

const OPTIONS = ['current', 'window', 'time_window', 'global', 'reset_on_change', 'allnum'] as const;

/** `streamstats [current=bool] [window=N] [time_window=span] [reset_on_change=bool] fn(x) [as y], … [by f …]`. */
export function parseStreamstats(s: Scanner, start: number): Command {
  let current = true;
  let window = 0;
  let timeWindow: number | undefined;
  let resetOnChange = false;
  for (let opt = readOption(s, OPTIONS); opt; opt = readOption(s, OPTIONS)) {
    switch (opt.key) {
      case 'current': current = parseBool(opt); break;
      case 'window': window = parseCount(opt.value, opt.valueStart, 'window'); break;
      case 'time_window': {
        const sp = parseSpan(opt.value, opt.valueStart);
        if (sp.seconds === undefined) throw new SplError('time_window needs a time unit, e.g. 5m', opt.valueStart);
        timeWindow = sp.seconds;
        break;
      }
      case 'reset_on_change': resetOnChange = parseBool(opt); break;
      case 'global':
        if (!parseBool(opt)) throw new SplError('global=false is not supported', opt.start, 'SPL_UNSUPPORTED');
        break;
      case 'allnum':
        if (parseBool(opt)) throw new SplError('allnum=true is not supported', opt.start, 'SPL_UNSUPPORTED');
        break;
    }
  }
  const { aggs, by } = parseAggregations(s, start, 'streamstats');
  return { kind: 'streamstats', aggs, by, current, window, ...(timeWindow !== undefined ? { timeWindow } : {}), resetOnChange, span: { start, end: s.end } };
}
