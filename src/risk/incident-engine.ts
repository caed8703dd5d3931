// Applies the incident rules (incidents.ts) to newly stored risk events. Per object, one query loads the risk
// events the new ones can affect; each rule's window then slides over them with running totals (score with
// and without dedup, tactics, detections), so an object with thousands of risk events costs linear time, not
// quadratic. Incidents are written once per object and call, with their final evidence.
import {
  evaluateWindow, incidentMessage,
  type Incident, type IncidentChange, type IncidentConfig, type IncidentLedger, type IncidentRule, type RiskRecord,
} from './incidents.js';

/** An object's earliest and latest new risk event. */
export interface ObjectSpan { object: string; type: string; min: number; max: number }

/** Running totals of one rule's window. */
class Window {
  lo = 0;
  raw = 0;
  dedup = 0;
  private readonly scores = new Map<string, Map<number, number>>();
  private readonly tactics = new Map<string, number>();

  constructor(readonly rule: IncidentRule, private readonly useDedup: boolean) {}

  private static max(m: Map<number, number> | undefined): number {
    let best = 0;
    if (m) for (const s of m.keys()) if (s > best) best = s;
    return best;
  }

  add(r: RiskRecord, sign: 1 | -1): void {
    this.raw += sign * r.risk_score;
    const key = r.detection_id || r.detection;
    let m = this.scores.get(key);
    const before = Window.max(m);
    if (!m) this.scores.set(key, (m = new Map()));
    const c = (m.get(r.risk_score) ?? 0) + sign;
    if (c > 0) m.set(r.risk_score, c); else m.delete(r.risk_score);
    if (m.size === 0) this.scores.delete(key);
    this.dedup += Window.max(m.size ? m : undefined) - before;
    for (const t of r.tactics) {
      const n = (this.tactics.get(t) ?? 0) + sign;
      if (n > 0) this.tactics.set(t, n); else this.tactics.delete(t);
    }
  }

  holds(): boolean {
    const r = this.rule;
    if (r.score_above === undefined && r.min_tactics === undefined && r.min_detections === undefined) return false;
    const score = this.useDedup ? this.dedup : this.raw;
    if (r.score_above !== undefined && !(score > r.score_above)) return false;
    if (r.min_tactics !== undefined && this.tactics.size < r.min_tactics) return false;
    if (r.min_detections !== undefined && this.detections() < r.min_detections) return false;
    return true;
  }

  /** Distinct detections (names, as the rule counts them). */
  private detections(): number { return this.scores.size; }
}

/** An incident being built during one call: its evidence as index ranges over the loaded records. */
interface Pending { base?: Incident; time: number; last: number; rules: string[]; ranges: Array<[number, number]>; from: number }

export class IncidentEngine {
  private readonly maxWindow: number;
  constructor(private readonly config: IncidentConfig, private readonly ledger: IncidentLedger) {
    this.maxWindow = Math.max(0, ...config.rules.map((r) => r.window));
  }

  /**
   * Evaluates the rules for the objects of newly stored risk events, at each of their times in order, and at
   * the times of the object's later events a late arrival could change. Returns one change per incident
   * raised or updated, in the order of the time they last held.
   */
  consider(fresh: RiskRecord[]): IncidentChange[] {
    const byKey = new Map<string, ObjectSpan>();
    for (const r of fresh) {
      if (!r.risk_object) continue;
      const key = JSON.stringify([r.risk_object, r.risk_object_type]);
      const t = byKey.get(key);
      if (!t) byKey.set(key, { object: r.risk_object, type: r.risk_object_type, min: r.time, max: r.time });
      else { t.min = Math.min(t.min, r.time); t.max = Math.max(t.max, r.time); }
    }
    return this.considerSpans([...byKey.values()]);
  }

  /**
   * As consider, given each object's earliest and latest new risk event (a scan reads these from the ledger).
   * `fresh`: every risk event of the ledger, by object (Ledger.riskRecordsByObject), which held no incident
   * before: each object's are taken from there, not asked for one object after another.
   */
  considerSpans(spans: ObjectSpan[], fresh?: ReadonlyMap<string, RiskRecord[]>): IncidentChange[] {
    if (!this.config.rules.length) return [];
    const keyed = spans.map((s) => ({ key: JSON.stringify([s.object, s.type]), s })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const out: IncidentChange[] = [];
    for (const { key, s } of keyed) out.push(...this.object(s.object, s.type, s.min, s.max + this.maxWindow, fresh && (fresh.get(key) ?? [])));
    return out.sort((a, b) => a.incident.last_time - b.incident.last_time || a.incident.id - b.incident.id);
  }

  /** The incidents of one object from its risk events in [first - the longest window, until] (`all`: all of its risk events, in a ledger that held no incident). */
  private object(object: string, type: string, first: number, until: number, all?: RiskRecord[]): IncidentChange[] {
    const from = first - this.maxWindow;
    const recs = all ? all.filter((r) => r.time >= from && r.time <= until) : this.ledger.riskRecords({ object, type, from, to: until });
    const windows = this.config.rules.map((r) => new Window(r, this.config.dedup));
    const used = all ? new Set<number>() : this.ledger.usedEvidence(object, type);
    let last = all ? undefined : this.ledger.lastIncident(object, type);
    let pending: Pending | undefined;
    let pendingEnd = -1;
    const done: IncidentChange[] = [];
    const flush = () => {
      if (!pending) return;
      const c = this.materialize(object, type, pending, recs);
      if (c) { done.push(c); last = c.incident; for (const id of c.incident.evidence) used.add(id); }
      pending = undefined;
    };
    let hi = 0;
    while (hi < recs.length) {
      const t = recs[hi]!.time;
      while (hi < recs.length && recs[hi]!.time === t) { for (const w of windows) w.add(recs[hi]!, 1); hi++; }
      for (const w of windows) {
        while (w.lo < hi && recs[w.lo]!.time <= t - w.rule.window) { w.add(recs[w.lo]!, -1); w.lo++; }
      }
      if (t < first) continue;
      const held = windows.filter((w) => w.holds());
      if (!held.length) continue;
      const lo = Math.min(...held.map((w) => w.lo));
      const from = t - Math.max(...held.map((w) => w.rule.window));
      const rules = held.map((w) => w.rule.id);
      const current = pending ?? (last ? { base: last, time: last.time } : undefined);
      if (current && t < current.time + this.config.throttle) {
        // Within the throttle: the incident grows (or is re-confirmed, which changes nothing).
        if (!pending) pending = { base: last!, time: last!.time, last: t, rules: [...last!.rules], ranges: [], from };
        pending.last = t;
        pending.from = Math.min(pending.from, from);
        for (const r of rules) if (!pending.rules.includes(r)) pending.rules.push(r);
        pending.ranges.push([lo, hi]);
        pendingEnd = Math.max(pendingEnd, hi);
        continue;
      }
      // Past the throttle: a new incident only on evidence no earlier one used.
      let news = false;
      for (let i = Math.max(lo, pendingEnd); i < hi && !news; i++) if (!used.has(recs[i]!.id)) news = true;
      if (!news) continue;
      flush();
      pending = { time: t, last: t, rules, ranges: [[lo, hi]], from };
      pendingEnd = hi;
    }
    flush();
    return done;
  }

  /** Writes a pending incident with its final evidence; undefined when an update added nothing. */
  private materialize(object: string, type: string, p: Pending, recs: RiskRecord[]): IncidentChange | undefined {
    const ids = new Set<number>(p.base?.evidence ?? []);
    const before = ids.size;
    const picked: RiskRecord[] = [];
    for (const [lo, hi] of p.ranges) for (let i = lo; i < hi; i++) { const r = recs[i]!; if (!ids.has(r.id)) { ids.add(r.id); picked.push(r); } }
    const newRules = p.base ? p.rules.filter((r) => !p.base!.rules.includes(r)) : p.rules;
    if (p.base && ids.size === before && !newRules.length) return undefined;
    // Earlier evidence of an incident being updated may lie before the records loaded now.
    const loaded = new Set(recs.map((r) => r.id));
    const older = p.base ? p.base.evidence.filter((id) => !loaded.has(id)) : [];
    const extra = older.length ? this.ledger.riskRecords({ object, type, from: -1e15, to: 1e15, ids: older }) : [];
    const evidence = [...extra, ...recs.filter((r) => ids.has(r.id))].sort((a, b) => a.time - b.time || a.id - b.id);
    const window: [number, number] = [Math.min(p.base?.window[0] ?? Infinity, p.from), p.last];
    const names = p.base ? [...p.base.rule_names, ...this.names(newRules)] : this.names(p.rules);
    const e = evaluateWindow(evidence, this.config.dedup);
    const inc: Incident = {
      id: p.base?.id ?? 0, risk_object: object, risk_object_type: type, time: p.time, last_time: p.last, rules: p.rules, rule_names: names,
      score: e.score, raw_score: e.raw_score, detections: e.detections, tactics: e.tactics, evidence: evidence.map((r) => r.id), window,
      message: incidentMessage(object, type, e, names), updates: p.base ? p.base.updates + 1 : 0,
      status: p.base ? (p.base.status === 'closed' ? 'new' : p.base.status) : 'new',
    };
    inc.id = this.ledger.saveIncident(inc);
    if (p.base?.status === 'closed') this.ledger.addNote?.('incident', inc.id, 'new', 'reopened: new evidence after it was closed', 'ollama-sentinel', Date.now() / 1000);
    return { type: p.base ? 'incident_update' : 'incident', incident: inc, stages: evidence, rule_names: names };
  }

  private names(rules: string[]): string[] { return rules.map((id) => this.config.rules.find((r) => r.id === id)?.name ?? id); }
}
