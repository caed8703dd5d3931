// An incident as it leaves the process (NDJSON, webhook, syslog, HEC forward): the incident, and its stages
// with the risk events behind them, so a receiver needs no second lookup.
import type { IncidentChange } from './incidents.js';
import { stagesOf } from './incidents.js';
import { tacticName } from './tactics.js';

export interface IncidentRecord {
  type: 'incident' | 'incident_update';
  incident_id: number;
  /** Event time at which a rule first held. */
  time: number;
  triggered_at: number;
  updates: number;
  /** The rules that hold, by name (as "detection" for receivers that key on it). */
  detection: string;
  rules: string[];
  risk_object: string;
  risk_object_type: string;
  risk_score: number;
  raw_score: number;
  risk_message: string;
  detections: string[];
  tactics: string[];
  stages: Array<{ tactic: string; detections: string[]; first: number }>;
  risk_events: Array<{ id: number; time: number; detection: string; risk_score: number; tactics: string[]; risk_message: string; finding_id: number }>;
}

export function incidentRecord(c: IncidentChange, now: number): IncidentRecord {
  const i = c.incident;
  const names = c.rule_names.join('; ');
  return {
    type: c.type, incident_id: i.id, time: i.time, triggered_at: now, updates: i.updates, detection: `Risk incident: ${names}`,
    rules: i.rules, risk_object: i.risk_object, risk_object_type: i.risk_object_type, risk_score: i.score, raw_score: i.raw_score,
    risk_message: i.message, detections: i.detections, tactics: i.tactics.map(tacticName), stages: stagesOf(c.stages),
    risk_events: c.stages.map((r) => ({ id: r.id, time: r.time, detection: r.detection, risk_score: r.risk_score, tactics: r.tactics.map(tacticName), risk_message: r.message, finding_id: r.finding_id })),
  };
}
