// A result row becomes one risk event per risk object value (a multivalue risk field gives one per value).
import type { Detection } from '../detections/types.js';
import { asNumber, scalarToString, valuesOf, type Row } from '../engine/value.js';
import { renderMessage } from './message.js';

export interface ThreatObject { field: string; type: string; value: string }

export interface RiskEvent {
  /** Epoch seconds: the row's _time when it has one, otherwise the end of the scanned data. */
  _time: number;
  detection: string;
  detection_id: string;
  risk_object: string | null;
  risk_object_field: string | null;
  risk_object_type: string;
  risk_score: number;
  threat_objects: ThreatObject[];
  mitre_attack_id: string[];
  analytic_story: string[];
  risk_message: string;
  fields: Row;
}

export function riskEventsFor(det: Detection, row: Row, fallbackTime: number): RiskEvent[] {
  const t = asNumber(row._time) ?? fallbackTime;
  const message = det.rba ? renderMessage(det.rba.message, row) : `${det.name} matched`;
  const threats: ThreatObject[] = [];
  for (const to of det.rba?.threat_objects ?? []) {
    for (const v of valuesOf(row[to.field])) threats.push({ field: to.field, type: to.type, value: scalarToString(v) });
  }
  const base = {
    _time: t, detection: det.name, detection_id: det.id, threat_objects: threats,
    mitre_attack_id: det.tags.mitre_attack_id, analytic_story: det.tags.analytic_story, risk_message: message, fields: row,
  };
  const out: RiskEvent[] = [];
  for (const ro of det.rba?.risk_objects ?? []) {
    for (const v of valuesOf(row[ro.field])) {
      out.push({ ...base, risk_object: scalarToString(v), risk_object_field: ro.field, risk_object_type: ro.type, risk_score: ro.score });
    }
  }
  if (out.length === 0) {
    // No risk object value in the row (or no rba): still a finding, with nothing to attribute risk to.
    out.push({ ...base, risk_object: null, risk_object_field: null, risk_object_type: 'other', risk_score: 0 });
  }
  return out;
}
