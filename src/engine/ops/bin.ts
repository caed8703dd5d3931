import type { RowCopy, Stage } from '../stage.js';
import { asNumber, type Row } from '../value.js';
import type { TimeZone } from '../../util/timezone.js';
import { generated } from '../generated-code.js';

/**
 * bin: _time spans align to the Unix epoch (UTC); spans of a day or more align to midnight in the search
 * time zone. Other numeric fields become "lo-hi" ranges, as Splunk shows them. Non-numeric values are left alone.
 */
export class BinStage implements Stage {
  /** Generated per stage with the field names written in (as filter.ts explains). */
  readonly push: (row: Row) => void;
  constructor(
    field: string,
    as: string,
    spanSeconds: number | undefined,
    spanValue: number,
    tz: TimeZone,
    copy: RowCopy | undefined,
    private readonly next: Stage,
  ) {
    const q = JSON.stringify;
    const timed = field === '_time' || spanSeconds !== undefined;
    const span = spanSeconds ?? spanValue;
    // Copy even when nothing changes: later stages are told rows are no longer shared.
    this.push = generated<BinPush>(['asNumber', 'binTime', 'range', 'span', 'tz', 'copy', 'next'], `
      return (input) => {
        const v = asNumber(input[${q(field)}]);
        const row = copy === undefined ? input : copy(input);
        if (v !== undefined) row[${q(as)}] = ${timed ? 'binTime(v, span, tz)' : 'range(v, span)'};
        next.push(row);
      };`)(asNumber, binTime, numericRange, span, tz, copy, next);
  }

  end(): void { this.next.end(); }
}

type AsNumber = typeof asNumber;
type BinPush = (asNumber: AsNumber, binTime: (t: number, span: number, tz: TimeZone) => number,
  range: (v: number, span: number) => string, span: number, tz: TimeZone, copy: RowCopy | undefined, next: Stage) => (row: Row) => void;

/** A numeric field's bin, "lo-hi". */
function numericRange(v: number, span: number): string {
  const lo = Math.floor(v / span) * span;
  return `${tidy(lo)}-${tidy(lo + span)}`;
}

/** The start of the bin of `span` seconds that epoch second `t` falls in, as `bin _time span=…` gives it. */
export function binTime(t: number, span: number, tz: TimeZone): number {
  if (span < 86400) return Math.floor(t / span) * span;
  const f = tz.fieldsAt(t * 1000);
  const midnight = tz.localToEpochMs(f.y, f.mo, f.d, 0, 0, 0) / 1000;
  const days = span / 86400;
  if (days === 1) return midnight;
  // Multi-day spans count whole days since the epoch in the search zone.
  const dayIndex = Math.floor((midnight + f.offsetMin * 60) / 86400);
  const start = dayIndex - (((dayIndex % days) + days) % days);
  return midnight - (dayIndex - start) * 86400;
}

function tidy(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(12)));
}
