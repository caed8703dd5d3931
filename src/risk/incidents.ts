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
  riskRecords(filter: { object: string; type: string; from: number; to: number }): RiskRecord[];
  lastIncident(object: string, type: string): Incident | undefined;
  usedEvidence(object: string, type: string): Set<number>;
  saveIncident(i: Incident): number;
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

export function ruleHolds(rule: IncidentRule, e: Evaluation): boolean {
  if (rule.score_above === undefined && rule.min_tactics === undefined && rule.min_detections === undefined) return false;
  if (rule.score_above !== undefined && !(e.score > rule.score_above)) return false;
  if (rule.min_tactics !== undefined && e.tactics.length < rule.min_tactics) return false;
  if (rule.min_detections !== undefined && e.detections.length < rule.min_detections) return false;
  return true;
}

export class IncidentEngine {
  private readonly maxWindow: number;
  constructor(private readonly config: IncidentConfig, private readonly ledger: IncidentLedger) {
    this.maxWindow = Math.max(0, ...config.rules.map((r) => r.window));
  }

  /**
   * Evaluates the rules for the objects of newly stored risk events, at each of their times in order, and at
   * the times of the object's later events a late arrival could change. Returns incidents raised or updated.
   */
  consider(fresh: RiskRecord[]): IncidentChange[] {
    const times = new Map<string, Set<number>>();
    for (const r of fresh) {
      if (!r.risk_object) continue;
      const key = JSON.stringify([r.risk_object, r.risk_object_type]);
      let set = times.get(key);
      if (!set) times.set(key, (set = new Set()));
      set.add(r.time);
    }
    const out: IncidentChange[] = [];
    this.touched.clear();
    const keys = [...times.keys()].sort();
    for (const key of keys) {
      const [object, type] = JSON.parse(key) as [string, string];
      const own = times.get(key)!;
      const first = Math.min(...own);
      for (const r of this.ledger.riskRecords({ object, type, from: first, to: first + this.maxWindow })) own.add(r.time);
      for (const t of [...own].sort((a, b) => a - b)) {
        const c = this.evaluateAt(object, type, t);
        if (c) out.push(c);
      }
    }
    // One change per incident per call: its final state, an "incident" if it was raised by this call.
    const byId = new Map<number, IncidentChange>();
    for (const c of out) {
      const prev = byId.get(c.incident.id);
      byId.set(c.incident.id, prev ? { ...c, type: prev.type } : c);
    }
    return [...byId.values()].sort((a, b) => a.incident.last_time - b.incident.last_time || a.incident.id - b.incident.id);
  }

  /** Incidents raised or updated by the current `consider` call (they count one update, however many times they grow). */
  private readonly touched = new Set<number>();

  /** Applies the rules for one object with windows ending at `t`. */
  evaluateAt(object: string, type: string, t: number): IncidentChange | undefined {
    // Rules the incident already names keep their recorded names; new ones take the current file's.
    if (!this.config.rules.length) return undefined;
    const all = this.ledger.riskRecords({ object, type, from: t - this.maxWindow, to: t });
    const held: IncidentRule[] = [];
    let evidence: RiskRecord[] = [];
    let from = t;
    for (const rule of this.config.rules) {
      const inWindow = all.filter((r) => r.time > t - rule.window);
      if (ruleHolds(rule, evaluateWindow(inWindow, this.config.dedup))) {
        held.push(rule);
        if (inWindow.length > evidence.length) evidence = inWindow;
        from = Math.min(from, t - rule.window);
      }
    }
    if (!held.length) return undefined;
    const last = this.ledger.lastIncident(object, type);
    if (last && t < last.time + this.config.throttle) {
      const ids = new Set(last.evidence);
      const added = evidence.filter((r) => !ids.has(r.id));
      const newRules = held.map((r) => r.id).filter((id) => !last.rules.includes(id));
      if (!added.length && !newRules.length) return undefined;
      const merged = this.ledger.riskRecords({ object, type, from: Math.min(last.window[0], from), to: t })
        .filter((r) => ids.has(r.id) || added.some((a) => a.id === r.id));
      const inc = this.build(object, type, merged, [...last.rules, ...newRules], [Math.min(last.window[0], from), t], [...last.rule_names, ...this.names(newRules)]);
      Object.assign(inc, { id: last.id, time: last.time, updates: this.touched.has(last.id) ? last.updates : last.updates + 1, status: last.status === 'closed' ? 'new' : last.status });
      this.ledger.saveIncident(inc);
      this.touched.add(inc.id);
      return { type: 'incident_update', incident: inc, stages: merged, rule_names: inc.rule_names };
    }
    const used = this.ledger.usedEvidence(object, type);
    if (!evidence.some((r) => !used.has(r.id))) return undefined;
    const inc = this.build(object, type, evidence, held.map((r) => r.id), [from, t]);
    inc.id = this.ledger.saveIncident(inc);
    this.touched.add(inc.id);
    return { type: 'incident', incident: inc, stages: evidence, rule_names: inc.rule_names };
  }

  private names(rules: string[]): string[] { return rules.map((id) => this.config.rules.find((r) => r.id === id)?.name ?? id); }

  private build(object: string, type: string, records: RiskRecord[], rules: string[], window: [number, number], names = this.names(rules)): Incident {
    const e = evaluateWindow(records, this.config.dedup);
    return {
      id: 0, risk_object: object, risk_object_type: type, time: window[1], last_time: window[1], rules, rule_names: names, score: e.score,
      raw_score: e.raw_score, detections: e.detections, tactics: e.tactics, evidence: records.map((r) => r.id), window,
      message: incidentMessage(object, type, e, names), updates: 0, status: 'new',
    };
  }
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
