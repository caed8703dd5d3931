// `ollama-sentinel risk` (objects ranked by risk, or one object's timeline) and `ollama-sentinel incidents`
// (the risk incidents raised, and their lifecycle).
import { COMMON_OPTIONS, SELECT_OPTIONS, RISK_OPTIONS, parse, readCommon, UsageError } from './options.js';
import type { Io } from './io.js';
import { idArg, itemCommand, openLedger } from './ledger.js';
import { renderRows } from '../outputs/rows.js';
import { renderIncident } from '../outputs/incidents.js';
import { terminalSafe } from '../outputs/sanitize.js';
import { strftime } from '../util/timeformat.js';
import { rankObjects } from '../risk/objects.js';
import { tacticName } from '../risk/tactics.js';
import { parsePeriod } from '../util/period.js';
import { ACTIONS, LifecycleError } from '../risk/lifecycle.js';
import { STATUSES } from '../risk/store.js';
import type { Row } from '../engine/value.js';
import type { Incident } from '../risk/incidents.js';

export const RISK_HELP = `Usage: ollama-sentinel risk [FILE…] [--state DIR] [--object VALUE] [--since PERIOD] [options]

Objects (addresses, hosts) ranked by risk score, each with the detections and ATT&CK tactics behind it and
when it was first and last seen. With --object, that object's timeline: every risk event, oldest first.
Reads what watch or "scan --state DIR" stored in DIR; given FILEs, scans them first.

Options:
  --state DIR        the state directory
  --object VALUE     one object's timeline
  --since PERIOD     only risk events within PERIOD (24h, 7d) of the newest one
  --format table|json|ndjson|csv
  --risk-rules FILE  its dedup setting decides how scores add up (default: each detection once per object)
  --tz ZONE and, with FILEs, every scan option
`;

export const INCIDENTS_HELP = `Usage: ollama-sentinel incidents [FILE…] [--state DIR] [--status new|acknowledged|closed] [options]
       ollama-sentinel incidents show ID --state DIR
       ollama-sentinel incidents ack|close|reopen|note ID --state DIR [--note TEXT] [--author NAME]

The risk incidents raised by the risk incident rules (config/risk.yml): the object, the rules that held, its
score and every stage of the attack with its detection and tactic. Reads what watch or "scan --state DIR"
stored; given FILEs, scans them first. ack, close, reopen and note change an incident's status (with a note).
`;

const tableTime = (tz: ReturnType<typeof readCommon>['tz']) => (t: number) => strftime(t, '%Y-%m-%d %H:%M:%S %z', tz);

export async function riskCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...COMMON_OPTIONS, ...SELECT_OPTIONS, ...RISK_OPTIONS, state: { type: 'string' }, object: { type: 'string' }, since: { type: 'string' } });
  if (values.help) { io.out(RISK_HELP); return 0; }
  const common = readCommon(values);
  const since = values.since === undefined ? undefined : parsePeriod(values.since);
  if (values.since !== undefined && since === undefined) throw new UsageError('--since must be a duration such as 24h or 7d');
  const { store, config } = await openLedger('risk', values, positionals, io);
  try {
    let records = store.riskRecords(values.object !== undefined ? { object: values.object, full: true } : {});
    if (since !== undefined && records.length) {
      const newest = Math.max(...records.map((r) => r.time));
      records = records.filter((r) => r.time > newest - since);
    }
    const timeText = tableTime(common.tz);
    if (values.object !== undefined) {
      if (!records.length) { io.err(`no risk events for ${terminalSafe(values.object)}\n`); return 0; }
      const rows: Row[] = records.map((r) => ({
        _time: r.time, risk_object: r.risk_object, risk_object_type: r.risk_object_type, detection: r.detection, risk_score: r.risk_score,
        tactics: r.tactics.map(tacticName), mitre_attack_id: r.mitre_attack_id, finding: r.finding_id, risk_message: r.message,
      }));
      io.out(renderRows(rows, common.format, timeText));
      const ranked = rankObjects(records, config.dedup);
      for (const o of ranked) io.err(`${terminalSafe(o.risk_object)} (${o.risk_object_type}): risk ${o.score}${o.raw_score !== o.score ? ` (${o.raw_score} before dedup)` : ''} from ${o.risk_events} risk event${o.risk_events === 1 ? '' : 's'}\n`);
      return 0;
    }
    const ranked = rankObjects(records, config.dedup);
    const rows: Row[] = ranked.map((o, i) => ({
      rank: i + 1, risk_object: o.risk_object, risk_object_type: o.risk_object_type, risk_score: o.score, raw_score: o.raw_score,
      risk_events: o.risk_events, detections: o.detections, tactics: o.tactics.map(tacticName), first_seen: timeText(o.first), last_seen: timeText(o.last),
    }));
    if (common.format === 'table' && !rows.length) io.out('No risk events.\n');
    else io.out(renderRows(rows, common.format, timeText));
    return 0;
  } finally {
    store.close();
  }
}

export async function incidentsCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    ...COMMON_OPTIONS, ...SELECT_OPTIONS, ...RISK_OPTIONS, state: { type: 'string' }, status: { type: 'string' }, note: { type: 'string' }, author: { type: 'string' },
  });
  if (values.help) { io.out(INCIDENTS_HELP); return 0; }
  const common = readCommon(values);
  const timeText = tableTime(common.tz);
  const [verb, idText, ...extra] = positionals;
  if (verb === 'show' || (ACTIONS as string[]).includes(verb ?? '')) {
    if (extra.length) throw new UsageError(`incidents ${verb} takes one ID (got "${extra[0]}" as well)`);
    const id = idArg(idText, 'incident ID');
    return itemCommand('incident', verb!, id, values, io, (store) => {
      const inc = store.incident(id);
      if (!inc) throw new LifecycleError(`no incident ${id}`);
      const stages = store.riskRecords({ ids: inc.evidence });
      const notes = store.notes('incident', id);
      if (common.format === 'table') {
        io.out(renderIncident(inc, stages, inc.rule_names, timeText));
        for (const n of notes) io.out(`  note ${timeText(n.time)} ${terminalSafe(n.author)} [${n.status}] ${terminalSafe(n.text)}\n`);
      } else {
        io.out(renderRows([{ ...incidentRow(inc, inc.rule_names), stages: stages.map((s) => `${s.detection} (${s.risk_score})`), notes: notes.map((n) => `${timeText(n.time)} ${n.author} [${n.status}] ${n.text}`) }], common.format, timeText));
      }
    });
  }
  if (values.status !== undefined && !(STATUSES as readonly string[]).includes(values.status)) throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
  const { store } = await openLedger('incidents', values, positionals, io);
  try {
    const list = store.incidents(values.status !== undefined ? { status: values.status } : {});
    if (common.format === 'table') {
      if (!list.length) io.out('No risk incidents.\n');
      for (const inc of list) io.out(renderIncident(inc, store.riskRecords({ ids: inc.evidence }), inc.rule_names, timeText));
    } else {
      io.out(renderRows(list.map((inc) => incidentRow(inc, inc.rule_names)), common.format, timeText));
    }
    io.err(`${list.length} risk incident${list.length === 1 ? '' : 's'}\n`);
    return list.length ? 1 : 0;
  } finally {
    store.close();
  }
}

function incidentRow(inc: Incident, names: string[]): Row {
  return {
    id: inc.id, _time: inc.time, last_time: inc.last_time, status: inc.status, risk_object: inc.risk_object, risk_object_type: inc.risk_object_type,
    risk_score: inc.score, raw_score: inc.raw_score, rules: names, detections: inc.detections, tactics: inc.tactics.map(tacticName),
    updates: inc.updates, message: inc.message,
  };
}
