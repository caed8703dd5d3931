// The ollama-sentinel command line: dispatch, and the one place that turns errors into exit codes.
import { processIo, type Io } from './io.js';
import { UsageError } from './options.js';
import { scanCommand, SCAN_HELP } from './scan.js';
import { searchCommand, SEARCH_HELP } from './search.js';
import { detectionsCommand, DETECTIONS_HELP } from './detections-cmd.js';
import { testCommand, TEST_HELP } from './test-cmd.js';
import { replayCommand, REPLAY_HELP } from './replay-cmd.js';
import { simulateCommand, SIMULATE_HELP } from './simulate-cmd.js';
import { watchCommand, WATCH_HELP } from './watch-cmd.js';
import { findingsCommand, FINDINGS_HELP } from './findings-cmd.js';
import { riskCommand, RISK_HELP, incidentsCommand, INCIDENTS_HELP } from './risk-cmd.js';
import { drilldownCommand, DRILLDOWN_HELP } from './drilldown-cmd.js';
import { ContentError } from '../detections/yaml-source.js';
import { InputError } from '../input/sources.js';
import { DetectionCompileError } from './content.js';
import { terminalSafe } from '../outputs/sanitize.js';
import { ScheduleError } from '../watch/engine.js';

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

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'scan': return await scanCommand(rest, io);
      case 'search': return await searchCommand(rest, io);
      case 'detections': return detectionsCommand(rest, io);
      case 'test': return await testCommand(rest, io);
      case 'replay': return await replayCommand(rest, io);
      case 'simulate': return simulateCommand(rest, io);
      case 'watch': return await watchCommand(rest, io);
      case 'findings': return findingsCommand(rest, io);
      case 'risk': return await riskCommand(rest, io);
      case 'incidents': return await incidentsCommand(rest, io);
      case 'drilldown': return await drilldownCommand(rest, io);
      case undefined: case '-h': case '--help': case 'help':
        io.out(({ scan: SCAN_HELP, search: SEARCH_HELP, detections: DETECTIONS_HELP, test: TEST_HELP, replay: REPLAY_HELP, simulate: SIMULATE_HELP, watch: WATCH_HELP, findings: FINDINGS_HELP, risk: RISK_HELP, incidents: INCIDENTS_HELP, drilldown: DRILLDOWN_HELP } as Record<string, string>)[rest[0] ?? ''] ?? HELP);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${cmd}" (scan, search, detections, watch, findings, risk, incidents, drilldown, test, simulate, replay)`);
    }
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
