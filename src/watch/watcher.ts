// The watch service: inputs (files, journald, stdin, HEC) → durable state → detection engine → outputs.
// Each poll stores the new lines and the positions reached in one transaction before detections see them,
// so a crash at any point resumes after the last stored line: nothing lost, nothing counted twice. On start
// the events still inside any detection's window are read back from the state database, so windows that
// were open at the crash complete as if there had been no crash.
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { createInterface, type Interface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Detection } from '../detections/types.js';
import type { MacroTable } from '../spl/macros.js';
import type { TimeZone } from '../util/timezone.js';
import type { Row } from '../engine/value.js';
import { FileFollower, type Position } from '../input/follow.js';
import { createHecServer, type HecEvent } from '../input/hec-server.js';
import { JournaldFollower } from '../input/journald.js';
import { StateStore } from './store.js';
import { AlertBook, type OutputRecord } from '../risk/alert-book.js';
import type { IncidentConfig } from '../risk/incidents.js';
import { WatchEngine } from './engine.js';
import { EventMaker } from './events.js';

export interface WatchOptions {
  patterns: string[];
  stdin?: Readable;
  journald?: { unit: string; command?: string };
  stateDir: string;
  detections: Detection[];
  macros: MacroTable;
  tz: TimeZone;
  host?: string;
  realtime: boolean;
  fromBeginning: boolean;
  pollMs: number;
  truncate?: number;
  hec?: { port: number; bind: string; tokens: string[]; maxBytes: number };
  healthPort?: number;
  onAlert: (a: OutputRecord) => void;
  /** Risk incident rules to apply to the findings' risk events. */
  incidents?: IncidentConfig;
  /** Called once stdin has ended and its last lines have been processed. */
  onStdinEnd?: () => void;
  log: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
  /** Wall clock in epoch seconds (tests may replace it). */
  now?: () => number;
}

export class Watcher {
  readonly store: StateStore;
  private readonly engine: WatchEngine;
  private readonly maker: EventMaker;
  private follower?: FileFollower;
  private journald?: JournaldFollower;
  private timer?: NodeJS.Timeout;
  private servers: Server[] = [];
  private pendingStdin: string[] = [];
  private stdinLines?: Interface;
  private lines = 0;
  private lastEventTime: number | undefined;
  private lastPrune = 0;
  private stopped = false;
  private readonly started = Date.now();
  readonly ready: Promise<void>;

  constructor(private readonly o: WatchOptions) {
    this.store = new StateStore(o.stateDir);
    this.maker = new EventMaker(o.tz, o.host);
    const book = new AlertBook(this.store.risk, o.onAlert, { throttle: true, ...(o.incidents ? { incidents: o.incidents } : {}) });
    this.engine = new WatchEngine({
      detections: o.detections, macros: o.macros, tz: o.tz, realtime: o.realtime, store: this.store, book,
      warn: (m) => o.log('warn', m),
    });
    this.ready = this.start();
  }

  private now(): number { return this.o.now ? this.o.now() : Date.now() / 1000; }

  private async start(): Promise<void> {
    // Rebuild the windows that may still be open from the stored lines.
    const newest = this.store.newestLineTime();
    const events = newest === undefined ? [] : this.store.linesSince(Math.min(this.now(), newest) - this.engine.horizon).map((l) => this.maker.restore(l));
    this.engine.ingest(events);
    if (newest !== undefined) this.lastEventTime = newest;
    const positions = this.store.positions();
    this.o.log('info', 'state loaded', { state: this.o.stateDir, restored_events: events.length, sources: positions.length });
    if (this.o.patterns.length) {
      this.follower = new FileFollower({
        patterns: this.o.patterns, positions: positions.filter((p) => p.key.startsWith('file:')), fromBeginning: this.o.fromBeginning,
        ...(this.o.truncate ? { maxBytes: this.o.truncate } : {}), warn: (m) => this.o.log('warn', m),
      });
    }
    if (this.o.journald) {
      const saved = positions.find((p) => p.key === `journald:${this.o.journald!.unit}`);
      this.journald = new JournaldFollower({ unit: this.o.journald.unit, ...(this.o.journald.command ? { command: this.o.journald.command } : {}), ...(saved ? { cursor: saved.ino } : {}), log: this.o.log });
    }
    if (this.o.stdin) {
      const rl = createInterface({ input: this.o.stdin, crlfDelay: Infinity });
      rl.on('line', (l) => this.pendingStdin.push(l));
      rl.on('close', () => { if (!this.stopped) { this.cycle(); this.o.onStdinEnd?.(); } });
      this.stdinLines = rl;
    }
    if (this.o.hec) {
      const h = this.o.hec;
      const server = createHecServer({ tokens: h.tokens, maxBytes: h.maxBytes, accept: (evs) => this.acceptHec(evs), healthy: () => !this.stopped });
      await listen(server, h.port, h.bind);
      this.servers.push(server);
      this.o.log('info', 'HTTP Event Collector listening', { bind: h.bind, port: (server.address() as { port: number }).port });
    }
    if (this.o.healthPort !== undefined) {
      const server = createServer((req, res) => {
        const ok = !this.stopped;
        res.writeHead(req.url === '/health' ? (ok ? 200 : 503) : 404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(req.url === '/health' ? this.health() : { error: 'not found' }));
      });
      await listen(server, this.o.healthPort, '127.0.0.1');
      this.servers.push(server);
      this.o.log('info', 'health endpoint listening', { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/health` });
    }
    this.cycle();
    this.timer = setInterval(() => this.cycle(), this.o.pollMs);
  }

  /** Ports actually bound (for tests that ask for port 0). */
  ports(): number[] { return this.servers.map((s) => (s.address() as { port: number }).port); }

  health(): Record<string, unknown> {
    const findings = (this.store.db.prepare('SELECT count(*) AS n FROM findings').get() as { n: number }).n;
    return { status: this.stopped ? 'stopping' : 'ok', uptime_s: Math.round((Date.now() - this.started) / 1000), lines: this.lines, lines_ingested_total: this.store.ingested(), last_event_time: this.lastEventTime ?? null, buffered_events: this.engine.size, findings, realtime: this.o.realtime };
  }

  private acceptHec(evs: HecEvent[]): void {
    const now = this.now();
    const rows = evs.map((e) => this.maker.hec(e, now));
    this.store.commit(rows.map((r) => stored(r)), []);
    this.took(rows);
  }

  private took(rows: Row[]): void {
    this.lines += rows.length;
    for (const r of rows) { const t = r._time as number; if (this.lastEventTime === undefined || t > this.lastEventTime) this.lastEventTime = t; }
    this.engine.ingest(rows);
  }

  /** One poll: read, store, detect. */
  cycle(): void {
    if (this.stopped) return;
    try {
      const rows: Row[] = [];
      const positions: Position[] = [];
      if (this.follower) {
        const r = this.follower.poll();
        for (const l of r.lines) rows.push(this.maker.line(l.path, l.raw));
        positions.push(...r.positions);
        for (const k of r.dropped) this.store.dropSource(k);
      }
      if (this.journald) {
        const r = this.journald.take();
        for (const l of r.lines) rows.push(this.maker.line(`journald:${this.o.journald!.unit}`, l));
        if (r.cursor) positions.push({ key: `journald:${this.o.journald!.unit}`, ino: r.cursor, offset: 0, fingerprint: '', path: 'journald' });
      }
      for (const l of this.pendingStdin.splice(0)) rows.push(this.maker.line('stdin', l));
      if (rows.length || positions.length) this.store.commit(rows.map((r) => stored(r)), positions);
      this.took(rows);
      const now = this.now();
      this.engine.tick(now);
      if (now - this.lastPrune > 600) {
        this.lastPrune = now;
        // Relative to the newest stored line, not only the wall clock: replayed or delayed logs stay whole.
        const newest = this.store.newestLineTime() ?? now;
        const n = this.store.prune(Math.min(now, newest) - this.engine.horizon);
        if (n) this.o.log('info', 'pruned stored lines outside every window', { lines: n });
      }
    } catch (e) {
      this.o.log('error', 'poll failed', { error: (e as Error).message });
    }
  }

  /** Graceful stop: a last poll, then everything closed. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    await this.ready.catch(() => undefined);
    this.cycle();
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    this.follower?.close();
    this.journald?.close();
    // An open stdin pipe would keep the process alive after a signal.
    this.stdinLines?.close();
    this.o.stdin?.destroy();
    this.store.close();
  }
}

function stored(r: Row) {
  return { source: String(r.source ?? 'unknown'), time: r._time as number, host: typeof r.host === 'string' ? r.host : null, sourcetype: String(r.sourcetype ?? 'ollama:server'), raw: String(r._raw ?? '') };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => { server.off('error', fail); ok(); });
  });
}
