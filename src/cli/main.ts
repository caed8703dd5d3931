// The ollama-sentinel command line: dispatch, and the one place that turns errors into exit codes.
import { processIo, type Io } from './io.js';
import { UsageError } from './options.js';
import { scanCommand, SCAN_HELP } from './scan.js';
import { searchCommand, SEARCH_HELP } from './search.js';
import { detectionsCommand, DETECTIONS_HELP } from './detections-cmd.js';
import { ContentError } from '../detections/yaml-source.js';
import { InputError } from '../input/sources.js';
import { DetectionCompileError } from './content.js';
import { terminalSafe } from '../outputs/sanitize.js';

export const HELP = `ollama-sentinel: threat detection for Ollama servers, from Ollama's own logs.

Usage:
  ollama-sentinel scan [FILE…|-] [options]          run every detection, print risk events
  ollama-sentinel search 'SPL' [FILE…|-] [options]  run one SPL search, print its rows
  ollama-sentinel detections list|show NAME         the detections and what they look for

Run "ollama-sentinel COMMAND --help" for a command's options.
`;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'scan': return await scanCommand(rest, io);
      case 'search': return await searchCommand(rest, io);
      case 'detections': return detectionsCommand(rest, io);
      case undefined: case '-h': case '--help': case 'help':
        io.out(rest[0] === 'scan' ? SCAN_HELP : rest[0] === 'search' ? SEARCH_HELP : rest[0] === 'detections' ? DETECTIONS_HELP : HELP);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${cmd}" (scan, search, detections)`);
    }
  } catch (e) {
    if (e instanceof UsageError) { io.err(`error: ${terminalSafe(e.message)}\n`); return 2; }
    if (e instanceof ContentError || e instanceof InputError || e instanceof DetectionCompileError) {
      io.err(`error: ${terminalSafe(e.message).replace(/\\n/g, '\n')}\n`);
      return 2;
    }
    io.err(`error: ${terminalSafe((e as Error).stack ?? String(e)).replace(/\\n/g, '\n')}\n`);
    return 2;
  }
}
