// The risk incident rules file (config/risk.yml by default): read with file:line:col errors.
import { join } from 'node:path';
import { ContentError, readYamlFile } from '../detections/yaml-source.js';
import { PACKAGE_ROOT } from '../detections/loader.js';
import type { IncidentConfig, IncidentRule } from './incidents.js';
import { parsePeriod } from '../util/period.js';

export const DEFAULT_RISK_RULES_FILE = join(PACKAGE_ROOT, 'config', 'risk.yml');

const TOP = ['rules', 'dedup', 'throttle'];
const RULE = ['id', 'name', 'window', 'score_above', 'min_tactics', 'min_detections'];

export function loadIncidentConfig(file = process.env.OLLAMA_SENTINEL_RISK_RULES || DEFAULT_RISK_RULES_FILE): IncidentConfig {
  const y = readYamlFile(file)[0];
  if (!y) return { rules: [], dedup: true, throttle: 86400 };
  if (typeof y.data !== 'object' || y.data === null || Array.isArray(y.data)) throw new ContentError(`${y.where([])}: the risk rules file must be a mapping with ${TOP.join(', ')}`);
  const data = y.data as Record<string, unknown>;
  for (const k of Object.keys(data)) if (!TOP.includes(k)) throw new ContentError(`${y.where([k])}: unknown key "${k}" (expected ${TOP.join(', ')})`);
  const throttle = data.throttle === undefined ? 86400 : parsePeriod(data.throttle);
  if (throttle === undefined) throw new ContentError(`${y.where(['throttle'])}: throttle must be a duration such as 12h or 1d`);
  if (data.dedup !== undefined && typeof data.dedup !== 'boolean') throw new ContentError(`${y.where(['dedup'])}: dedup must be true or false`);
  const list = data.rules ?? [];
  if (!Array.isArray(list)) throw new ContentError(`${y.where(['rules'])}: rules must be a list`);
  const seen = new Set<string>();
  const rules: IncidentRule[] = list.map((raw: unknown, i: number) => {
    const at = (k?: string) => y.where(k ? ['rules', i, k] : ['rules', i]);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ContentError(`${at()}: a rule must be a mapping`);
    const r = raw as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!RULE.includes(k)) throw new ContentError(`${at(k)}: unknown key "${k}" (expected ${RULE.join(', ')})`);
    if (typeof r.id !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(r.id)) throw new ContentError(`${at('id')}: a rule needs an id (letters, digits, _ . -)`);
    if (seen.has(r.id)) throw new ContentError(`${at('id')}: rule id "${r.id}" is used twice`);
    seen.add(r.id);
    const window = parsePeriod(r.window);
    if (window === undefined || window === 0) throw new ContentError(`${at('window')}: window must be a duration such as 24h or 7d`);
    const rule: IncidentRule = { id: r.id, name: typeof r.name === 'string' && r.name.trim() ? r.name : r.id, window };
    for (const k of ['score_above', 'min_tactics', 'min_detections'] as const) {
      if (r[k] === undefined) continue;
      if (typeof r[k] !== 'number' || !Number.isFinite(r[k]) || (r[k] as number) < 0) throw new ContentError(`${at(k)}: ${k} must be a number ≥ 0`);
      rule[k] = r[k] as number;
    }
    if (rule.score_above === undefined && rule.min_tactics === undefined && rule.min_detections === undefined) {
      throw new ContentError(`${at()}: rule "${r.id}" sets no threshold (score_above, min_tactics or min_detections)`);
    }
    return rule;
  });
  return { rules, dedup: data.dedup !== false, throttle };
}
