import { parse, readSelection, SELECT_OPTIONS, UsageError } from './options.js';
import { findDetection, slugOf } from '../detections/select.js';
import { loadContent } from './content.js';
import type { Io } from './io.js';
import { safeJson, terminalSafe } from '../outputs/sanitize.js';
import type { Detection } from '../detections/types.js';

export const DETECTIONS_HELP = `Usage: ollama-sentinel detections list [--format table|json] [--set NAME] [--only …] [--exclude …] [--detections DIR]
       ollama-sentinel detections show NAME [--format table|json] [--detections DIR]

list: every detection (or the selected ones) with its slug, sets, risk score and MITRE ids.
show: one detection in full (NAME is the name, the slug or the id).
`;

function summary(d: Detection) {
  return {
    name: d.name, id: d.id, version: d.version, status: d.status ?? null, type: d.type ?? null,
    mitre_attack_id: d.tags.mitre_attack_id, analytic_story: d.tags.analytic_story,
    risk_score: d.rba?.risk_objects.reduce((m, r) => Math.max(m, r.score), 0) ?? 0,
    risk_objects: d.rba?.risk_objects ?? [], schedule: d.schedule, file: d.file,
    slug: slugOf(d), sets: d.sets, corrects: d.corrects ?? null, differences: d.differences,
  };
}

export function detectionsCommand(args: string[], io: Io): number {
  const { values, positionals } = parse(args, {
    format: { type: 'string' }, detections: { type: 'string', multiple: true }, macros: { type: 'string', multiple: true }, tuning: { type: 'string' },
    help: { type: 'boolean', short: 'h' }, ...SELECT_OPTIONS,
  });
  if (values.help || positionals.length === 0) { io.out(DETECTIONS_HELP); return values.help ? 0 : 2; }
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError('--format must be table or json here');
  const all = loadContent(values.detections ?? [], values.macros ?? [], values.tuning).detections;
  const [sub, name] = positionals;
  // list shows every detection unless a selection is asked for; show finds any detection.
  const detections = sub === 'list' && (values.set || values.only || values.exclude) ? readSelection(all, values) : all;
  if (sub === 'list') {
    if (format === 'json') { io.out(safeJson(detections.map(summary), 2) + '\n'); return 0; }
    for (const d of detections) {
      const s = summary(d);
      io.out(`${terminalSafe(d.name)}\n    ${slugOf(d)}  sets ${d.sets.join(',')}  score ${s.risk_score}  MITRE ${s.mitre_attack_id.join(', ') || '-'}\n`);
    }
    return 0;
  }
  if (sub === 'show') {
    if (!name) throw new UsageError('detections show needs a NAME');
    const d = findDetection(all, name);
    if (!d) throw new UsageError(`no detection named "${name}" (see: ollama-sentinel detections list)`);
    if (format === 'json') { io.out(safeJson({ ...summary(d), description: d.description ?? null, search: d.search, rba: d.rba ?? null, known_false_positives: d.known_false_positives ?? null, references: d.references, drilldown_searches: d.drilldown_searches, filter_macro: d.filterMacro }, 2) + '\n'); return 0; }
    const s = summary(d);
    io.out(terminalSafe([
      `${d.name}  (${d.id}, version ${d.version}${d.status ? `, ${d.status}` : ''})`,
      `MITRE: ${s.mitre_attack_id.join(', ') || '-'}   story: ${s.analytic_story.join(', ') || '-'}`,
      `risk: ${(d.rba?.risk_objects ?? []).map((r) => `${r.field} (${r.type}) score ${r.score}`).join('; ') || '-'}`,
      `schedule: ${d.schedule.cron}, earliest ${d.schedule.earliest}, latest ${d.schedule.latest}`,
      `filter macro: ${d.filterMacro}   sets: ${d.sets.join(', ')}`,
      ...(d.corrects ? [`corrects: ${d.corrects}`, ...d.differences.map((x) => `  - ${x}`)] : []),
      '', d.description ?? '', '', 'search:', d.search, '',
      `message: ${d.rba?.message ?? '-'}`,
      `false positives: ${d.known_false_positives ?? '-'}`,
      `file: ${d.file}`,
    ].join('\n')).replace(/\\n/g, '\n') + '\n');
    return 0;
  }
  throw new UsageError(`unknown detections subcommand "${sub}" (list or show)`);
}
