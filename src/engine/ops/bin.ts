import type { RowCopy, Stage } from '../stage.js';
import { asNumber, type Row } from '../value.js';
import type { TimeZone } from '../../util/timezone.js';

/**
 * bin: _time spans align to the Unix epoch (UTC); spans of a day or more align to midnight in the search
 * time zone. Other numeric fields become "lo-hi" ranges, as Splunk shows them. Non-numeric values are left alone.
 */
export class BinStage implements Stage {
  constructor(
    private readonly field: string,
    private readonly as: string,
    private readonly spanSeconds: number | undefined,
    private readonly spanValue: number,
    private readonly tz: TimeZone,
    private readonly copy: RowCopy | undefined,
    private readonly next: Stage,
  ) {}

  push(input: Row): void {
    const v = asNumber(input[this.field]);
    // Copy even when nothing changes: later stages are told rows are no longer shared.
    if (v === undefined) { this.next.push(this.copy ? this.copy(input) : input); return; }
    const row = this.copy ? this.copy(input) : input;
    if (this.field === '_time' || this.spanSeconds !== undefined) {
      const span = this.spanSeconds ?? this.spanValue;
      row[this.as] = binTime(v, span, this.tz);
    } else {
      const lo = Math.floor(v / this.spanValue) * this.spanValue;
      row[this.as] = `${tidy(lo)}-${tidy(lo + this.spanValue)}`;
    }
    this.next.push(row);
  }

  end(): void { this.next.end(); }
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
