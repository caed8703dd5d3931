// Periods as users write them in flags and YAML: "90s", "30m", "24h", "7d" (whole units, up to 6 digits).
import { table } from './table.js';

const UNITS: Readonly<Record<string, number>> = table({ s: 1, m: 60, h: 3600, d: 86400 });

/** Seconds, or undefined when the text is not such a period. */
export function parsePeriod(text: unknown): number | undefined {
  const m = /^(\d{1,6})\s*([smhd])$/.exec(String(text ?? '').trim());
  return m ? Number(m[1]) * UNITS[m[2]!]! : undefined;
}
