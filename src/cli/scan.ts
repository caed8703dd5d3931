import { resolve as resolvePath } from 'node:path';
import { COMMON_OPTIONS, SELECT_OPTIONS, RISK_OPTIONS, parse, readCommon, readSelection, UsageError } from './options.js';
import { loadContent, compileJob } from './content.js';
import { resolveInputs } from './inputs.js';
import type { Io } from './io.js';
import { runJobs, type InputSummary, type JobCost, type ResultSink, type RunResult } from '../engine/runner.js';
import { runJobsParallel } from '../engine/parallel.js';
import { runJobsSplit } from '../engine/range-split.js';
import { readingFor, readsInRanges } from './threads.js';
import { trimHeap } from '../util/heap-trim.js';
import { riskEventsFor, type RiskEvent } from '../risk/risk-events.js';
import { asNumber } from '../engine/value.js';
import { renderFindingsTable, RiskEventWriter } from '../outputs/rows.js';
import { strftime } from '../util/timeformat.js';
import { terminalSafe } from '../outputs/sanitize.js';
import { RiskStore } from '../risk/store.js';
import { loadIncidentConfig } from '../risk/incident-config.js';
import { finalIncidents, ScanRecorder } from '../risk/scan-ledger.js';
import type { Detection } from '../detections/types.js';
import { renderIncident } from '../outputs/incidents.js';

export const SCAN_HELP = `Usage: ollama-sentinel scan [FILE…|-] [options]

Runs every detection over Ollama server logs and prints the risk events they raise.
With no FILE, reads Ollama's default log locations (and says which); "-" reads stdin.
Files ending in .gz are decompressed.

Options:
  --format table|json|ndjson|csv  output format (default table; ndjson = one risk event per line)
  --tz ZONE          zone of gin timestamps, which carry none (default: this machine's zone)
  --host NAME        host name for the events (default: from journald prefixes, else this machine)
  --detections DIR   add or override detections from YAML files in DIR (repeatable)
  --macros FILE      macro definitions (YAML) that add to or override the built-in ones (repeatable)
  --tuning FILE      trusted networks, known clients and trusted registries (default config/tuning.yml,
                     or $OLLAMA_SENTINEL_TUNING)
  --set NAME         detection set: default (corrected + new), splunk (Splunk-faithful), all
  --only NAME        run only these detections (name, slug or id; repeatable or comma-separated)
  --exclude NAME     leave these detections out (repeatable or comma-separated)
  --earliest TIME    only events at or after TIME (-24h, -70m@m, 2025-01-19T00:00:00Z, epoch)
  --latest TIME      only events before TIME
  --now TIME         the time relative times are measured from (default: now)
  --truncate BYTES   longest line kept, as Splunk's TRUNCATE (default 10000)
  --risk-rules FILE  risk incident rules (default config/risk.yml, or $OLLAMA_SENTINEL_RISK_RULES)
  --workers N        threads (default: one per core, up to 4, for files of 64 MB or more, or compressed
                     files over 8 MB; one thread from 8 MB; none for stdin and pipes). From 512 MB each
                     reads a part of the files and runs every detection over it; below that, and for
                     compressed files (never cut), each reads them whole with a share of the detections
                     (fewer than four detections a thread: parts even so). Results are one thread's
  --profile          after the scan, say on stderr how the input was read (by how many threads) and list
                     the time each detection took and the events it was handed, slowest first (to find
                     the detection that makes a scan slow)
  --state DIR        keep the findings, risk events and incidents in DIR (for findings, risk, incidents,
                     drilldown); scanning the same log again adds nothing twice
  -h, --help         this help

The table ends with the risk incidents the findings add up to; "incidents --format json FILE" gives them
as data. Exit status: 0 no findings, 1 findings, 2 usage or input error, 141 the reader of the output
closed it (scan … | head).
`;

export async function scanCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...COMMON_OPTIONS, ...SELECT_OPTIONS, ...RISK_OPTIONS, state: { type: 'string' }, workers: { type: 'string' }, profile: { type: 'boolean' } });
  if (values.help) { io.out(SCAN_HELP); return 0; }
  const format = readCommon(values).format;
  // Machine formats are written a detection at a time; the table needs every event to group and rank them.
  const table: RiskEvent[] = [];
  const writer = format === 'table' ? undefined : new RiskEventWriter(format, (t) => io.out(t));
  const withFindings = new Set<string>();
  let count = 0;
  const scan = await runScan(values, positionals, io, (d, events) => {
    if (events.length === 0) return;
    count += events.length;
    withFindings.add(d.name);
    if (writer) writer.write(events); else table.push(...events);
  });
  const { common, detections, res, sources } = scan;
  const timeText = (t: number) => strftime(t, '%Y-%m-%d %H:%M:%S %z', common.tz);
  const incidents = finalIncidents(scan.changes);
  if (writer) writer.end();
  else {
    if (table.length) io.out(renderFindingsTable(table, timeText));
    else io.out('No findings.\n');
    for (const c of incidents) io.out(renderIncident(c.incident, c.stages, c.rule_names, timeText));
  }
  scan.store.close();
  io.err(`scanned ${res.lines} line${res.lines === 1 ? '' : 's'} from ${sources.length} source${sources.length === 1 ? '' : 's'} with ${detections.length} detection${detections.length === 1 ? '' : 's'}; gin timestamps read in time zone ${common.tz.name}; ${count} risk event${count === 1 ? '' : 's'} from ${withFindings.size} detection${withFindings.size === 1 ? '' : 's'}; ${incidents.length} risk incident${incidents.length === 1 ? '' : 's'}${res.truncatedLines ? `; ${res.truncatedLines} over-long line${res.truncatedLines === 1 ? '' : 's'} truncated` : ''}\n`);
  if (scan.costs) io.err(renderReading(res.threads) + renderProfile(scan.costs));
  for (const [name, msg] of res.failures) io.err(`error: detection "${terminalSafe(name)}" stopped: ${terminalSafe(msg)}\n`);
  if (res.failures.size > 0) return 2;
  return count > 0 ? 1 : 0;
}

/** `--profile`: how the input was read (RunResult.threads). */
export function renderReading(threads: RunResult['threads']): string {
  if (!threads) return 'read in the main thread\n';
  const n = `${threads.count} scan thread${threads.count === 1 ? '' : 's'}`;
  return threads.ranges !== undefined
    ? `read by ${n}, in ${threads.ranges} byte range${threads.ranges === 1 ? '' : 's'} of the input, every detection over each${threads.unread ? `; ${threads.unread} of their rows left unread, outranked by later ranges' for a sort` : ''}\n`
    : `read by ${n}, each over the whole input with a share of the detections\n`;
}

/** `--profile`: each detection's time and events, slowest first, with its share of all detections' time. */
export function renderProfile(costs: Map<string, JobCost>): string {
  const rows = [...costs].sort((a, b) => b[1].ms - a[1].ms || (a[0] < b[0] ? -1 : 1));
  const total = rows.reduce((s, [, c]) => s + c.ms, 0);
  const lines = ['detection time (ms, share of all detections, events handed to it, ns per event):'];
  for (const [name, c] of rows) {
    const share = total > 0 ? (100 * c.ms) / total : 0;
    const per = c.events > 0 ? Math.round((c.ms * 1e6) / c.events) : 0;
    lines.push(`${c.ms.toFixed(0).padStart(9)} ${share.toFixed(1).padStart(5)}% ${String(c.events).padStart(10)} ${String(per).padStart(6)}  ${terminalSafe(name)}`);
  }
  lines.push(`${total.toFixed(0).padStart(9)}  in all`);
  return lines.join('\n') + '\n';
}

const RECORD_CHUNK = 500;

/** Options `runScan` reads (scan's, and the risk commands' when given files). */
export type ScanValues = Record<string, unknown> & { profile?: boolean; workers?: string; detections?: string[]; macros?: string[]; tuning?: string; state?: string; 'risk-rules'?: string; set?: string; only?: string[]; exclude?: string[] };

/**
 * Runs the detections over the inputs and records the results in a risk ledger (temporary, or --state DIR),
 * a detection at a time as each one ends: `onEvents` gets its risk events, and then its rows are let go.
 */
export async function runScan(values: ScanValues, positionals: string[], io: Io, onEvents?: (d: Detection, events: RiskEvent[]) => void) {
  const common = readCommon(values);
  const content = loadContent(values.detections ?? [], values.macros ?? [], values.tuning);
  const detections = readSelection(content.detections, values);
  if (detections.length === 0) throw new UsageError('no detections to run');
  const byKey = new Map(detections.map((d) => [d.name, d]));
  const jobs = detections.map((d) => compileJob(d.name, d.search, content.macros, common, `${d.file}: detection "${d.name}"`));
  const sources = resolveInputs(positionals, (m) => io.err(`${m}\n`));
  const incidentConfig = loadIncidentConfig(values['risk-rules']);
  const store = RiskStore.open(values.state);
  // Files can be read by several workers and named for drilldowns; stdin and journald only once.
  const isFile = (name: string) => name !== 'stdin' && !name.startsWith('journald:');
  let recorder: ScanRecorder | undefined;
  const recorderFor = (input: InputSummary) => {
    const fallback = input.lastEventTime ?? common.now;
    const window: [number, number] = [common.earliest ?? input.firstEventTime ?? fallback, common.latest ?? fallback + 1];
    return recorder ??= new ScanRecorder(store, {
      now: common.now, window, incidents: incidentConfig,
      sources: sources.map((s) => s.name).filter(isFile).map((n) => resolvePath(n)),
    });
  };
  const failures = new Map<string, string>();
  const costs = values.profile ? new Map<string, JobCost>() : undefined;
  const onResult: ResultSink = (key, result, input, cost) => {
    if (costs && cost) costs.set(key, cost);
    if (!('rows' in result)) { failures.set(key, result.failure); return; }
    const d = byKey.get(key)!;
    const fallback = input.lastEventTime ?? common.now;
    const rec = recorderFor(input);
    // A few hundred rows at a time: one detection can have tens of thousands, each with its risk events.
    for (let i = 0; i < result.rows.length || i === 0; i += RECORD_CHUNK) {
      const rows = result.rows.slice(i, i + RECORD_CHUNK);
      const built = rows.map((row) => riskEventsFor(d, row, fallback));
      onEvents?.(d, built.flat());
      // The ledger dates a row without _time by the scan's `now`, not by the end of the data: only the
      // events of rows with a _time are the ledger's too.
      rec.record(d, rows, built.map((events, k) => (asNumber(rows[k]!._time) !== undefined ? events : undefined)));
      trimHeap();
    }
  };
  const runOpts = {
    tz: common.tz, now: common.now, ...(common.host ? { host: common.host } : {}), ...(common.truncate ? { truncate: common.truncate } : {}),
    warn: (m: string) => io.err(`warning: ${terminalSafe(m)}\n`), onResult, ...(costs ? { profile: true } : {}),
  };
  const { files, big, workers, cuttableBytes } = readingFor(sources, values.workers);
  // Big files go to worker threads even with one worker: a worker's heap can be capped (see parallel.ts).
  // With several, each thread reads a part of a large input that can be cut (range-split.ts), else the whole
  // input with a share of the detections (readsInRanges).
  const res = !files || (workers === 1 && !big) ? await runJobs(sources, jobs, runOpts)
    : (readsInRanges(cuttableBytes, jobs.length, workers) ? await runJobsSplit(files, jobs, runOpts, workers) : undefined) ?? await runJobsParallel(files, jobs, runOpts, workers);
  res.failures = failures;
  const changes = recorderFor(res).finish();
  return { common, detections, res, sources, store, changes, incidentConfig, costs };
}
