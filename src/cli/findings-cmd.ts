// `ollama-sentinel findings --state DIR`: the findings the watcher stored, newest first.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse, readCommon, UsageError, COMMON_OPTIONS } from './options.js';
import type { Io } from './io.js';
import { renderRows } from '../outputs/rows.js';
import { strftime } from '../util/timeformat.js';
import type { Row } from '../engine/value.js';

export const FINDINGS_HELP = `Usage: ollama-sentinel findings --state DIR [--format table|json|ndjson|csv] [--detection NAME] [--suppressed]

Lists the findings stored by "watch" in DIR, newest first: when, which detection, risk score, risk objects,
how many times the finding was updated as its result grew, and whether throttling suppressed it
(suppressed findings are listed only with --suppressed).
`;

export function findingsCommand(args: string[], io: Io): number {
  const { values } = parse(args, {
    ...COMMON_OPTIONS, state: { type: 'string' }, detection: { type: 'string' }, suppressed: { type: 'boolean' },
  });
  if (values.help) { io.out(FINDINGS_HELP); return 0; }
  if (!values.state) throw new UsageError('findings needs --state DIR');
  const file = join(values.state, 'state.db');
  if (!existsSync(file)) throw new UsageError(`${values.state}: no watcher state here (no state.db)`);
  const common = readCommon(values);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const where: string[] = [];
    const params: unknown[] = [];
    if (!values.suppressed) where.push('suppressed = 0');
    if (values.detection) { where.push('lower(detection) = lower(?)'); params.push(values.detection); }
    const rows = db.prepare(`SELECT id, event_time, first_seen, last_seen, detection, score, risk_objects, updates, suppressed, status, message, row FROM findings ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY event_time DESC, id DESC`).all(...params) as Array<Record<string, unknown>>;
    const out: Row[] = rows.map((r) => {
      const ros = JSON.parse(String(r.risk_objects)) as Array<string | null>;
      const base: Row = {
        id: Number(r.id), _time: Number(r.event_time), detection: String(r.detection), risk_score: Number(r.score),
        risk_objects: ros.filter((x): x is string => x !== null), updates: Number(r.updates), status: String(r.status),
        found_at: strftime(Number(r.first_seen), '%Y-%m-%d %H:%M:%S %z', common.tz), message: String(r.message),
      };
      if (r.suppressed) base.suppressed = 1;
      if (common.format !== 'table') base.fields = String(r.row);
      return base;
    });
    const suppressedTotal = (db.prepare('SELECT coalesce(sum(suppressed), 0) AS n FROM suppressions').get() as { n: number }).n;
    if (common.format === 'table' && out.length === 0) io.out('No findings.\n');
    else io.out(renderRows(out, common.format, (t) => strftime(t, '%Y-%m-%d %H:%M:%S %z', common.tz)));
    io.err(`${out.length} finding${out.length === 1 ? '' : 's'}; ${suppressedTotal} alert${suppressedTotal === 1 ? '' : 's'} suppressed by throttling\n`);
    return 0;
  } finally {
    db.close();
  }
}
