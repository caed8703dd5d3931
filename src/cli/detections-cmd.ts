import { parse, UsageError } from './options.js';
import { loadContent } from './content.js';
import type { Io } from './io.js';
import { safeJson, terminalSafe } from '../outputs/sanitize.js';
import type { Detection } from '../detections/types.js';

export const DETECTIONS_HELP = `Usage: ollama-sentinel detections list [--format table|json] [--detections DIR]
       ollama-sentinel detections show NAME [--format table|json] [--detections DIR]

list: every detection with its id, MITRE ids, risk score and file.  show: one detection in full
(NAME is the name, the id, or the filter-macro style name).
`;

function summary(d: Detection) {
  return {
    name: d.name, id: d.id, version: d.version, status: d.status ?? null, type: d.type ?? null,
    mitre_attack_id: d.tags.mitre_attack_id, analytic_story: d.tags.analytic_story,
    risk_score: d.rba?.risk_objects.reduce((m, r) => Math.max(m, r.score), 0) ?? 0,
    risk_objects: d.rba?.risk_objects ?? [], schedule: d.schedule, file: d.file,
  };
}

export function detectionsCommand(args: string[], io: Io): number {
  const { values, positionals } = parse(args, {
    format: { type: 'string' }, detections: { type: 'string', multiple: true }, macros: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' },
  });
  if (values.help || positionals.length === 0) { io.out(DETECTIONS_HELP); return values.help ? 0 : 2; }
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError('--format must be table or json here');
  const { detections } = loadContent(values.detections ?? [], values.macros ?? []);
  const [sub, name] = positionals;
  if (sub === 'list') {
    if (format === 'json') { io.out(safeJson(detections.map(summary), 2) + '\n'); return 0; }
    for (const d of detections) {
      const s = summary(d);
      io.out(`${terminalSafe(d.name)}\n    id ${d.id}  score ${s.risk_score}  MITRE ${s.mitre_attack_id.join(', ') || '-'}  ${terminalSafe(d.file)}\n`);
    }
    return 0;
  }
  if (sub === 'show') {
    if (!name) throw new UsageError('detections show needs a NAME');
    const key = name.toLowerCase();
    const d = detections.find((x) => x.name.toLowerCase() === key || x.id === name || x.filterMacro === `${key}_filter` || x.filterMacro.replace(/_filter$/, '') === key);
    if (!d) throw new UsageError(`no detection named "${name}" (see: ollama-sentinel detections list)`);
    if (format === 'json') { io.out(safeJson({ ...summary(d), description: d.description ?? null, search: d.search, rba: d.rba ?? null, known_false_positives: d.known_false_positives ?? null, references: d.references, drilldown_searches: d.drilldown_searches, filter_macro: d.filterMacro }, 2) + '\n'); return 0; }
    const s = summary(d);
    io.out(terminalSafe([
      `${d.name}  (${d.id}, version ${d.version}${d.status ? `, ${d.status}` : ''})`,
      `MITRE: ${s.mitre_attack_id.join(', ') || '-'}   story: ${s.analytic_story.join(', ') || '-'}`,
      `risk: ${(d.rba?.risk_objects ?? []).map((r) => `${r.field} (${r.type}) score ${r.score}`).join('; ') || '-'}`,
      `schedule: ${d.schedule.cron}, earliest ${d.schedule.earliest}, latest ${d.schedule.latest}`,
      `filter macro: ${d.filterMacro}`,
      '', d.description ?? '', '', 'search:', d.search, '',
      `message: ${d.rba?.message ?? '-'}`,
      `false positives: ${d.known_false_positives ?? '-'}`,
      `file: ${d.file}`,
    ].join('\n')).replace(/\\n/g, '\n') + '\n');
    return 0;
  }
  throw new UsageError(`unknown detections subcommand "${sub}" (list or show)`);
}
