// The risk ledger in SQLite: findings, the risk events they carry (everything Splunk's risk index holds, plus
// the contributing row), risk incidents and the notes of the findings lifecycle. `watch` keeps it in its state
// directory; `scan` uses a temporary one, or the one in --state DIR to keep what it found.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Incident } from './incidents.js';
import type { RiskRecord } from './incidents.js';

export interface FindingRecord {
  id: number;
  ident: string;
  detection: string;
  detection_id: string;
  event_time: number;
  first_seen: number;
  last_seen: number;
  risk_objects: string;
  score: number;
  message: string;
  row: string;
  updates: number;
  suppressed: number;
  status: string;
  window_start: number | null;
  window_end: number | null;
  sources: string;
}

/** A finding's columns, in FindingRecord's order (toFinding reads them by position). */
const FINDING_COLUMNS = 'id, ident, detection, detection_id, event_time, first_seen, last_seen, risk_objects, score, message, row, updates, suppressed, status, window_start, window_end, sources';

function toFinding(r: unknown[]): FindingRecord {
  return {
    id: r[0] as number, ident: r[1] as string, detection: r[2] as string, detection_id: r[3] as string, event_time: r[4] as number,
    first_seen: r[5] as number, last_seen: r[6] as number, risk_objects: r[7] as string, score: r[8] as number, message: r[9] as string,
    row: r[10] as string, updates: r[11] as number, suppressed: r[12] as number, status: r[13] as string,
    window_start: r[14] as number | null, window_end: r[15] as number | null, sources: r[16] as string,
  };
}

export const STATUSES = ['new', 'acknowledged', 'closed'] as const;
export type Status = typeof STATUSES[number];

const SCHEMA = `
CREATE TABLE IF NOT EXISTS findings (
  id INTEGER PRIMARY KEY AUTOINCREMENT, ident TEXT NOT NULL UNIQUE, detection TEXT NOT NULL, detection_id TEXT NOT NULL,
  event_time REAL NOT NULL, first_seen REAL NOT NULL, last_seen REAL NOT NULL, risk_objects TEXT NOT NULL, score INTEGER NOT NULL,
  message TEXT NOT NULL, row TEXT NOT NULL, updates INTEGER NOT NULL DEFAULT 0, suppressed INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'new');
CREATE TABLE IF NOT EXISTS risk_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT, finding_id INTEGER NOT NULL REFERENCES findings(id), time REAL NOT NULL,
  detection TEXT NOT NULL, risk_object TEXT NOT NULL, risk_object_type TEXT NOT NULL, risk_score INTEGER NOT NULL,
  risk_message TEXT NOT NULL, event TEXT NOT NULL, UNIQUE(finding_id, risk_object));
CREATE TABLE IF NOT EXISTS suppressions (key TEXT PRIMARY KEY, until REAL NOT NULL, suppressed INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS incidents (
  id INTEGER PRIMARY KEY AUTOINCREMENT, risk_object TEXT NOT NULL, risk_object_type TEXT NOT NULL, time REAL NOT NULL,
  last_time REAL NOT NULL, rules TEXT NOT NULL, rule_names TEXT NOT NULL, score INTEGER NOT NULL, raw_score INTEGER NOT NULL, detections TEXT NOT NULL,
  tactics TEXT NOT NULL, evidence TEXT NOT NULL, window_start REAL NOT NULL, window_end REAL NOT NULL, message TEXT NOT NULL,
  updates INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'new');
CREATE INDEX IF NOT EXISTS incidents_object ON incidents(risk_object, risk_object_type, time);
CREATE TABLE IF NOT EXISTS notes (
  id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, ref INTEGER NOT NULL, time REAL NOT NULL, author TEXT NOT NULL,
  status TEXT NOT NULL, text TEXT NOT NULL);
`;

/** Columns added after the first release of the state database: added in place when missing. */
const ADDED_COLUMNS: Array<[table: string, column: string, decl: string]> = [
  ['findings', 'window_start', 'REAL'],
  ['findings', 'window_end', 'REAL'],
  ['findings', 'sources', "TEXT NOT NULL DEFAULT '[]'"],
  ['risk_events', 'detection_id', "TEXT NOT NULL DEFAULT ''"],
  ['risk_events', 'tactics', "TEXT NOT NULL DEFAULT '[]'"],
];

/** Page cache of a scan's temporary ledger, in KiB. */
export const TEMP_CACHE_KB = 2000;

export function initRiskSchema(db: Database.Database): void {
  db.exec(SCHEMA);
  for (const [table, column, decl] of ADDED_COLUMNS) {
    const cols = db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>;
    if (!cols.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${decl}`);
  }
  db.exec('CREATE INDEX IF NOT EXISTS risk_events_object ON risk_events(risk_object, risk_object_type, time)');
}

interface IncidentRow {
  id: number; risk_object: string; risk_object_type: string; time: number; last_time: number; rules: string; rule_names: string; score: number;
  raw_score: number; detections: string; tactics: string; evidence: string; window_start: number; window_end: number;
  message: string; updates: number; status: string;
}

function toIncident(r: IncidentRow): Incident {
  return {
    id: r.id, risk_object: r.risk_object, risk_object_type: r.risk_object_type, time: r.time, last_time: r.last_time,
    rules: JSON.parse(r.rules) as string[], rule_names: JSON.parse(r.rule_names) as string[], score: r.score, raw_score: r.raw_score, detections: JSON.parse(r.detections) as string[],
    tactics: JSON.parse(r.tactics) as string[], evidence: JSON.parse(r.evidence) as number[], window: [r.window_start, r.window_end],
    message: r.message, updates: r.updates, status: r.status,
  };
}

export class RiskStore {
  private readonly statements = new Map<string, Database.Statement>();
  constructor(readonly db: Database.Database) { initRiskSchema(db); }

  /** Statements are prepared once per store. */
  private st(sql: string): Database.Statement {
    let x = this.statements.get(sql);
    if (!x) this.statements.set(sql, (x = this.db.prepare(sql)));
    return x;
  }

  /**
   * A statement whose rows come as arrays of column values (better-sqlite3's raw mode), for the reads a scan
   * makes for every finding and risk event: a row object is built in C++ one property at a time (a tenth of
   * a scan's tail at 4 M lines), where the caller's object literal is one allocation of a shape V8 knows.
   */
  private rawSt(sql: string): Database.Statement {
    const key = `raw:${sql}`;
    let x = this.statements.get(key);
    if (!x) this.statements.set(key, (x = this.db.prepare(sql).raw(true)));
    return x;
  }

  /**
   * A ledger in `dir`/state.db, or a temporary one when `dir` is undefined. `existing`: the database must already
   * be there (commands that read what watch or scan stored). A watcher may be writing at the same time; SQLite
   * serialises us, waiting up to 5 s for its lock.
   */
  static open(dir?: string, existing = false): RiskStore {
    // No directory: SQLite's private temporary database, on disk past a small page cache and deleted when
    // closed, so a scan's ledger of tens of thousands of risk events does not sit in memory. The cache is
    // SQLite's own default of 2 MB (better-sqlite3 sets 16 MB): the ledger grows with the log, and the
    // system's file cache keeps the rest close anyway.
    if (dir === undefined) {
      const db = new Database('');
      db.pragma(`cache_size = -${TEMP_CACHE_KB}`);
      // A batch's rollback journal in memory rather than in a second temporary file, and no syncs: the file
      // is gone when the scan ends, whatever happens. Rolling a batch back still works.
      db.pragma('journal_mode = MEMORY');
      db.pragma('synchronous = OFF');
      return new RiskStore(db);
    }
    if (!existing) mkdirSync(dir, { recursive: true });
    const db = new Database(join(dir, 'state.db'), { fileMustExist: existing });
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    return new RiskStore(db);
  }

  finding(ident: string): FindingRecord | undefined {
    const r = this.rawSt(`SELECT ${FINDING_COLUMNS} FROM findings WHERE ident = ?`).get(ident) as unknown[] | undefined;
    return r && toFinding(r);
  }

  findingById(id: number): FindingRecord | undefined {
    const r = this.rawSt(`SELECT ${FINDING_COLUMNS} FROM findings WHERE id = ?`).get(id) as unknown[] | undefined;
    return r && toFinding(r);
  }

  /**
   * Risk events with an object, oldest first (`order: 'object'`: by object, then oldest first); optionally
   * one object's, within [from, to]; `full` adds ATT&CK ids and stories.
   */
  riskRecords(filter: { object?: string; type?: string; from?: number; to?: number; ids?: number[]; full?: boolean; order?: 'object' } = {}): RiskRecord[] {
    // SQLite limits bound parameters: long id lists are read in chunks.
    if (filter.ids && filter.ids.length > 5000) {
      const out: RiskRecord[] = [];
      for (let i = 0; i < filter.ids.length; i += 5000) out.push(...this.riskRecords({ ...filter, ids: filter.ids.slice(i, i + 5000) }));
      return out.sort((a, b) => a.time - b.time || a.id - b.id);
    }
    const where = ["risk_object != ''", 'f.suppressed = 0'];
    const params: unknown[] = [];
    if (filter.object !== undefined) { where.push('r.risk_object = ?'); params.push(filter.object); }
    if (filter.type !== undefined) { where.push('r.risk_object_type = ?'); params.push(filter.type); }
    if (filter.from !== undefined) { where.push('r.time >= ?'); params.push(filter.from); }
    if (filter.to !== undefined) { where.push('r.time <= ?'); params.push(filter.to); }
    if (filter.ids) { where.push(`r.id IN (${filter.ids.map(() => '?').join(',') || 'NULL'})`); params.push(...filter.ids); }
    // The stored event (with its row) is read and parsed only for callers that show ATT&CK ids and stories.
    const sql = `SELECT r.id, r.finding_id, r.time, r.detection, r.detection_id, r.risk_object, r.risk_object_type, r.risk_score, r.risk_message, r.tactics${filter.full ? ', r.event' : ''}
      FROM risk_events r JOIN findings f ON f.id = r.finding_id WHERE ${where.join(' AND ')} ORDER BY ${filter.order === 'object' ? 'r.risk_object, r.risk_object_type, ' : ''}r.time, r.id`;
    // Kept among the prepared statements unless it holds an id list, which varies from call to call: the
    // incident rules ask for one object's span after another.
    const rows = (filter.ids ? this.db.prepare(sql).raw(true) : this.rawSt(sql)).all(...params) as unknown[][];
    return rows.map((r) => {
      const ev = (filter.full ? JSON.parse(String(r[10])) : {}) as { mitre_attack_id?: string[]; analytic_story?: string[] };
      return {
        id: Number(r[0]), finding_id: Number(r[1]), time: Number(r[2]), detection: String(r[3]),
        detection_id: String(r[4]), risk_object: String(r[5]), risk_object_type: String(r[6]),
        risk_score: Number(r[7]), message: String(r[8]), tactics: JSON.parse(String(r[9])) as string[],
        mitre_attack_id: ev.mitre_attack_id ?? [], analytic_story: ev.analytic_story ?? [],
      };
    });
  }

  /**
   * Every risk event with an object (as riskRecords counts them), by object (JSON of object and type), each
   * object's oldest first: one query where the incident rules after a scan into an empty ledger would ask
   * for one object's after another (ScanRecorder.finish).
   */
  riskRecordsByObject(): Map<string, RiskRecord[]> {
    const out = new Map<string, RiskRecord[]>();
    let key = '', list: RiskRecord[] = [];
    for (const r of this.riskRecords({ order: 'object' })) {
      if (list.length === 0 || r.risk_object !== list[0]!.risk_object || r.risk_object_type !== list[0]!.risk_object_type) {
        key = JSON.stringify([r.risk_object, r.risk_object_type]);
        out.set(key, (list = []));
      }
      list.push(r);
    }
    return out;
  }

  /** Each object's earliest and latest risk event with an id above `afterId` (as riskRecords counts them). */
  objectSpansAfter(afterId: number): Array<{ object: string; type: string; min: number; max: number }> {
    return this.st(`SELECT r.risk_object AS object, r.risk_object_type AS type, min(r.time) AS min, max(r.time) AS max
      FROM risk_events r JOIN findings f ON f.id = r.finding_id WHERE r.id > ? AND r.risk_object != '' AND f.suppressed = 0
      GROUP BY r.risk_object, r.risk_object_type`).all(afterId) as Array<{ object: string; type: string; min: number; max: number }>;
  }

  /** Whether the ledger holds any incident. */
  anyIncident(): boolean {
    return this.st('SELECT 1 FROM incidents LIMIT 1').get() !== undefined;
  }

  /** The newest incident for an object. */
  lastIncident(object: string, type: string): Incident | undefined {
    const r = this.st('SELECT * FROM incidents WHERE risk_object = ? AND risk_object_type = ? ORDER BY time DESC, id DESC LIMIT 1').get(object, type) as IncidentRow | undefined;
    return r && toIncident(r);
  }

  /** Ids of the risk events any incident for this object already stands on. */
  usedEvidence(object: string, type: string): Set<number> {
    const rows = this.st('SELECT evidence FROM incidents WHERE risk_object = ? AND risk_object_type = ?').all(object, type) as Array<{ evidence: string }>;
    return new Set(rows.flatMap((r) => JSON.parse(r.evidence) as number[]));
  }

  incidents(filter: { status?: string } = {}): Incident[] {
    const rows = (filter.status
      ? this.st('SELECT * FROM incidents WHERE status = ? ORDER BY time, id').all(filter.status)
      : this.st('SELECT * FROM incidents ORDER BY time, id').all()) as IncidentRow[];
    return rows.map(toIncident);
  }

  incident(id: number): Incident | undefined {
    const r = this.st('SELECT * FROM incidents WHERE id = ?').get(id) as IncidentRow | undefined;
    return r && toIncident(r);
  }

  /** Inserts (id 0) or rewrites an incident; returns its id. */
  saveIncident(i: Incident): number {
    const vals = [i.risk_object, i.risk_object_type, i.time, i.last_time, JSON.stringify(i.rules), JSON.stringify(i.rule_names), i.score, i.raw_score,
      JSON.stringify(i.detections), JSON.stringify(i.tactics), JSON.stringify(i.evidence), i.window[0], i.window[1], i.message, i.updates, i.status];
    if (i.id) {
      this.st(`UPDATE incidents SET risk_object=?, risk_object_type=?, time=?, last_time=?, rules=?, rule_names=?, score=?, raw_score=?, detections=?,
        tactics=?, evidence=?, window_start=?, window_end=?, message=?, updates=?, status=? WHERE id = ?`).run(...vals, i.id);
      return i.id;
    }
    return Number(this.st(`INSERT INTO incidents (risk_object, risk_object_type, time, last_time, rules, rule_names, score, raw_score, detections,
      tactics, evidence, window_start, window_end, message, updates, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...vals).lastInsertRowid);
  }

  addNote(kind: 'finding' | 'incident', ref: number, status: string, text: string, author: string, time: number): void {
    this.st('INSERT INTO notes (kind, ref, time, author, status, text) VALUES (?, ?, ?, ?, ?, ?)').run(kind, ref, time, author, status, text);
  }

  notes(kind: 'finding' | 'incident', ref: number): Array<{ time: number; author: string; status: string; text: string }> {
    return this.st('SELECT time, author, status, text FROM notes WHERE kind = ? AND ref = ? ORDER BY id').all(kind, ref) as Array<{ time: number; author: string; status: string; text: string }>;
  }

  close(): void { this.db.close(); }
}
