// Turns result rows into findings, exactly once. A finding's identity is the detection, the row's _time (its
// window or bin) and its risk-object values: the same condition seen again (by a later scheduled run over an
// overlapping window, after a restart, or by real-time re-evaluation) is the same finding. When its row
// changes (the count grew) the finding is updated and an "update" goes out instead of a second alert.
// Throttling (Splunk's alert.suppress) stores suppressed findings and counts them, but sends nothing.
// The risk events a finding carries go into the ledger, and the risk incident rules run over them.
import type { Detection } from '../detections/types.js';
import { riskEventsFor, type RiskEvent } from './risk-events.js';
import { asNumber, scalarToString, valuesOf, type Row } from '../engine/value.js';
import type { RiskStore } from './store.js';
import type Database from 'better-sqlite3';
import { tacticsFor } from './tactics.js';
import type { IncidentChange, IncidentConfig, RiskRecord } from './incidents.js';
import { IncidentEngine } from './incident-engine.js';
import { incidentRecord, type IncidentRecord } from './incident-record.js';
import { hexDigest } from '../util/hash.js';

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

export type OutputRecord = AlertRecord | IncidentRecord;
export type AlertListener = (a: OutputRecord) => void;

export interface BookOptions {
  /** Apply detections' throttles (watch); a scan reports every finding. */
  throttle?: boolean;
  /** Risk incident rules; none when undefined. */
  incidents?: IncidentConfig;
  /** Where a finding's events came from (files), for drilldowns. */
  sources?: string[];
  /**
   * Rows of one finding that follow each other in a call are written once, as the last of them, with the
   * updates they add counted (a scan: Splunk's Endpoint Scan gives one row for each combination of its
   * multivalue fields, all one finding). The ledger ends as writing them one by one leaves it; the records
   * sent are the run's first (an alert, or an update) and, when the run changed it further, one update for
   * the rest. Only without throttling and incident rules, which look at each row as it is written.
   */
  coalesce?: boolean;
}


function canonical(row: Row): string {
  return JSON.stringify(Object.keys(row).sort().map((k) => [k, row[k]]));
}

export function identityOf(d: Detection, row: Row): string {
  const parts = [d.id, row._time === undefined ? '' : scalarToString(valuesOf(row._time)[0] ?? '')];
  const ros = d.rba?.risk_objects ?? [];
  if (ros.length) for (const ro of ros) parts.push(`${ro.field}=${valuesOf(row[ro.field]).map(scalarToString).sort().join(',')}`);
  else parts.push(canonical(row));
  return hexDigest('sha256', parts.join('\u0000')).slice(0, 32);
}

export class AlertBook {
  suppressedCount = 0;
  private readonly incidents?: IncidentEngine;
  private readonly statements = new Map<string, Database.Statement>();
  constructor(private readonly store: RiskStore, private readonly listener: AlertListener, private readonly opts: BookOptions = {}) {
    if (opts.incidents) this.incidents = new IncidentEngine(opts.incidents, store);
  }

  /**
   * Records the rows of one evaluation at wall time `now` over the search window `window` (for drilldowns);
   * then applies the incident rules to the new risk events. Returns the records sent. `built[i]`, when given,
   * are row i's risk events already built by the caller, as riskEventsFor builds them here.
   */
  record(d: Detection, rows: Row[], now: number, window?: [number, number], built?: ReadonlyArray<RiskEvent[] | undefined>): OutputRecord[] {
    const sent: OutputRecord[] = [];
    const fresh: number[] = [];
    const db = this.store.db;
    const tactics = JSON.stringify(tacticsFor(d.tags.mitre_attack_id));
    const sources = JSON.stringify(this.opts.sources ?? []);
    const coalesce = this.opts.coalesce === true && this.opts.throttle === false && !this.incidents;
    const send = (rec: OutputRecord) => { sent.push(rec); this.listener(rec); };
    const eventsOf = (k: number, time: number) => built?.[k] ?? riskEventsFor(d, rows[k]!, time);
    let next = rows.length > 0 ? identityOf(d, rows[0]!) : '';
    let nextText = rows.length > 0 ? JSON.stringify(rows[0]) : '';
    for (let first = 0; first < rows.length;) {
      // A run: rows[first..last] of one finding (a single row unless coalescing). `changes`: how many of its rows
      // differ from the row before them in it, each of which would have been an update.
      const ident = next;
      const texts = [nextText];
      let last = first;
      let changes = 0;
      for (;;) {
        if (last + 1 >= rows.length) { next = ''; break; }
        next = identityOf(d, rows[last + 1]!);
        nextText = JSON.stringify(rows[last + 1]);
        if (!coalesce || next !== ident) break;
        if (nextText !== texts[texts.length - 1]) changes++;
        texts.push(nextText);
        last++;
      }
      const row = rows[last]!;
      const rowText = texts[texts.length - 1]!;
      const time = asNumber(row._time) ?? now;
      const events = eventsOf(last, time);
      // Every event of a row carries the row's message (riskEventsFor makes at least one).
      const message = events[0]!.risk_message;
      const score = events.reduce((m, e) => Math.max(m, e.risk_score), 0);
      const old = this.store.finding(ident);
      const recs: AlertRecord[] = [];
      const write = () => {
        if (!old) {
          const suppressed = this.suppressed(d, rows[first]!, now);
          const info = this.stmt(`INSERT INTO findings (ident, detection, detection_id, event_time, first_seen, last_seen, risk_objects, score, message, row, suppressed, window_start, window_end, sources, updates)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(ident, d.name, d.id, time, now, now, JSON.stringify(events.map((e) => e.risk_object)), score, message, rowText, suppressed ? 1 : 0, window?.[0] ?? null, window?.[1] ?? null, sources, changes);
          const id = Number(info.lastInsertRowid);
          for (const e of events) { const r = this.insertRisk(id, d, e, JSON.stringify(e), tactics); if (r && !suppressed) fresh.push(r); }
          if (!suppressed) {
            // As if the run's rows were written one by one: the first an alert, the rest updates of it.
            const firstEvents = first === last ? events : eventsOf(first, time);
            const firstScore = firstEvents.reduce((m, e) => Math.max(m, e.risk_score), 0);
            recs.push({ type: 'alert', finding_id: id, detection: d.name, detection_id: d.id, time, triggered_at: now, updates: 0, risk_score: firstScore, risk_message: firstEvents[0]!.risk_message, risk_events: firstEvents, fields: rows[first]! });
            if (changes > 0) recs.push({ type: 'update', finding_id: id, detection: d.name, detection_id: d.id, time, triggered_at: now, updates: changes, risk_score: score, risk_message: message, risk_events: events, fields: row });
          }
          return;
        }
        const updates = (old.row !== texts[0] ? 1 : 0) + changes;
        if (updates === 0) return;
        if (window) {
          this.stmt(`UPDATE findings SET row = ?, message = ?, score = ?, last_seen = ?, updates = updates + ?,
            window_start = min(coalesce(window_start, ?), ?), window_end = max(coalesce(window_end, ?), ?) WHERE id = ?`).run(rowText, message, score, now, updates, window[0], window[0], window[1], window[1], old.id);
        } else this.stmt('UPDATE findings SET row = ?, message = ?, score = ?, last_seen = ?, updates = updates + ? WHERE id = ?').run(rowText, message, score, now, updates, old.id);
        const up = this.stmt('UPDATE risk_events SET risk_message = ?, risk_score = ?, event = ? WHERE finding_id = ? AND risk_object = ?');
        for (const e of events) {
          const text = JSON.stringify(e);
          // An event the finding had is rewritten; one it did not (a new risk object) is added.
          if (up.run(e.risk_message, e.risk_score, text, old.id, e.risk_object ?? '').changes > 0) continue;
          const r = this.insertRisk(old.id, d, e, text, tactics);
          if (r && !old.suppressed) fresh.push(r);
        }
        if (old.status === 'closed') {
          // New evidence reopens a closed finding, with a note saying why.
          this.stmt("UPDATE findings SET status = 'new' WHERE id = ?").run(old.id);
          this.store.addNote('finding', old.id, 'new', 'reopened: the finding grew after it was closed', 'ollama-sentinel', now);
        }
        if (!old.suppressed) recs.push({ type: 'update', finding_id: old.id, detection: d.name, detection_id: d.id, time, triggered_at: now, updates: old.updates + updates, risk_score: score, risk_message: message, risk_events: events, fields: row });
      };
      // Each run is atomic. Inside a caller's transaction (a scan records a batch of rows in one) that needs
      // no savepoint per run: an error rolls the caller's whole transaction back.
      if (db.inTransaction) write();
      else db.transaction(write)();
      for (const rec of recs) send(rec);
      first = last + 1;
    }
    if (this.incidents && fresh.length) {
      for (const c of this.considerIncidents(this.store.riskRecords({ ids: fresh }))) send(incidentRecord(c, now));
    }
    return sent;
  }

  /** Prepared once per book: a scan records thousands of findings. */
  private stmt(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.store.db.prepare(sql)));
    return st;
  }

  private considerIncidents(records: RiskRecord[]): IncidentChange[] {
    let out: IncidentChange[] = [];
    this.store.db.transaction(() => { out = this.incidents!.consider(records); })();
    return out;
  }

  /** Stores one risk event (`text`: the event as JSON); returns its id when it is new. */
  private insertRisk(findingId: number, d: Detection, e: RiskEvent, text: string, tactics: string): number | undefined {
    const info = this.stmt(`INSERT OR IGNORE INTO risk_events (finding_id, time, detection, detection_id, risk_object, risk_object_type, risk_score, risk_message, tactics, event)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(findingId, e._time, d.name, d.id, e.risk_object ?? '', e.risk_object_type, e.risk_score, e.risk_message, tactics, text);
    return info.changes ? Number(info.lastInsertRowid) : undefined;
  }

  /** Splunk's alert.suppress: the first alert for these field values starts the period; later ones are counted. */
  private suppressed(d: Detection, row: Row, now: number): boolean {
    if (!d.throttle || this.opts.throttle === false) return false;
    const key = `${d.id}|${d.throttle.fields.map((f) => `${f}=${valuesOf(row[f]).map(scalarToString).join(',')}`).join('|')}`;
    const cur = this.stmt('SELECT until FROM suppressions WHERE key = ?').get(key) as { until: number } | undefined;
    if (cur && now < cur.until) {
      this.stmt('UPDATE suppressions SET suppressed = suppressed + 1 WHERE key = ?').run(key);
      this.suppressedCount++;
      return true;
    }
    this.stmt('INSERT INTO suppressions (key, until, suppressed) VALUES (?, ?, 0) ON CONFLICT(key) DO UPDATE SET until = excluded.until').run(key, now + d.throttle.period);
    return false;
  }
}
