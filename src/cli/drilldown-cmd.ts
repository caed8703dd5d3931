// `ollama-sentinel drilldown FINDING`: the finding's detection's drilldown searches, filled with its values and
// run over its window, on the logs it came from (the files scan read, the lines watch keeps, or FILEs given).
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { COMMON_OPTIONS, parse, readCommon, UsageError } from './options.js';
import type { Io } from './io.js';
import { loadContent, compileJob } from './content.js';
import { resolveInputs } from './inputs.js';
import { idArg, openState } from './ledger.js';
import { runJobs } from '../engine/runner.js';
import { renderRows } from '../outputs/rows.js';
import { terminalSafe } from '../outputs/sanitize.js';
import { strftime } from '../util/timeformat.js';
import { resolveDrilldown, DrilldownError, type ResolvedDrilldown } from '../risk/drilldown.js';
import type { LogSource } from '../input/sources.js';
import type { Row } from '../engine/value.js';
import type { RiskStore } from '../risk/store.js';
import { keptLines } from '../watch/store.js';

export const DRILLDOWN_HELP = `Usage: ollama-sentinel drilldown FINDING --state DIR [FILE…] [--name N] [--print] [options]

Runs the drilldown searches of a finding's detection (its YAML drilldown_searches): $field$ tokens take the
finding's values, %original_detection_search% the detection's search, $info_min_time$ and $info_max_time$
the window the finding was found in. The logs searched are the FILEs given, else the files the finding was
scanned from, else the recent lines watch keeps in DIR.

Options:
  --state DIR      where the finding is stored (watch, or scan --state)
  --name N         run only the drilldown whose number (1, 2, …) or name is N
  --print          print the searches and their windows without running them
  --format table|json|ndjson|csv, --tz ZONE, --host NAME, --detections DIR, --macros FILE, --tuning FILE
`;

export async function drilldownCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...COMMON_OPTIONS, state: { type: 'string' }, name: { type: 'string' }, print: { type: 'boolean' } });
  if (values.help) { io.out(DRILLDOWN_HELP); return 0; }
  const [idText, ...files] = positionals;
  const id = idArg(idText, 'FINDING (a finding id, as findings lists them)');
  const common = readCommon(values);
  const timeText = (t: number) => strftime(t, '%Y-%m-%d %H:%M:%S %z', common.tz);
  const store = openState('drilldown', values.state);
  try {
    const f = store.findingById(id);
    if (!f) throw new UsageError(`no finding ${id} in ${values.state}`);
    const content = loadContent(values.detections ?? [], values.macros ?? [], values.tuning);
    const d = content.detections.find((x) => x.id === f.detection_id) ?? content.detections.find((x) => x.name === f.detection);
    if (!d) throw new UsageError(`finding ${id} comes from "${f.detection}", which is no longer among the detections (add it with --detections DIR)`);
    if (!d.drilldown_searches.length) throw new UsageError(`"${d.name}" defines no drilldown searches`);
    const row = JSON.parse(f.row) as Row;
    const window: [number, number] | undefined = f.window_start !== null && f.window_end !== null ? [f.window_start, f.window_end] : undefined;
    let list: ResolvedDrilldown[];
    try { list = d.drilldown_searches.map((dd) => resolveDrilldown(d, dd, row, window)); } catch (e) {
      if (e instanceof DrilldownError) throw new UsageError(`${d.file}: ${e.message}`);
      throw e;
    }
    const pick = values.name;
    const chosen = pick === undefined ? list.map((x, i) => ({ x, i }))
      : list.map((x, i) => ({ x, i })).filter(({ x, i }) => String(i + 1) === pick || x.name.toLowerCase() === pick.toLowerCase() || d.drilldown_searches[i]!.name.toLowerCase() === pick.toLowerCase());
    if (!chosen.length) throw new UsageError(`no drilldown "${pick}" for "${d.name}" (${list.map((x, i) => `${i + 1}: ${x.name}`).join('; ')})`);
    const heading = (x: ResolvedDrilldown, i: number) => `── drilldown ${i + 1}: ${terminalSafe(x.name)}\n   window ${x.earliest !== undefined ? timeText(x.earliest) : 'start'} → ${x.latest !== undefined ? timeText(x.latest) : 'end'}\n   ${terminalSafe(x.search)}\n`;
    if (values.print) {
      for (const { x, i } of chosen) io.out(heading(x, i));
      return 0;
    }
    const sources = logsFor(files, JSON.parse(f.sources) as string[], store, io);
    for (const { x, i } of chosen) {
      const job = compileJob(`drilldown ${i + 1}`, x.search, content.macros, {
        ...common, ...(x.earliest !== undefined ? { earliest: x.earliest } : {}), ...(x.latest !== undefined ? { latest: x.latest } : {}),
      }, `${d.file}: drilldown ${i + 1}`);
      const res = await runJobs(sources(), [job], {
        tz: common.tz, now: common.now, ...(common.host ? { host: common.host } : {}), warn: (m) => io.err(`warning: ${terminalSafe(m)}\n`),
      });
      const failure = res.failures.get(job.key);
      if (failure) { io.err(`error: ${terminalSafe(failure)}\n`); return 2; }
      const rows = res.rows.get(job.key) ?? [];
      if (common.format === 'table') io.out(heading(x, i));
      io.out(renderRows(rows, common.format, timeText));
      io.err(`drilldown ${i + 1}: ${rows.length} result${rows.length === 1 ? '' : 's'} from ${res.lines} line${res.lines === 1 ? '' : 's'}\n`);
    }
    return 0;
  } finally {
    store.close();
  }
}

/** The logs to search, as a factory (each drilldown reads them afresh). */
function logsFor(files: string[], scanned: string[], store: RiskStore, io: Io): () => LogSource[] {
  if (files.length) return () => resolveInputs(files, (m) => io.err(`${m}\n`));
  const present = scanned.filter((p) => existsSync(p));
  if (present.length) {
    if (present.length < scanned.length) io.err(`warning: ${scanned.length - present.length} of the files this finding was scanned from are gone\n`);
    return () => resolveInputs(present, () => undefined);
  }
  const lines = keptLines(store.db);
  if (!lines) throw new UsageError('no logs to search: give the log FILEs');
  if (!lines.length) throw new UsageError('the watcher keeps no lines for this window any more: give the log FILEs');
  const text = lines.join('\n') + '\n';
  return () => [{ name: 'watch:state', mtimeMs: Date.now(), open: () => Readable.from([Buffer.from(text)]) }];
}
