// A detection as we load it: Splunk security_content's shape plus a schedule.

export interface RiskObjectSpec { field: string; type: string; score: number }
export interface ThreatObjectSpec { field: string; type: string }

export interface Drilldown { name: string; search: string; earliest_offset?: string; latest_offset?: string }

export interface Schedule { cron: string; earliest: string; latest: string }

export interface Detection {
  name: string;
  id: string;
  version: number;
  date?: string;
  author?: string;
  status?: string;
  type?: string;
  description?: string;
  data_source: string[];
  search: string;
  how_to_implement?: string;
  known_false_positives?: string;
  references: string[];
  drilldown_searches: Drilldown[];
  rba?: { message: string; risk_objects: RiskObjectSpec[]; threat_objects: ThreatObjectSpec[] };
  tags: { analytic_story: string[]; mitre_attack_id: string[]; [k: string]: unknown };
  tests: unknown[];
  /** Named sets the detection belongs to: `default` (run by scan) and/or `splunk` (Splunk-faithful). */
  sets: string[];
  /** For a corrected version: the Splunk detection it replaces, and what it does differently. */
  corrects?: string;
  differences: string[];
  /** Splunk's alert.suppress: after an alert, suppress alerts with the same values of `fields` for `period` seconds. */
  throttle?: { fields: string[]; period: number };
  schedule: Schedule;
  /** File it was loaded from. */
  file: string;
  /** The filter macro every detection ends with. */
  filterMacro: string;
}

export const DEFAULT_SCHEDULE: Schedule = { cron: '0 * * * *', earliest: '-70m@m', latest: '-10m@m' };

/** Splunk's convention: the detection name in lower case, non-alphanumerics as `_`, then `_filter`. */
export function filterMacroName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') + '_filter';
}
