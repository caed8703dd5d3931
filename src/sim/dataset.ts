// Builds a dataset: a scenario over ordinary background traffic, or a whole ordinary day. Same name and
// seed give the same bytes.
import { LogBuilder } from './log-builder.js';
import { Rng } from './rng.js';
import { localPull, ordinaryTraffic } from './background.js';
import { SCENARIOS, scenarioByName } from './scenarios.js';

export const ORDINARY_DAY = 'ordinary-day';
/** Scenario datasets cover 10:00–13:00 UTC of this day, the scenario starting at 11:00. */
export const DATASET_DAY = Date.UTC(2025, 5, 16);

export interface DatasetOptions {
  seed?: number;
  /** Start of the background (ms since the epoch); the scenario starts an hour later. */
  start?: number;
  /** Length of the background in hours. */
  hours?: number;
}

export function datasetNames(): string[] {
  return [ORDINARY_DAY, ...SCENARIOS.map((s) => s.name)];
}

/** A stable default seed per dataset name, so each dataset differs from the others. */
export function defaultSeed(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function buildDataset(name: string, opts: DatasetOptions = {}): string {
  const rng = new Rng(opts.seed ?? defaultSeed(name));
  const b = new LogBuilder();
  if (name === ORDINARY_DAY) {
    const start = opts.start ?? DATASET_DAY;
    const end = start + (opts.hours ?? 24) * 3600_000;
    ordinaryTraffic(b, rng, start, end, { banner: true, workHours: [8, 20] });
    localPull(b, rng, start + (9 * 60 + 12) * 60_000);
    return b.text();
  }
  const sc = scenarioByName(name);
  if (!sc) throw new Error(`unknown scenario "${name}" (known: ${datasetNames().join(', ')})`);
  const start = opts.start ?? DATASET_DAY + 10 * 3600_000;
  const end = start + (opts.hours ?? 3) * 3600_000;
  ordinaryTraffic(b, rng, start, end);
  sc.build(b, rng, start + 3600_000);
  return b.text();
}
