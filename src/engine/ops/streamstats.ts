import type { RowCopy, Stage } from '../stage.js';
import { asNumber, type Row } from '../value.js';
import type { Accumulator } from '../../spl/stats-functions.js';
import { feedAccumulators, groupKeysOf, writeResults, type AggSpec } from './stats.js';

export interface StreamstatsOptions {
  current: boolean;
  window: number;
  timeWindow?: number;
  resetOnChange: boolean;
}

interface GroupState { accs?: Accumulator[]; window: Row[] }

/**
 * streamstats: running aggregates over the rows seen so far, in Splunk's order. Raw events reach us oldest
 * first while Splunk would feed them newest first, so in that case the rows are held and replayed in
 * Splunk's order at the end; after `sort` they stream. `window=N` keeps the last N rows of the group;
 * `time_window=span` keeps the group's rows whose _time is less than span away from the current row's.
 * `current=false` leaves the current row out of its own aggregates.
 */
export class StreamstatsStage implements Stage {
  private held: Row[] = [];
  private groups = new Map<string, GroupState>();
  private lastKey: string | undefined;

  constructor(
    private readonly aggs: AggSpec[],
    private readonly by: string[],
    private readonly opts: StreamstatsOptions,
    private readonly reversed: boolean,
    private readonly copy: RowCopy | undefined,
    private readonly next: Stage,
  ) {}

  push(row: Row): void {
    if (this.reversed) this.held.push(row);
    else this.process(row);
  }

  private process(input: Row): void {
    const row = this.copy ? this.copy(input) : input;
    const key = groupKeysOf(row, this.by)[0];
    if (key === undefined) { this.next.push(row); return; }
    if (this.opts.resetOnChange && this.lastKey !== undefined && key !== this.lastKey) this.groups.clear();
    this.lastKey = key;
    let g = this.groups.get(key);
    if (!g) { g = { window: [] }; this.groups.set(key, g); }
    const windowed = this.opts.window > 0 || this.opts.timeWindow !== undefined;
    if (!windowed) {
      g.accs ??= this.aggs.map((a) => a.fn.create(false));
      if (this.opts.current) { feedAccumulators(this.aggs, g.accs, row); writeResults(this.aggs, g.accs, row); }
      else { const snapshot: Row = {}; writeResults(this.aggs, g.accs, snapshot); feedAccumulators(this.aggs, g.accs, row); this.assign(row, snapshot); }
      this.next.push(row);
      return;
    }
    const t = asNumber(row._time);
    if (this.opts.timeWindow !== undefined && t !== undefined) {
      const tw = this.opts.timeWindow;
      g.window = g.window.filter((r) => { const rt = asNumber(r._time); return rt !== undefined && Math.abs(t - rt) < tw; });
    }
    const snapshotOf = (rows: Row[]): Row => {
      const accs = this.aggs.map((a) => a.fn.create(false));
      for (const r of rows) feedAccumulators(this.aggs, accs, r);
      const out: Row = {};
      writeResults(this.aggs, accs, out);
      return out;
    };
    // Aggregate over the original values: later stages must not see our own outputs fed back in.
    const pristine = { ...row };
    if (this.opts.current) {
      g.window.push(pristine);
      if (this.opts.window > 0 && g.window.length > this.opts.window) g.window.shift();
      this.assign(row, snapshotOf(g.window));
    } else {
      this.assign(row, snapshotOf(g.window));
      g.window.push(pristine);
      if (this.opts.window > 0 && g.window.length > this.opts.window) g.window.shift();
    }
    this.next.push(row);
  }

  private assign(row: Row, results: Row): void {
    for (const a of this.aggs) { if (results[a.as] !== undefined) row[a.as] = results[a.as]; else delete row[a.as]; }
  }

  end(): void {
    if (this.reversed) {
      for (let i = this.held.length - 1; i >= 0; i--) this.process(this.held[i]!);
      this.held = [];
    }
    this.groups.clear();
    this.next.end();
  }
}
