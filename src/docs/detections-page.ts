// Renders docs/detections.md from the detection files, so the page can never drift from the content
// (a test compares the committed page with this output; `npm run docs` rewrites it).
import type { Detection } from '../detections/types.js';
import { slugOf } from '../detections/select.js';

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const oneLine = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
const cell = (s: string) => s.replace(/\|/g, '\\|');

function score(d: Detection): string {
  return (d.rba?.risk_objects ?? []).map((r) => `${r.score} (${r.field})`).join(', ') || '-';
}

function testsOf(d: Detection): string[] {
  return d.tests.map((raw) => {
    const t = raw as { name?: string; dataset?: string; expect?: { count?: number } };
    if (!t.expect) return `${t.name ?? 'test'}: Splunk attack_data test (no expectations)`;
    const n = t.expect.count ?? 0;
    return `${t.name}: \`${t.dataset}\` → ${n === 0 ? 'silent' : `${n} alert${n === 1 ? '' : 's'}`}`;
  });
}

function section(d: Detection): string {
  const tags = d.tags as Record<string, unknown>;
  const out = [`### ${d.name}`, ''];
  out.push(`\`${slugOf(d)}\` · set \`${d.sets.join(', ')}\` · ${d.type ?? 'TTP'} · filter macro \`${d.filterMacro}\``, '');
  out.push(`**What it catches.** ${oneLine(d.description)}`, '');
  const mitre = [`ATT&CK ${d.tags.mitre_attack_id.join(', ') || '-'}`];
  if (list(tags.mitre_atlas_id).length) mitre.push(`ATLAS ${list(tags.mitre_atlas_id).join(', ')}`);
  if (list(tags.cve).length) mitre.push(`CVE ${list(tags.cve).join(', ')}`);
  out.push(`**MITRE.** ${mitre.join(' · ')}`, '');
  const threats = (d.rba?.threat_objects ?? []).map((t) => `${t.field} (${t.type})`).join(', ');
  out.push(`**Risk.** score ${score(d)} on the object type ${[...new Set((d.rba?.risk_objects ?? []).map((r) => r.type))].join(', ') || '-'}${threats ? `; threat objects ${threats}` : ''}.`, '');
  out.push(`**False positives.** ${oneLine(d.known_false_positives)}`, '');
  if (d.corrects) {
    out.push(`**Differs from Splunk's "${d.corrects}".**`, '');
    for (const x of d.differences) out.push(`- ${oneLine(x)}`);
    out.push('');
  } else if (d.sets.includes('splunk')) {
    out.push('**Differs from Splunk\'s.** Same logic and thresholds; its flaws are kept on purpose (see false positives) and fixed in the corrected version.', '');
  } else {
    out.push('**Differs from Splunk\'s.** Splunk has no counterpart.', '');
  }
  out.push('**Tests.**', '');
  for (const t of testsOf(d)) out.push(`- ${t}`);
  out.push('');
  return out.join('\n');
}

export function renderDetectionsPage(detections: Detection[]): string {
  const bySet = (s: string) => detections.filter((d) => d.sets.includes(s));
  const splunk = bySet('splunk');
  const corrected = detections.filter((d) => d.corrects && d.sets.includes('default'));
  const fresh = detections.filter((d) => !d.corrects && d.sets.includes('default'));
  const row = (d: Detection) => `| [${cell(d.name)}](#${d.name.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')}) | ${d.tags.mitre_attack_id.join(', ')} | ${score(d)} | ${d.corrects ? cell(d.corrects) : ''} |`;
  const table = (ds: Detection[]) => ['| detection | ATT&CK | risk score | corrects |', '|---|---|---|---|', ...ds.map(row)].join('\n');
  return [
    '# Detections',
    '',
    '<!-- Generated from detections/*.yml by `npm run docs`; do not edit by hand. -->',
    '',
    `${detections.length} detections in three groups. \`scan\` runs the **default** set (${corrected.length} corrected versions of Splunk's`,
    `detections and ${fresh.length} new ones); \`--set splunk\` runs the ${splunk.length} **Splunk-faithful** versions, which return what`,
    'Splunk\'s "Suspicious Ollama Activities" searches return on the same log, flaws included; `--set all` runs both;',
    '`--only` and `--exclude` pick by name, slug or id. Every detection ends with its filter macro (`search *` by',
    'default, override with `--macros`), reads trusted networks and registries from the tuning file',
    '([tuning.md](tuning.md)), and carries tests with exact expected alerts ([testing.md](testing.md)).',
    'Risk scores follow Splunk ESCU\'s 0–100 scale (impact × confidence / 100).',
    '',
    '## Default set: corrected versions',
    '', table(corrected), '',
    '## Default set: beyond Splunk',
    '', table(fresh), '',
    '## Splunk-faithful set',
    '', table(splunk), '',
    '## Corrected versions', '', ...corrected.map(section),
    '## Beyond Splunk', '', ...fresh.map(section),
    '## Splunk-faithful', '', ...splunk.map(section),
    '## Running Splunk\'s own files',
    '',
    '`--detections DIR` loads security_content YAML unchanged (the `ollama_server` macro is built in and filter macros',
    'are created automatically). A file with the same name or id replaces the built-in detection; files without a',
    '`sets` field join the default set. Their contentctl tests (attack_data URLs) are reported as skipped by `test`.',
    '',
  ].join('\n');
}
