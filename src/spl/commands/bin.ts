import type { Command } from '../ast.js';
import { Scanner } from '../lexer.js';
import { SplError } from '../errors.js';
import { readOption, expectFieldName, parseSpan, parseCount } from './common.js';

/** `bin [span=5m|bins=N] field [as name]` (also `bucket`). */
export function parseBin(s: Scanner, start: number): Command {
  let field: string | undefined;
  let as: string | undefined;
  let spanInfo: ReturnType<typeof parseSpan> | undefined;
  let bins: number | undefined;
  while (!s.atEnd()) {
    const opt = readOption(s, ['span', 'bins', 'minspan', 'start', 'end', 'aligntime']);
    if (opt) {
      if (opt.key === 'span') spanInfo = parseSpan(opt.value, opt.valueStart);
      else if (opt.key === 'bins') bins = parseCount(opt.value, opt.valueStart, 'bins');
      else throw new SplError(`bin option ${opt.key}= is not supported`, opt.start, 'SPL_UNSUPPORTED');
      continue;
    }
    const t = s.peek('word');
    if (t.kind === 'word' && t.value.toLowerCase() === 'as') {
      s.next('word');
      as = expectFieldName(s, 'a new field name after "as"').value;
      continue;
    }
    if (field !== undefined) throw new SplError(`unexpected "${t.value}" in bin`, t.start);
    field = expectFieldName(s).value;
  }
  if (field === undefined) throw new SplError('bin needs a field, e.g. bin _time span=5m', s.pos);
  if (!spanInfo && bins === undefined) throw new SplError('bin needs span= (bins= alone is not supported)', start, 'SPL_UNSUPPORTED');
  if (!spanInfo) throw new SplError('bin with only bins= is not supported; give span=', start, 'SPL_UNSUPPORTED');
  return {
    kind: 'bin', field, as: as ?? field, spanSeconds: spanInfo.seconds, spanValue: spanInfo.value, spanUnit: spanInfo.unit,
    ...(bins !== undefined ? { bins } : {}), span: { start, end: s.end },
  };
}
