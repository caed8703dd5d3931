// Risk incident rules over stored risk events, per risk object (value and type), evaluated at event time so a
// scan over last week's log raises the incidents a live watcher would have raised.
//
// - A rule holds for an object at time t when, over the risk events in (t - window, t], every threshold it sets
//   is met: total score above `score_above`, at least `min_tactics` distinct ATT&CK tactics, at least
//   `min_detections` distinct detections.
// - Dedup (on by default): within a window a detection counts once per object, with its highest score. This is
//   the fix for Splunk's classic failure, where a detection matching the same object every hourly run adds its
//   score again each time until the threshold trips on repetition rather than evidence.
// - One incident per object at a time: while an object's incident is younger than `throttle`, rules that hold
//   again update it (new evidence, more rules) instead of raising another. After that, a new incident needs at
//   least one risk event no earlier incident for the object stood on.
import { tacticName, TACTIC_ORDER } from './tactics.js';

export interface RiskRecord {
  id: number;
  finding_id: number;
  time: number;
  detection: string;
  detection_id: string;
  risk_object: string;
  risk_object_type: string;
  risk_score: number;
  message: string;
  tactics: string[];
  mitre_attack_id: string[];
  analytic_story: string[];
}

export interface IncidentRule {
  id: string;
  name: string;
  /** Seconds. */
  window: number;
  score_above?: number;
  min_tactics?: number;
  min_detections?: number;
}

export interface IncidentConfig { rules: IncidentRule[]; dedup: boolean; /** Seconds. */ throttle: number }

export interface Incident {
  id: number;
  risk_object: string;
  risk_object_type: string;
  /** Event time at which a rule first held. */
  time: number;
  /** Event time of the latest evaluation that updated it. */
  last_time: number;
  rules: string[];
  /** The rules' names when they held (the rules file may change later). */
  rule_names: string[];
  score: number;
  raw_score: number;
  detections: string[];
  tactics: string[];
  /** Risk event ids it stands on. */
  evidence: number[];
  window: [number, number];
  message: string;
  updates: number;
  status: string;
}

export interface IncidentChange { type: 'incident' | 'incident_update'; incident: Incident; stages: RiskRecord[]; rule_names: string[] }

/** What the engine needs from storage (the SQLite ledger, or a test's arrays). */
export interface IncidentLedger {
  riskRecords(filter: { object: string; type: string; from: number; to: number; ids?: number[] }): RiskRecord[];
  lastIncident(object: string, type: string): Incident | undefined;
  usedEvidence(object: string, type: string): Set<number>;
  saveIncident(i: Incident): number;
  addNote?(kind: 'incident', ref: number, status: string, text: string, author: string, time: number): void;
}

export interface Evaluation { score: number; raw_score: number; detections: string[]; tactics: string[]; records: RiskRecord[] }

/** The contributions in one window: with dedup, each detection's highest-scoring risk event only. */
export function evaluateWindow(records: RiskRecord[], dedup: boolean): Evaluation {
  const best = new Map<string, RiskRecord>();
  let raw = 0;
  for (const r of records) {
    raw += r.risk_score;
    const key = dedup ? r.detection_id || r.detection : String(r.id);
    const cur = best.get(key);
    if (!cur || r.risk_score > cur.risk_score) best.set(key, r);
  }
  const counted = [...best.values()];
  const tactics = new Set(records.flatMap((r) => r.tactics));
  return {
    score: counted.reduce((s, r) => s + r.risk_score, 0), raw_score: raw,
    detections: [...new Set(records.map((r) => r.detection))].sort(),
    tactics: TACTIC_ORDER.filter((t) => tactics.has(t)).concat([...tactics].filter((t) => !TACTIC_ORDER.includes(t)).sort()),
    records,
  };
}


/** "203.0.113.9 (system): risk 245 from 5 detections across 4 tactics: Reconnaissance → … (rules: …)". */
export function incidentMessage(object: string, type: string, e: Evaluation, ruleNames: string[]): string {
  const stages = stagesOf(e.records).map((s) => `${s.tactic}: ${s.detections.join(', ')}`);
  return `${object} (${type}): risk ${e.score} from ${e.detections.length} detection${e.detections.length === 1 ? '' : 's'} across ${e.tactics.length} tactic${e.tactics.length === 1 ? '' : 's'}; ` +
    `stages ${stages.join(' → ')}; rules: ${ruleNames.join('; ')}`;
}

/** The attack's stages: each detection under the first tactic it serves, in order of first appearance. */
export function stagesOf(records: RiskRecord[]): Array<{ tactic: string; detections: string[]; first: number }> {
  const byDetection = new Map<string, { first: number; tactic: string }>();
  for (const r of [...records].sort((a, b) => a.time - b.time || a.id - b.id)) {
    if (!byDetection.has(r.detection)) byDetection.set(r.detection, { first: r.time, tactic: r.tactics[0] ? tacticName(r.tactics[0]) : 'Unmapped' });
  }
  const stages: Array<{ tactic: string; detections: string[]; first: number }> = [];
  for (const [det, { first, tactic }] of byDetection) {
    const prev = stages[stages.length - 1];
    if (prev && prev.tactic === tactic) prev.detections.push(det);
    else stages.push({ tactic, detections: [det], first });
  }
  return stages;
}
