// Turns result rows into findings, exactly once. A finding's identity is the detection, the row's _time (its
// window or bin) and its risk-object values: the same condition seen again (by a later scheduled run over an
// overlapping window, after a restart, or by real-time re-evaluation) is the same finding. When its row
// changes (the count grew) the finding is updated and an "update" goes out instead of a second alert.
// Throttling (Splunk's alert.suppress) stores suppressed findings and counts them, but sends nothing.
import { createHash } from 'node:crypto';
import type { Detection } from '../detections/types.js';
import { riskEventsFor, type RiskEvent } from '../risk/risk-events.js';
import { renderMessage } from '../risk/message.js';
import { asNumber, scalarToString, valuesOf, type Row } from '../engine/value.js';
import type { StateStore } from './store.js';

export interface AlertRecord {
  type: 'alert' | 'update';
  finding_id: number;
  detection: string;
  detection_id: string;
  /** The row's _time (window or bin start), else when it was found. */
  time: number;
  triggered_at: number;
  updates: number;
  risk_score: number;
  risk_message: string;
  risk_events: RiskEvent[];
  fields: Row;
}

export type AlertListener = (a: AlertRecord) => void;

function canonical(row: Row): string {
  return JSON.stringify(Object.keys(row).sort().map((k) => [k, row[k]]));
}

export function identityOf(d: Detection, row: Row): string {
  const parts = [d.id, row._time === undefined ? '' : scalarToString(valuesOf(row._time)[0] ?? '')];
  const ros = d.rba?.risk_objects ?? [];
  if (ros.length) for (const ro of ros) parts.push(`${ro.field}=${valuesOf(row[ro.field]).map(scalarToString).sort().join(',')}`);
  else parts.push(canonical(row));
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

export class AlertBook {
  suppressedCount = 0;
  constructor(private readonly store: StateStore, private readonly listener: AlertListener) {}

  /** Records the rows of one evaluation at wall time `now`; returns the records sent. */
  record(d: Detection, rows: Row[], now: number): AlertRecord[] {
    const sent: AlertRecord[] = [];
    const db = this.store.db;
    for (const row of rows) {
      const ident = identityOf(d, row);
      const rowText = JSON.stringify(row);
      const message = d.rba ? renderMessage(d.rba.message, row) : `${d.name} matched`;
      const time = asNumber(row._time) ?? now;
      const events = riskEventsFor(d, row, time);
      const score = events.reduce((m, e) => Math.max(m, e.risk_score), 0);
      const old = this.store.finding(ident);
      let rec: AlertRecord | undefined;
      db.transaction(() => {
        if (!old) {
          const suppressed = this.suppressed(d, row, now);
          const info = db.prepare(`INSERT INTO findings (ident, detection, detection_id, event_time, first_seen, last_seen, risk_objects, score, message, row, suppressed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(ident, d.name, d.id, time, now, now, JSON.stringify(events.map((e) => e.risk_object)), score, message, rowText, suppressed ? 1 : 0);
          const id = Number(info.lastInsertRowid);
          const ins = db.prepare('INSERT OR IGNORE INTO risk_events (finding_id, time, detection, risk_object, risk_object_type, risk_score, risk_message, event) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
          for (const e of events) ins.run(id, e._time, d.name, e.risk_object ?? '', e.risk_object_type, e.risk_score, e.risk_message, JSON.stringify(e));
          if (!suppressed) rec = { type: 'alert', finding_id: id, detection: d.name, detection_id: d.id, time, triggered_at: now, updates: 0, risk_score: score, risk_message: message, risk_events: events, fields: row };
        } else if (old.row !== rowText) {
          db.prepare('UPDATE findings SET row = ?, message = ?, score = ?, last_seen = ?, updates = updates + 1 WHERE id = ?').run(rowText, message, score, now, old.id);
          const up = db.prepare('UPDATE risk_events SET risk_message = ?, risk_score = ?, event = ? WHERE finding_id = ? AND risk_object = ?');
          const ins = db.prepare('INSERT OR IGNORE INTO risk_events (finding_id, time, detection, risk_object, risk_object_type, risk_score, risk_message, event) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
          for (const e of events) {
            up.run(e.risk_message, e.risk_score, JSON.stringify(e), old.id, e.risk_object ?? '');
            ins.run(old.id, e._time, d.name, e.risk_object ?? '', e.risk_object_type, e.risk_score, e.risk_message, JSON.stringify(e));
          }
          if (!old.suppressed) rec = { type: 'update', finding_id: old.id, detection: d.name, detection_id: d.id, time, triggered_at: now, updates: old.updates + 1, risk_score: score, risk_message: message, risk_events: events, fields: row };
        }
      })();
      if (rec) { sent.push(rec); this.listener(rec); }
    }
    return sent;
  }

  /** Splunk's alert.suppress: the first alert for these field values starts the period; later ones are counted. */
  private suppressed(d: Detection, row: Row, now: number): boolean {
    if (!d.throttle) return false;
    const key = `${d.id}|${d.throttle.fields.map((f) => `${f}=${valuesOf(row[f]).map(scalarToString).join(',')}`).join('|')}`;
    const db = this.store.db;
    const cur = db.prepare('SELECT until FROM suppressions WHERE key = ?').get(key) as { until: number } | undefined;
    if (cur && now < cur.until) {
      db.prepare('UPDATE suppressions SET suppressed = suppressed + 1 WHERE key = ?').run(key);
      this.suppressedCount++;
      return true;
    }
    db.prepare('INSERT INTO suppressions (key, until, suppressed) VALUES (?, ?, 0) ON CONFLICT(key) DO UPDATE SET until = excluded.until').run(key, now + d.throttle.period);
    return false;
  }
}
