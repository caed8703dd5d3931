// `ollama-sentinel findings --state DIR`: the findings the watcher stored, newest first.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse, readCommon, UsageError, COMMON_OPTIONS } from './options.js';
import type { Io } from './io.js';
import { renderRows } from '../outputs/rows.js';
import { strftime } from '../util/timeformat.js';
import type { Row } from '../engine/value.js';
import { idArg, itemCommand } from './ledger.js';
import { ACTIONS, LifecycleError } from '../risk/lifecycle.js';
import { STATUSES } from '../risk/store.js';

export const FINDINGS_HELP = `Usage: ollama-sentinel findings --state DIR [--format table|json|ndjson|csv] [--detection NAME] [--status S] [--suppressed]
       ollama-sentinel findings show ID --state DIR
       ollama-sentinel findings ack|close|reopen|note ID --state DIR [--note TEXT] [--author NAME]

Lists the findings stored by "watch" (or "scan --state") in DIR, newest first: when, which detection, risk
score, risk objects, status, how many times the finding was updated as its result grew, and whether
throttling suppressed it (suppressed findings are listed only with --suppressed).

A finding is new, acknowledged or closed: ack, close and reopen change its status, note adds a note; each
change is kept with its author (--author, default the login name) and time. New evidence for a closed
finding reopens it. "show" prints a finding with its row, risk events and notes; "drilldown ID" runs its
detection's drilldown searches.
`;

export function findingsCommand(args: string[], io: Io): number {
  const { values, positionals } = parse(args, {
    ...COMMON_OPTIONS, state: { type: 'string' }, detection: { type: 'string' }, suppressed: { type: 'boolean' },
    status: { type: 'string' }, note: { type: 'string' }, author: { type: 'string' },
  });
  if (values.help) { io.out(FINDINGS_HELP); return 0; }
  const [verb, idText, ...extra] = positionals;
  if (verb !== undefined) {
    if (verb !== 'show' && !(ACTIONS as string[]).includes(verb)) throw new UsageError(`unknown findings action "${verb}" (show, ${ACTIONS.join(', ')})`);
    if (extra.length) throw new UsageError(`findings ${verb} takes one ID (got "${extra[0]}" as well)`);
    return findingAction(verb, idArg(idText, 'finding ID'), values, io);
  }
  if (values.status !== undefined && !(STATUSES as readonly string[]).includes(values.status)) throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
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
    if (values.status) { where.push('status = ?'); params.push(values.status); }
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

function findingAction(verb: string, id: number, values: { state?: string | undefined; note?: string | undefined; author?: string | undefined } & Record<string, unknown>, io: Io): number {
  const common = readCommon(values);
  const timeText = (t: number) => strftime(t, '%Y-%m-%d %H:%M:%S %z', common.tz);
  return itemCommand('finding', verb, id, values, io, (store) => {
    const f = store.findingById(id);
    if (!f) throw new LifecycleError(`no finding ${id}`);
    const risk = store.db.prepare('SELECT risk_object, risk_object_type, risk_score FROM risk_events WHERE finding_id = ? ORDER BY id').all(id) as Array<{ risk_object: string; risk_object_type: string; risk_score: number }>;
    const row: Row = {
      id: f.id, _time: f.event_time, detection: f.detection, status: f.status, risk_score: f.score, updates: f.updates, message: f.message,
      risk_events: risk.map((r) => `${r.risk_object_type} ${r.risk_object || '(none)'} score ${r.risk_score}`),
      fields: f.row, notes: store.notes('finding', id).map((n) => `${timeText(n.time)} ${n.author} [${n.status}] ${n.text}`),
    };
    if (f.window_start !== null && f.window_end !== null) row.window = `${timeText(f.window_start)} → ${timeText(f.window_end)}`;
    io.out(renderRows([row], common.format === 'table' ? 'json' : common.format, timeText));
  });
}
