import { COMMON_OPTIONS, parse, readCommon, UsageError } from './options.js';
import { loadContent, loadMacroFiles, compileJob, DetectionCompileError } from './content.js';
import type { Common } from './options.js';
import type { Job } from '../engine/runner.js';
import { resolveInputs } from './inputs.js';
import type { Io } from './io.js';
import { runJobs, type RunOptions } from '../engine/runner.js';
import { runJobsSplit } from '../engine/range-split.js';
import { readingFor } from './threads.js';
import { renderRows } from '../outputs/rows.js';
import { strftime } from '../util/timeformat.js';
import { explainPlan } from '../plan/plan.js';
import { terminalSafe } from '../outputs/sanitize.js';

export const SEARCH_HELP = `Usage: ollama-sentinel search 'SPL' [FILE…|-] [options]

Runs one SPL search over Ollama logs and prints its result rows. Macros such as \`ollama_server\` and every
detection's filter macro are available. With no FILE, reads the default log locations; "-" reads stdin.

Options:
  --format table|json|ndjson|csv  output format (default table; ndjson = one row per line, _time in epoch seconds)
  --tz ZONE, --host NAME, --macros FILE, --detections DIR, --earliest TIME, --latest TIME, --now TIME, --truncate BYTES
                     as for scan
  --workers N        threads that read a big file, each a part of it (default: one per core, up to 4, for
                     files of 64 MB or more; 1 reads in this thread). The rows are the same either way
  --explain          print the logical plan instead of running the search
  -h, --help         this help

Exit status: 0 rows printed (or none), 2 usage, search or input error.
`;

export async function searchCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...COMMON_OPTIONS, explain: { type: 'boolean' }, workers: { type: 'string' } });
  if (values.help) { io.out(SEARCH_HELP); return 0; }
  const [spl, ...files] = positionals;
  if (spl === undefined || spl.trim() === '') throw new UsageError("search needs an SPL search, e.g. ollama-sentinel search '\"[GIN]\" | stats count by src' server.log");
  const common = readCommon(values);
  const job = compileSearch(spl, values, common);
  if (values.explain) { io.out(explainPlan(job.plan) + '\n'); return 0; }
  const sources = resolveInputs(files, (m) => io.err(`${m}\n`));
  const opts: RunOptions = {
    tz: common.tz, now: common.now, ...(common.host ? { host: common.host } : {}), ...(common.truncate ? { truncate: common.truncate } : {}),
    warn: (m) => io.err(`warning: ${terminalSafe(m)}\n`),
  };
  // Files that can be cut into byte ranges are read by a thread each (range-split.ts; the rows are one
  // thread's); anything else, or one thread, is read here.
  const { files: paths, workers } = readingFor(sources, values.workers);
  const res = (paths && workers > 1 ? await runJobsSplit(paths, [job], opts, workers) : undefined) ?? await runJobs(sources, [job], opts);
  const failure = res.failures.get('search');
  if (failure) { io.err(`error: ${terminalSafe(failure)}\n`); return 2; }
  const rows = res.rows.get('search') ?? [];
  io.out(renderRows(rows, common.format, (t) => strftime(t, '%Y-%m-%d %H:%M:%S %z', common.tz)));
  const threads = res.threads?.ranges !== undefined ? `, read by ${res.threads.count} threads in ${res.threads.ranges} byte ranges` : '';
  io.err(`${rows.length} result${rows.length === 1 ? '' : 's'} from ${res.lines} line${res.lines === 1 ? '' : 's'}${threads}; gin timestamps read in time zone ${common.tz.name}\n`);
  return 0;
}

/**
 * Reading every detection file is most of a search's start-up, and only their `<name>_filter` macros matter
 * to a search: the detections are read when the search names a macro the macro files lack, or --detections
 * is given.
 */
function compileSearch(spl: string, values: { detections?: string[]; macros?: string[]; tuning?: string }, common: Common): Job {
  if (!values.detections?.length) {
    try {
      return compileJob('search', spl, loadMacroFiles(values.macros ?? [], values.tuning), common, 'search');
    } catch (e) {
      if (!(e instanceof DetectionCompileError && e.code === 'SPL_UNKNOWN_MACRO')) throw e;
    }
  }
  return compileJob('search', spl, loadContent(values.detections ?? [], values.macros ?? [], values.tuning).macros, common, 'search');
}
