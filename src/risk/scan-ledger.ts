// A scan's results into the risk ledger: every row becomes a finding with its risk events (no throttling: a
// scan reports everything), then the incident rules run over all new risk events at once, in event-time order,
// so the incidents do not depend on the order detections happened to finish in.
import type { Detection } from '../detections/types.js';
import type { Row } from '../engine/value.js';
import { AlertBook } from './alert-book.js';
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

export function recordScan(store: RiskStore, detections: Detection[], rows: Map<string, Row[]>, o: ScanLedgerOptions): { findings: number; changes: IncidentChange[] } {
  const before = (store.db.prepare('SELECT coalesce(max(id), 0) AS n FROM risk_events').get() as { n: number }).n;
  let findings = 0;
  const book = new AlertBook(store, (a) => { if (a.type === 'alert') findings++; }, { throttle: false, sources: o.sources });
  store.db.transaction(() => {
    for (const d of detections) book.record(d, rows.get(d.name) ?? [], o.now, o.window);
  })();
  if (!o.incidents) return { findings, changes: [] };
  const fresh = store.riskRecords().filter((r) => r.id > before);
  let changes: IncidentChange[] = [];
  store.db.transaction(() => { changes = new IncidentEngine(o.incidents!, store).consider(fresh); })();
  return { findings, changes };
}

/** The final state of each incident a run raised or updated, oldest first. */
export function finalIncidents(changes: IncidentChange[]): IncidentChange[] {
  const last = new Map<number, IncidentChange>();
  for (const c of changes) last.set(c.incident.id, c);
  return [...last.values()].sort((a, b) => a.incident.time - b.incident.time || a.incident.id - b.incident.id);
}
