// Per-object risk: the objects ranked by score, with the detections, tactics and time span behind each.
import { evaluateWindow, type RiskRecord } from './incidents.js';

export interface ObjectRisk {
  risk_object: string;
  risk_object_type: string;
  /** With dedup, each detection counted once (its highest score); raw_score sums every risk event. */
  score: number;
  raw_score: number;
  risk_events: number;
  detections: string[];
  tactics: string[];
  first: number;
  last: number;
}

export function rankObjects(records: RiskRecord[], dedup: boolean): ObjectRisk[] {
  const groups = new Map<string, RiskRecord[]>();
  for (const r of records) {
    const k = JSON.stringify([r.risk_object, r.risk_object_type]);
    const g = groups.get(k);
    if (g) g.push(r); else groups.set(k, [r]);
  }
  const out: ObjectRisk[] = [];
  for (const list of groups.values()) {
    const e = evaluateWindow(list, dedup);
    out.push({
      risk_object: list[0]!.risk_object, risk_object_type: list[0]!.risk_object_type, score: e.score, raw_score: e.raw_score,
      risk_events: list.length, detections: e.detections, tactics: e.tactics,
      first: Math.min(...list.map((r) => r.time)), last: Math.max(...list.map((r) => r.time)),
    });
  }
  return out.sort((a, b) => b.score - a.score || b.raw_score - a.raw_score || (a.risk_object < b.risk_object ? -1 : a.risk_object > b.risk_object ? 1 : 0));
}
