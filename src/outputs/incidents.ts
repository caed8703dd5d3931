// Risk incidents and per-object risk as text for a terminal; structured formats go through renderRows.
import type { Incident, RiskRecord } from '../risk/incidents.js';
import { tacticName } from '../risk/tactics.js';
import { terminalSafe } from './sanitize.js';

export function renderIncident(i: Incident, stages: RiskRecord[], ruleNames: string[], timeText: (t: number) => string): string {
  const out: string[] = [];
  const status = i.status === 'new' ? '' : `  [${i.status}]`;
  out.push(`▲ Risk incident ${i.id}: ${terminalSafe(i.risk_object)} (${terminalSafe(i.risk_object_type)}), risk ${i.score}${i.raw_score !== i.score ? ` (${i.raw_score} before dedup)` : ''} from ${i.detections.length} detection${i.detections.length === 1 ? '' : 's'} across ${i.tactics.length} tactic${i.tactics.length === 1 ? '' : 's'}${status}`);
  out.push(`  raised ${timeText(i.time)}${i.updates ? `, updated ${i.updates} time${i.updates === 1 ? '' : 's'} (last ${timeText(i.last_time)})` : ''}`);
  out.push(`  rules: ${terminalSafe(ruleNames.join('; '))}`);
  out.push('  stages:');
  for (const r of stages) {
    const tactics = r.tactics.length ? r.tactics.map(tacticName).join(', ') : 'unmapped';
    out.push(`    ${timeText(r.time)}  score ${String(r.risk_score).padStart(3)}  ${terminalSafe(r.detection)}  [${terminalSafe(tactics)}]  finding ${r.finding_id}`);
  }
  out.push('');
  return out.join('\n');
}
