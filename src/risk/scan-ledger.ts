// A scan's results into the risk ledger: every row becomes a finding with its risk events (no throttling: a
// scan reports everything), then the incident rules run over all new risk events at once, in event-time order,
// so the incidents do not depend on the order detections happened to finish in.
import type { Detection } from '../detections/types.js';
import type { Row } from '../engine/value.js';
import { AlertBook } from './alert-book.js';
import type { RiskEvent } from './risk-events.js';
import type { IncidentChange, IncidentConfig } from './incidents.js';
import { IncidentEngine } from './incident-engine.js';
import type { RiskStore } from './store.js';

export interface ScanLedgerOptions {
  now: number;
  /** The scanned time range: the drilldowns' $info_min_time$ and $info_max_time$. */
  window: [number, number];
  sources: string[];
  incidents?: IncidentConfig;
}

/**
 * Records a scan's findings as the detections end, a batch of rows at a time (each batch its own transaction,
 * so its rows can go once recorded), then runs the incident rules over every new risk event at once.
 */
export class ScanRecorder {
  private readonly before: number;
  private readonly book: AlertBook;
  findings = 0;

  constructor(private readonly store: RiskStore, private readonly o: ScanLedgerOptions) {
    this.before = (store.db.prepare('SELECT coalesce(max(id), 0) AS n FROM risk_events').get() as { n: number }).n;
    this.book = new AlertBook(store, (a) => { if (a.type === 'alert') this.findings++; }, { throttle: false, sources: o.sources, coalesce: true });
  }

  /** `built`: the rows' risk events when the caller has built them already (AlertBook.record). */
  record(d: Detection, rows: Row[], built?: ReadonlyArray<RiskEvent[] | undefined>): void {
    this.store.db.transaction(() => this.book.record(d, rows, this.o.now, this.o.window, built))();
  }

  /** The incident rules over the new risk events, in event-time order: the incidents raised or updated. */
  finish(): IncidentChange[] {
    if (!this.o.incidents) return [];
    // Each object's span of new risk events, from the ledger: not every record in memory at once, unless the
    // ledger was empty before the scan (a scan without --state): then every record is new and is read once.
    const fresh = this.before === 0 && !this.store.anyIncident() ? this.store.riskRecordsByObject() : undefined;
    const spans = fresh ? [...fresh.values()].map((l) => ({ object: l[0]!.risk_object, type: l[0]!.risk_object_type, min: l[0]!.time, max: l[l.length - 1]!.time })) : this.store.objectSpansAfter(this.before);
    let changes: IncidentChange[] = [];
    this.store.db.transaction(() => { changes = new IncidentEngine(this.o.incidents!, this.store).considerSpans(spans, fresh); })();
    return changes;
  }
}

/** The final state of each incident a run raised or updated, oldest first. */
export function finalIncidents(changes: IncidentChange[]): IncidentChange[] {
  const last = new Map<number, IncidentChange>();
  for (const c of changes) last.set(c.incident.id, c);
  return [...last.values()].sort((a, b) => a.incident.time - b.incident.time || a.incident.id - b.incident.id);
}
