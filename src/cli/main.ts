// The ollama-sentinel command line: dispatch, and the one place that turns errors into exit codes.
import { processIo, type Io } from './io.js';
import { UsageError } from './options.js';
import { ContentError } from '../detections/yaml-source.js';
import { InputError } from '../input/sources.js';
import { DetectionCompileError } from './content.js';
import { terminalSafe } from '../outputs/sanitize.js';
import { ScheduleError } from '../watch/schedule-error.js';

export const HELP = `ollama-sentinel: threat detection for Ollama servers, from Ollama's own logs.

Usage:
  ollama-sentinel scan [FILE…|-] [options]          run every detection, print risk events
  ollama-sentinel search 'SPL' [FILE…|-] [options]  run one SPL search, print its rows
  ollama-sentinel detections list|show NAME         the detections and what they look for
  ollama-sentinel watch [FILE|GLOB…] --state DIR    follow live logs (and HEC), alert as it happens
  ollama-sentinel findings --state DIR              stored findings; ack, close, reopen, note them
  ollama-sentinel risk [FILE…] [--state DIR]        objects ranked by risk, or one object's timeline
  ollama-sentinel incidents [FILE…] [--state DIR]   risk incidents: many detections against one object
  ollama-sentinel drilldown FINDING --state DIR     run a finding's drilldown searches
  ollama-sentinel test [NAME…]                      run detections' tests against their datasets
  ollama-sentinel simulate SCENARIO|list            write a simulated Ollama log (attack over ordinary traffic)
  ollama-sentinel replay DATASET [--hec URL]        replay a dataset with its times shifted to now

Run "ollama-sentinel COMMAND --help" for a command's options.
`;

/** A command: what runs it and its --help text. */
interface Command { run: (args: string[], io: Io) => number | Promise<number>; help: string }

// Each command's module is loaded when it is run: a scan does not load the watch service, the HEC server or the
// simulator (about 50 ms of every command's start).
const COMMANDS: Record<string, () => Promise<Command>> = {
  scan: async () => { const m = await import('./scan.js'); return { run: m.scanCommand, help: m.SCAN_HELP }; },
  search: async () => { const m = await import('./search.js'); return { run: m.searchCommand, help: m.SEARCH_HELP }; },
  detections: async () => { const m = await import('./detections-cmd.js'); return { run: m.detectionsCommand, help: m.DETECTIONS_HELP }; },
  test: async () => { const m = await import('./test-cmd.js'); return { run: m.testCommand, help: m.TEST_HELP }; },
  replay: async () => { const m = await import('./replay-cmd.js'); return { run: m.replayCommand, help: m.REPLAY_HELP }; },
  simulate: async () => { const m = await import('./simulate-cmd.js'); return { run: m.simulateCommand, help: m.SIMULATE_HELP }; },
  watch: async () => { const m = await import('./watch-cmd.js'); return { run: m.watchCommand, help: m.WATCH_HELP }; },
  findings: async () => { const m = await import('./findings-cmd.js'); return { run: m.findingsCommand, help: m.FINDINGS_HELP }; },
  risk: async () => { const m = await import('./risk-cmd.js'); return { run: m.riskCommand, help: m.RISK_HELP }; },
  incidents: async () => { const m = await import('./risk-cmd.js'); return { run: m.incidentsCommand, help: m.INCIDENTS_HELP }; },
  drilldown: async () => { const m = await import('./drilldown-cmd.js'); return { run: m.drilldownCommand, help: m.DRILLDOWN_HELP }; },
};

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
      const about = rest[0] !== undefined && Object.hasOwn(COMMANDS, rest[0]) ? await COMMANDS[rest[0]]!() : undefined;
      io.out(about?.help ?? HELP);
      return cmd === undefined ? 2 : 0;
    }
    if (!Object.hasOwn(COMMANDS, cmd)) {
      throw new UsageError(`unknown command "${cmd}" (scan, search, detections, watch, findings, risk, incidents, drilldown, test, simulate, replay)`);
    }
    const command = await COMMANDS[cmd]!();
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) { io.err(`error: ${terminalSafe(e.message)}\n`); return 2; }
    if (e instanceof ContentError || e instanceof InputError || e instanceof DetectionCompileError || e instanceof ScheduleError) {
      io.err(`error: ${terminalSafe(e.message).replace(/\\n/g, '\n')}\n`);
      return 2;
    }
    io.err(`error: ${terminalSafe((e as Error).stack ?? String(e)).replace(/\\n/g, '\n')}\n`);
    return 2;
  }
}
