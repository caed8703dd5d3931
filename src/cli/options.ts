// Command-line options shared by the commands, read with node:util's strict parser so a wrong flag is an error.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { TimeZone } from '../util/timezone.js';
import { resolveTimeModifier } from '../util/reltime.js';
import { FORMATS, type Format } from '../outputs/rows.js';
import { selectDetections, SelectionError } from '../detections/select.js';
import type { Detection } from '../detections/types.js';

export class UsageError extends Error {
  constructor(message: string) { super(message); this.name = 'UsageError'; }
}

export const COMMON_OPTIONS = {
  format: { type: 'string' },
  tz: { type: 'string' },
  host: { type: 'string' },
  detections: { type: 'string', multiple: true },
  macros: { type: 'string', multiple: true },
  tuning: { type: 'string' },
  earliest: { type: 'string' },
  latest: { type: 'string' },
  now: { type: 'string' },
  truncate: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** The risk incident rules file, for the commands that raise or list incidents. */
export const RISK_OPTIONS = { 'risk-rules': { type: 'string' } } as const satisfies ParseArgsConfig['options'];

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

export interface Common {
  format: Format;
  tz: TimeZone;
  now: number;
  host?: string;
  earliest?: number;
  latest?: number;
  truncate?: number;
}

export function readCommon(v: Record<string, unknown>, defaultFormat: Format = 'table'): Common {
  const format = (v.format as string | undefined) ?? defaultFormat;
  if (!FORMATS.includes(format as Format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${format}")`);
  let tz: TimeZone;
  try { tz = TimeZone.resolve(v.tz as string | undefined); } catch (e) { throw new UsageError(`--tz: ${(e as Error).message}`); }
  let now = Date.now() / 1000;
  if (v.now !== undefined) {
    try { now = resolveTimeModifier(v.now as string, now, tz); } catch (e) { throw new UsageError(`--now: ${(e as Error).message}`); }
  }
  const out: Common = { format: format as Format, tz, now };
  if (typeof v.host === 'string') {
    if (v.host.trim() === '' || /[\u0000-\u001f]/.test(v.host)) throw new UsageError('--host needs a name without control characters');
    out.host = v.host;
  }
  for (const k of ['earliest', 'latest'] as const) {
    if (v[k] !== undefined) {
      try { out[k] = resolveTimeModifier(v[k] as string, now, tz); } catch (e) { throw new UsageError(`--${k}: ${(e as Error).message}`); }
    }
  }
  if (v.truncate !== undefined) {
    const n = Number(v.truncate);
    if (!Number.isInteger(n) || n < 256 || n > 100_000_000) throw new UsageError('--truncate must be a whole number of bytes between 256 and 100000000');
    out.truncate = n;
  }
  return out;
}

export const SELECT_OPTIONS = {
  set: { type: 'string' },
  only: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
} as const satisfies ParseArgsConfig['options'];

/** Applies --set/--only/--exclude, turning a bad name into a usage error. */
export function readSelection(all: Detection[], v: { set?: string; only?: string[]; exclude?: string[] }): Detection[] {
  try {
    return selectDetections(all, { ...(v.set !== undefined ? { set: v.set } : {}), ...(v.only ? { only: v.only } : {}), ...(v.exclude ? { exclude: v.exclude } : {}) });
  } catch (e) {
    if (e instanceof SelectionError) throw new UsageError(e.message);
    throw e;
  }
}
