import type { RowCopy, Stage } from '../stage.js';
import type { Row } from '../value.js';
import type { Accumulator } from '../../spl/stats-functions.js';
import { feedAccumulators, groupKeysOf, writeResults, type AggSpec } from './stats.js';

/**
 * eventstats: the same aggregates as stats, written onto every row of the group instead of replacing the rows.
 * It must see every row before it can annotate any, so it holds them until the end. Rows without a by-field
 * pass through unchanged; a row whose by-field is multivalue takes the results of its first value's group
 * (Splunk's documentation does not say; documented in docs/spl.md).
 */
export class EventstatsStage implements Stage {
  private rows: Row[] = [];
  private groups = new Map<string, Accumulator[]>();

  constructor(private readonly aggs: AggSpec[], private readonly by: string[], private readonly reversed: boolean, private readonly copy: RowCopy | undefined, private readonly next: Stage) {}

  push(row: Row): void {
    this.rows.push(row);
    for (const key of groupKeysOf(row, this.by)) {
      let accs = this.groups.get(key);
      if (!accs) { accs = this.aggs.map((a) => a.fn.create(this.reversed)); this.groups.set(key, accs); }
      feedAccumulators(this.aggs, accs, row);
    }
  }

  end(): void {
    if (this.by.length === 0 && this.groups.size === 0) this.groups.set('', this.aggs.map((a) => a.fn.create(this.reversed)));
    const results = new Map<string, Row>();
    for (const [k, accs] of this.groups) { const r: Row = {}; writeResults(this.aggs, accs, r); results.set(k, r); }
    for (const row of this.rows) {
      const key = groupKeysOf(row, this.by)[0];
      const res = key === undefined ? undefined : results.get(key);
      if (!res) { this.next.push(row); continue; }
      const out = this.copy ? this.copy(row) : row;
      for (const a of this.aggs) { if (res[a.as] !== undefined) out[a.as] = res[a.as]; else delete out[a.as]; }
      this.next.push(out);
    }
    this.rows = [];
    this.groups.clear();
    this.next.end();
  }
}
