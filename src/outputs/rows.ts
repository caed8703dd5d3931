// Result rows (search) and risk events (scan) as table, JSON, NDJSON or CSV. Every path goes through sanitize.
import { valueToString, type Row, type Value } from '../engine/value.js';
import type { RiskEvent } from '../risk/risk-events.js';
import { csvCell, safeJson, terminalSafe } from './sanitize.js';

export type Format = 'table' | 'json' | 'ndjson' | 'csv';
export const FORMATS: Format[] = ['table', 'json', 'ndjson', 'csv'];

/** Column order: as the rows name them, first appearance first; internal fields other than _time/_raw hidden. */
export function columnsOf(rows: Row[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (r[k] !== undefined && !seen.has(k)) seen.add(k);
  return [...seen];
}

function jsonValue(v: Value | undefined): unknown {
  if (v === undefined) return null;
  return v;
}

export function rowToJson(row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(row)) if (row[k] !== undefined) out[k] = jsonValue(row[k]);
  return out;
}

function cellText(v: Value | undefined, tz: (t: number) => string, key: string): string {
  if (key === '_time' && typeof v === 'number') return tz(v);
  return valueToString(v, '\n');
}

/** A plain text table; multivalue cells list one value per line. */
export function renderTable(rows: Row[], timeText: (t: number) => string, maxWidth = 60): string {
  if (rows.length === 0) return '';
  const cols = columnsOf(rows);
  const cells = rows.map((r) => cols.map((c) => terminalSafe(cellText(r[c], timeText, c)).split('\\n').map((l) => (l.length > maxWidth ? l.slice(0, maxWidth - 1) + '…' : l))));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => Math.max(...row[i]!.map((l) => l.length)))));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(cols.map(terminalSafe)), line(widths.map((w) => '-'.repeat(w)))];
  for (const row of cells) {
    const height = Math.max(...row.map((l) => l.length));
    for (let k = 0; k < height; k++) out.push(line(row.map((l) => l[k] ?? '')));
  }
  return out.join('\n') + '\n';
}

export function renderCsv(rows: Row[]): string {
  const cols = columnsOf(rows);
  const lines = [cols.map(csvCell).join(',')];
  for (const r of rows) lines.push(cols.map((c) => csvCell(valueToString(r[c], '\n'))).join(','));
  return lines.join('\n') + '\n';
}

export function renderRows(rows: Row[], format: Format, timeText: (t: number) => string): string {
  switch (format) {
    case 'json': return safeJson(rows.map(rowToJson), 2) + '\n';
    case 'ndjson': return rows.map((r) => safeJson(rowToJson(r))).join('\n') + (rows.length ? '\n' : '');
    case 'csv': return rows.length ? renderCsv(rows) : '';
    case 'table': return renderTable(rows, timeText);
  }
}

// ---- risk events ----

export function riskEventToJson(e: RiskEvent): Record<string, unknown> {
  return {
    _time: e._time, detection: e.detection, detection_id: e.detection_id,
    risk_object: e.risk_object, risk_object_field: e.risk_object_field, risk_object_type: e.risk_object_type, risk_score: e.risk_score,
    threat_objects: e.threat_objects, mitre_attack_id: e.mitre_attack_id, analytic_story: e.analytic_story,
    risk_message: e.risk_message, fields: rowToJson(e.fields),
  };
}

const RISK_CSV_COLUMNS = ['_time', 'detection', 'detection_id', 'risk_object', 'risk_object_type', 'risk_score', 'threat_objects', 'mitre_attack_id', 'risk_message'];

/**
 * Writes risk events as they come, a detection's at a time, so a scan never holds all of them as text.
 * The text is the same as rendering the whole list at once: JSON as one pretty array, NDJSON one event a
 * line, CSV with one header (fixed columns, an empty cell for no value); nothing at all for no events
 * except JSON's `[]`.
 */
export class RiskEventWriter {
  private count = 0;
  constructor(private readonly format: Exclude<Format, 'table'>, private readonly out: (text: string) => void) {}

  write(events: RiskEvent[]): void {
    if (events.length === 0) return;
    const parts: string[] = [];
    for (const e of events) {
      const first = this.count++ === 0;
      switch (this.format) {
        case 'json':
          // An element of the array as JSON.stringify(list, null, 2) indents it (strings hold no raw newlines).
          parts.push((first ? '[\n  ' : ',\n  ') + safeJson(riskEventToJson(e), 2).replace(/\n/g, '\n  '));
          break;
        case 'ndjson':
          parts.push(safeJson(riskEventToJson(e)) + '\n');
          break;
        case 'csv': {
          if (first) parts.push(RISK_CSV_COLUMNS.map(csvCell).join(',') + '\n');
          const row: Row = {
            _time: e._time, detection: e.detection, detection_id: e.detection_id, risk_object: e.risk_object ?? undefined,
            risk_object_type: e.risk_object_type, risk_score: e.risk_score,
            threat_objects: e.threat_objects.map((t) => t.value), mitre_attack_id: e.mitre_attack_id, risk_message: e.risk_message,
          };
          parts.push(RISK_CSV_COLUMNS.map((c) => csvCell(valueToString(row[c], '\n'))).join(',') + '\n');
          break;
        }
      }
    }
    this.out(parts.join(''));
  }

  /** Closes the JSON array; the number of events written. */
  end(): number {
    if (this.format === 'json') this.out(this.count ? '\n]\n' : '[]\n');
    return this.count;
  }
}

/** Findings grouped by detection, the riskiest detection first (total score, then number of events). */
export function renderFindingsTable(events: RiskEvent[], timeText: (t: number) => string): string {
  const groups = new Map<string, RiskEvent[]>();
  for (const e of events) { const l = groups.get(e.detection) ?? []; l.push(e); groups.set(e.detection, l); }
  const total = (l: RiskEvent[]) => l.reduce((s, e) => s + e.risk_score, 0);
  const ordered = [...groups.entries()].sort((a, b) => total(b[1]) - total(a[1]) || b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  const out: string[] = [];
  for (const [name, list] of ordered) {
    const mitre = list[0]!.mitre_attack_id.join(', ');
    out.push(`■ ${terminalSafe(name)}  (${list.length} risk event${list.length === 1 ? '' : 's'}, total score ${total(list)}${mitre ? `, MITRE ${terminalSafe(mitre)}` : ''})`);
    const sorted = [...list].sort((a, b) => b.risk_score - a.risk_score || a._time - b._time);
    for (const e of sorted) {
      const obj = e.risk_object === null ? '(no risk object)' : `${e.risk_object_type} ${e.risk_object}`;
      const threats = e.threat_objects.length ? `  threats: ${e.threat_objects.map((t) => t.value).join(', ')}` : '';
      out.push(`  ${timeText(e._time)}  score ${String(e.risk_score).padStart(3)}  ${terminalSafe(obj)}${terminalSafe(threats)}`);
      out.push(`      ${terminalSafe(e.risk_message)}`);
    }
    out.push('');
  }
  return out.join('\n');
}

