// The state directory's embedded database (SQLite, WAL): ingested lines with the offset each source had
// reached (written in one transaction, so a restart resumes exactly after the last line it saw) and the
// scheduler's progress; the risk ledger (findings, risk events, throttling, incidents, notes: risk/store.ts)
// shares the database. Everything the watcher must not lose or double lives here.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RiskStore } from '../risk/store.js';

export interface SourcePosition { key: string; ino: string; offset: number; fingerprint: string; path: string }
export interface StoredLine { seq: number; source: string; time: number; host: string | null; sourcetype: string; raw: string }

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sources (key TEXT PRIMARY KEY, ino TEXT NOT NULL, offset INTEGER NOT NULL, fingerprint TEXT NOT NULL, path TEXT NOT NULL, updated REAL NOT NULL);
CREATE TABLE IF NOT EXISTS lines (seq INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, time REAL NOT NULL, host TEXT, sourcetype TEXT NOT NULL, raw TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS lines_time ON lines(time);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS schedule (detection TEXT PRIMARY KEY, last_minute INTEGER NOT NULL);
`;

/**
 * The raw lines a watcher keeps (its recent window), oldest first, read from an open state database;
 * undefined when the database was written by scan --state, which keeps no lines.
 */
export function keptLines(db: Database.Database): string[] | undefined {
  const has = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'lines'").get() as { n: number };
  if (!has.n) return undefined;
  return (db.prepare('SELECT raw FROM lines ORDER BY seq').all() as Array<{ raw: string }>).map((l) => l.raw);
}

export class StateStore {
  readonly db: Database.Database;
  /** Findings, risk events, incidents and notes live in the same database (one transaction can span both). */
  readonly risk: RiskStore;
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
    this.risk = new RiskStore(this.db);
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

  close(): void { this.db.close(); }
}
