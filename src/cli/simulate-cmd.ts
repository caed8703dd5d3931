// `ollama-sentinel simulate`: writes a dataset from the attack simulator.
import { writeFileSync } from 'node:fs';
import { parse, UsageError } from './options.js';
import type { Io } from './io.js';
import { buildDataset, datasetNames, ORDINARY_DAY } from '../sim/dataset.js';
import { SCENARIOS } from '../sim/scenarios.js';

export const SIMULATE_HELP = `Usage: ollama-sentinel simulate list
       ollama-sentinel simulate NAME [--seed N] [--start TIME] [--hours H] [--out FILE]

Writes an Ollama server log in Ollama's exact formats (Gin access lines and slog lines, times in UTC):
NAME is "${ORDINARY_DAY}" (a day of ordinary use) or a scenario laid over ordinary traffic, starting one
hour into the log. The same NAME and seed always give the same bytes.

Options:
  --seed N       seed for the generator (default: derived from NAME, as used for datasets/)
  --start TIME   ISO time the log starts (default 2025-06-16T10:00:00Z; the ordinary day: 00:00)
  --hours H      length of the log in hours (default 3; the ordinary day: 24)
  --out FILE     write to FILE instead of stdout
`;

export function simulateCommand(args: string[], io: Io): number {
  const { values, positionals } = parse(args, {
    seed: { type: 'string' }, start: { type: 'string' }, hours: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  });
  if (values.help) { io.out(SIMULATE_HELP); return 0; }
  const name = positionals[0];
  if (!name) throw new UsageError('simulate needs a NAME (or "list")');
  if (name === 'list') {
    io.out(`${ORDINARY_DAY.padEnd(28)} benign  a day of ordinary use: web UI, CLI, LAN developer, model loads, a pull\n`);
    for (const s of SCENARIOS) io.out(`${s.name.padEnd(28)} ${s.kind.padEnd(7)} ${s.summary}\n`);
    return 0;
  }
  if (!datasetNames().includes(name)) throw new UsageError(`unknown scenario "${name}" (see: ollama-sentinel simulate list)`);
  const opts: { seed?: number; start?: number; hours?: number } = {};
  if (values.seed !== undefined) {
    if (!/^\d{1,10}$/.test(values.seed)) throw new UsageError('--seed must be a whole number');
    opts.seed = Number(values.seed);
  }
  if (values.start !== undefined) {
    const t = Date.parse(values.start);
    if (!Number.isFinite(t)) throw new UsageError(`--start: not an ISO time: "${values.start}"`);
    opts.start = t;
  }
  if (values.hours !== undefined) {
    const h = Number(values.hours);
    if (!(h >= 2 && h <= 24 * 31)) throw new UsageError('--hours must be between 2 and 744');
    opts.hours = h;
  }
  const text = buildDataset(name, opts);
  if (values.out) writeFileSync(values.out, text);
  else io.out(text);
  return 0;
}
