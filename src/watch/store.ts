// The state directory's embedded database (SQLite, WAL): ingested lines with the offset each source had
// reached (written in one transaction, so a restart resumes exactly after the last line it saw), findings and
// their risk events, throttling state and the scheduler's progress. Everything the watcher must not lose or
// double lives here.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface SourcePosition { key: string; ino: string; offset: number; fingerprint: string; path: string }
export interface StoredLine { seq: number; source: string; time: number; host: string | null; sourcetype: string; raw: string }

export interface FindingRecord {
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
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sources (key TEXT PRIMARY KEY, ino TEXT NOT NULL, offset INTEGER NOT NULL, fingerprint TEXT NOT NULL, path TEXT NOT NULL, updated REAL NOT NULL);
CREATE TABLE IF NOT EXISTS lines (seq INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, time REAL NOT NULL, host TEXT, sourcetype TEXT NOT NULL, raw TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS lines_time ON lines(time);
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
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS schedule (detection TEXT PRIMARY KEY, last_minute INTEGER NOT NULL);
`;

export class StateStore {
  readonly db: Database.Database;
  private readonly insLine: Database.Statement;
  private readonly upSource: Database.Statement;
  private readonly bump: Database.Statement;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.db = new Database(join(dir, 'state.db'));
    this.db.pragma('journal_mode = WAL');
    // FULL: a committed batch survives power loss, not only a killed process.
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA);
    this.insLine = this.db.prepare('INSERT INTO lines (source, time, host, sourcetype, raw) VALUES (?, ?, ?, ?, ?)');
    this.bump = this.db.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value');
    this.upSource = this.db.prepare('INSERT INTO sources (key, ino, offset, fingerprint, path, updated) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET ino=excluded.ino, offset=excluded.offset, fingerprint=excluded.fingerprint, path=excluded.path, updated=excluded.updated');
  }

  /** Lines ever stored (stored lines are pruned; this count is not). */
  ingested(): number {
    const r = this.db.prepare("SELECT value FROM counters WHERE name = 'lines_ingested'").get() as { value: number } | undefined;
    return r?.value ?? 0;
  }

  positions(): SourcePosition[] {
    return this.db.prepare('SELECT key, ino, offset, fingerprint, path FROM sources').all() as SourcePosition[];
  }

  /** Stores a batch of lines and the positions reached, atomically. */
  commit(lines: Array<Omit<StoredLine, 'seq'>>, positions: SourcePosition[]): void {
    const now = Date.now() / 1000;
    this.db.transaction(() => {
      for (const l of lines) this.insLine.run(l.source, l.time, l.host, l.sourcetype, l.raw);
      for (const p of positions) this.upSource.run(p.key, p.ino, p.offset, p.fingerprint, p.path, now);
      if (lines.length) this.bump.run('lines_ingested', lines.length);
    })();
  }

  dropSource(key: string): void { this.db.prepare('DELETE FROM sources WHERE key = ?').run(key); }

  linesSince(time: number): StoredLine[] {
    return this.db.prepare('SELECT seq, source, time, host, sourcetype, raw FROM lines WHERE time >= ? ORDER BY seq').all(time) as StoredLine[];
  }

  newestLineTime(): number | undefined {
    const r = this.db.prepare('SELECT max(time) AS t FROM lines').get() as { t: number | null };
    return r.t ?? undefined;
  }

  /** Forgets lines older than `time` (they can no longer fall in any window). */
  prune(time: number): number {
    return this.db.prepare('DELETE FROM lines WHERE time < ?').run(time).changes;
  }

  lastRun(detection: string): number | undefined {
    const r = this.db.prepare('SELECT last_minute FROM schedule WHERE detection = ?').get(detection) as { last_minute: number } | undefined;
    return r?.last_minute;
  }
  setLastRun(detection: string, minute: number): void {
    this.db.prepare('INSERT INTO schedule (detection, last_minute) VALUES (?, ?) ON CONFLICT(detection) DO UPDATE SET last_minute=excluded.last_minute').run(detection, minute);
  }

  finding(ident: string): (FindingRecord & { id: number }) | undefined {
    return this.db.prepare('SELECT * FROM findings WHERE ident = ?').get(ident) as (FindingRecord & { id: number }) | undefined;
  }

  close(): void { this.db.close(); }
}
