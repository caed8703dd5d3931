// Loads detection and macro YAML. Splunk's security_content files load unchanged; our own files add
// `schedule`. Every detection gets an empty `<name>_filter` macro unless one is already defined.
import { readdirSync, statSync } from 'node:fs';
import { join, extname, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MacroTable } from '../spl/macros.js';
import { ContentError, readYamlFile, type YamlDoc } from './yaml-source.js';
import { parsePeriod } from '../util/period.js';
import { DEFAULT_SCHEDULE, filterMacroName, type Detection, type Drilldown } from './types.js';

/** The package's own content folders. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BUILTIN_DETECTIONS = join(PACKAGE_ROOT, 'detections');
export const BUILTIN_MACROS = join(PACKAGE_ROOT, 'macros');

function yamlFiles(path: string): string[] {
  let st;
  try { st = statSync(path); } catch { throw new ContentError(`${path}: no such file or directory`); }
  if (st.isFile()) return [path];
  const out: string[] = [];
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (['.yml', '.yaml'].includes(extname(e.name))) out.push(p);
  }
  return out.sort();
}

function str(y: YamlDoc, obj: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) {
    if (required) throw new ContentError(`${y.where([])}: missing required field "${key}"`);
    return undefined;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') throw new ContentError(`${y.where([key])}: "${key}" must be text`);
  return v;
}

function strList(y: YamlDoc, obj: Record<string, unknown>, path: string[]): string[] {
  let v: unknown = obj;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' && typeof x !== 'number')) {
    throw new ContentError(`${y.where(path)}: "${path.join('.')}" must be a list of text`);
  }
  return v.map(String);
}

export function parseDetection(y: YamlDoc): Detection {
  const d = y.data;
  if (!d || typeof d !== 'object' || Array.isArray(d)) throw new ContentError(`${y.where([])}: a detection must be a mapping`);
  const o = d as Record<string, unknown>;
  const name = str(y, o, 'name', true)!;
  const search = str(y, o, 'search', true)!;
  const id = str(y, o, 'id', true)!;
  let rba: Detection['rba'];
  if (o.rba !== undefined && o.rba !== null) {
    const r = o.rba as Record<string, unknown>;
    if (typeof r !== 'object') throw new ContentError(`${y.where(['rba'])}: rba must be a mapping`);
    const message = typeof r.message === 'string' ? r.message : '';
    if (!message) throw new ContentError(`${y.where(['rba'])}: rba.message is required`);
    const ros = Array.isArray(r.risk_objects) ? r.risk_objects : [];
    const risk_objects = ros.map((ro: unknown, i: number) => {
      const x = ro as Record<string, unknown>;
      const score = Number(x?.score);
      if (!x || typeof x.field !== 'string' || !Number.isFinite(score)) {
        throw new ContentError(`${y.where(['rba', 'risk_objects', i])}: a risk object needs field and a numeric score`);
      }
      if (score < 0 || score > 100) throw new ContentError(`${y.where(['rba', 'risk_objects', i, 'score'])}: score must be between 0 and 100`);
      return { field: x.field, type: typeof x.type === 'string' ? x.type : 'system', score };
    });
    const tos = Array.isArray(r.threat_objects) ? r.threat_objects : [];
    const threat_objects = tos.map((to: unknown, i: number) => {
      const x = to as Record<string, unknown>;
      if (!x || typeof x.field !== 'string') throw new ContentError(`${y.where(['rba', 'threat_objects', i])}: a threat object needs a field`);
      return { field: x.field, type: typeof x.type === 'string' ? x.type : 'other' };
    });
    rba = { message, risk_objects, threat_objects };
  }
  const tagsRaw = (o.tags && typeof o.tags === 'object' ? o.tags : {}) as Record<string, unknown>;
  const drill = Array.isArray(o.drilldown_searches) ? o.drilldown_searches : [];
  const drilldown_searches: Drilldown[] = drill.map((x: unknown, i: number) => {
    const dd = x as Record<string, unknown>;
    if (!dd || typeof dd.name !== 'string' || typeof dd.search !== 'string') throw new ContentError(`${y.where(['drilldown_searches', i])}: a drilldown needs name and search`);
    return { name: dd.name, search: dd.search, ...(typeof dd.earliest_offset === 'string' ? { earliest_offset: dd.earliest_offset } : {}), ...(typeof dd.latest_offset === 'string' ? { latest_offset: dd.latest_offset } : {}) };
  });
  const sch = (o.schedule && typeof o.schedule === 'object' ? o.schedule : {}) as Record<string, unknown>;
  const schedule = {
    cron: typeof sch.cron === 'string' ? sch.cron : DEFAULT_SCHEDULE.cron,
    earliest: typeof sch.earliest === 'string' ? sch.earliest : DEFAULT_SCHEDULE.earliest,
    latest: typeof sch.latest === 'string' ? sch.latest : DEFAULT_SCHEDULE.latest,
  };
  let throttle: Detection['throttle'];
  if (o.throttle !== undefined && o.throttle !== null) {
    const t = o.throttle as Record<string, unknown>;
    const fields = strList(y, o, ['throttle', 'fields']);
    const period = parsePeriod(t?.period);
    if (period === undefined) throw new ContentError(`${y.where(['throttle', 'period'])}: throttle.period must be a duration such as 30m, 1h or 1d`);
    if (fields.length === 0) throw new ContentError(`${y.where(['throttle'])}: throttle.fields must name at least one field`);
    throttle = { fields, period };
  }
  return {
    name, id, search,
    ...(throttle ? { throttle } : {}),
    version: Number(o.version ?? 1),
    ...(o.date !== undefined ? { date: String(o.date) } : {}),
    ...(typeof o.author === 'string' ? { author: o.author } : {}),
    ...(typeof o.status === 'string' ? { status: o.status } : {}),
    ...(typeof o.type === 'string' ? { type: o.type } : {}),
    ...(typeof o.description === 'string' ? { description: o.description.trim() } : {}),
    data_source: strList(y, o, ['data_source']),
    ...(typeof o.how_to_implement === 'string' ? { how_to_implement: o.how_to_implement.trim() } : {}),
    ...(typeof o.known_false_positives === 'string' ? { known_false_positives: o.known_false_positives.trim() } : {}),
    references: strList(y, o, ['references']),
    drilldown_searches,
    ...(rba ? { rba } : {}),
    tags: { ...tagsRaw, analytic_story: strList(y, o, ['tags', 'analytic_story']), mitre_attack_id: strList(y, o, ['tags', 'mitre_attack_id']) },
    tests: Array.isArray(o.tests) ? o.tests : [],
    sets: o.sets === undefined ? ['default'] : strList(y, o, ['sets']),
    ...(typeof o.corrects === 'string' ? { corrects: o.corrects } : {}),
    differences: strList(y, o, ['differences']),
    schedule,
    file: y.file,
    filterMacro: filterMacroName(name),
  };
}

/** Detections from files or folders, later ones replacing earlier ones with the same name or id. */
export function loadDetections(paths: string[]): Detection[] {
  const byName = new Map<string, Detection>();
  for (const p of paths) {
    for (const f of yamlFiles(p)) {
      for (const y of readYamlFile(f)) {
        const det = parseDetection(y);
        for (const [k, v] of byName) if (v.id === det.id && k !== det.name) byName.delete(k);
        byName.set(det.name, det);
      }
    }
  }
  return [...byName.values()];
}

/** Macro files: Splunk's shape (`name`, `definition`, optional `arguments`), one per document or a list. */
export function loadMacros(paths: string[], table = new MacroTable()): MacroTable {
  for (const p of paths) {
    for (const f of yamlFiles(p)) {
      for (const y of readYamlFile(f)) {
        const items = Array.isArray(y.data) ? y.data : (y.data as Record<string, unknown>)?.macros !== undefined ? (y.data as { macros: unknown }).macros : [y.data];
        if (!Array.isArray(items)) throw new ContentError(`${y.where([])}: expected a macro, a list of macros, or macros: [...]`);
        items.forEach((m: unknown, i: number) => {
          const x = m as Record<string, unknown>;
          const base = Array.isArray(y.data) ? [i] : (y.data as Record<string, unknown>).macros !== undefined ? ['macros', i] : [];
          if (!x || typeof x.name !== 'string' || !/^[A-Za-z0-9_.:-]+$/.test(x.name)) throw new ContentError(`${y.where([...base, 'name'])}: a macro needs a name of letters, digits, _ . : -`);
          if (typeof x.definition !== 'string') throw new ContentError(`${y.where([...base, 'definition'])}: macro "${x.name}" needs a definition`);
          const args = Array.isArray(x.arguments) ? x.arguments.map(String) : typeof x.args === 'string' ? x.args.split(',').map((s) => s.trim()).filter(Boolean) : [];
          // Where it was defined, worked out only if asked for (a position needs the file parsed: yaml-source.ts).
          table.set({ name: x.name, args, definition: x.definition, get origin() { return y.where([...base]); } });
        });
      }
    }
  }
  return table;
}

/** Adds `<name>_filter` = `search *` for every detection whose filter is not defined yet. */
export function addFilterMacros(table: MacroTable, detections: Detection[]): void {
  for (const d of detections) {
    if (!table.has(d.filterMacro)) table.set({ name: d.filterMacro, args: [], definition: 'search *', origin: 'default filter' });
  }
}
