// Runs detections over the live event stream. Scheduled mode follows each detection's cron with its
// earliest/latest window, as Splunk does (default hourly over -70m@m to -10m@m), catching up on runs missed
// while the watcher was down. Real-time mode re-evaluates each detection over its look-back (the length of
// its window, measured back from the newest event) whenever new events arrive, so an alert fires as soon as
// its condition holds and is updated, not repeated, as its result grows. The clock is passed in (`tick(now)`),
// so tests can drive it.
import type { Detection } from '../detections/types.js';
import type { MacroTable } from '../spl/macros.js';
import { compileSearchText } from '../spl/compile.js';
import { runPlan } from '../engine/pipeline.js';
import type { LogicalPlan } from '../plan/plan.js';
import { asNumber, type Row } from '../engine/value.js';
import { resolveTimeModifier } from '../util/reltime.js';
import type { TimeZone } from '../util/timezone.js';
import { parseCron, cronMatches, type Cron } from './cron.js';
import type { AlertBook } from '../risk/alert-book.js';
import type { StateStore } from './store.js';
import { ScheduleError } from './schedule-error.js';

/** Missed scheduled runs older than this are skipped, not caught up. */
export const MAX_CATCH_UP_MINUTES = 24 * 60;

interface Job { d: Detection; cron: Cron; lookback: number }

export interface EngineOptions {
  detections: Detection[];
  macros: MacroTable;
  tz: TimeZone;
  realtime: boolean;
  store: StateStore;
  book: AlertBook;
  warn: (message: string) => void;
  /** Reports each evaluation (detection, rows, milliseconds) for the service log. */
  onRun?: (detection: string, rows: number, ms: number, window: [number, number]) => void;
}

export class WatchEngine {
  private events: Row[] = [];
  private readonly jobs: Job[];
  private dirty = false;
  private newest = -Infinity;
  /** Oldest event time among those that arrived since the last real-time evaluation. */
  private oldestNew = Infinity;
  readonly horizon: number;

  constructor(private readonly o: EngineOptions) {
    this.jobs = o.detections.map((d) => {
      let cron: Cron;
      try { cron = parseCron(d.schedule.cron); } catch (e) { throw new ScheduleError(`${d.file}: detection "${d.name}": ${(e as Error).message}`); }
      const ref = 10 * 86400;
      const lookback = ref - resolveTimeModifier(d.schedule.earliest, ref, o.tz);
      return { d, cron, lookback: Math.max(60, lookback) };
    });
    // Keep events as long as the longest window reaches back, plus an hour for late data and catch-up.
    this.horizon = Math.max(...this.jobs.map((j) => j.lookback), 3600) + 3600;
  }

  /** Adds events (already stored durably). */
  ingest(events: Row[]): void {
    for (const e of events) {
      this.events.push(e);
      const t = e._time as number;
      if (t > this.newest) this.newest = t;
      if (t < this.oldestNew) this.oldestNew = t;
    }
    if (events.length) this.dirty = true;
  }

  /** Runs what is due at wall time `now` (epoch seconds). */
  tick(now: number): void {
    if (this.o.realtime) {
      if (this.dirty) {
        // Every window that can contain a new event: from a look-back before the oldest new one. Live, that
        // is the last look-back; when a backlog arrives at once, it covers the whole backlog.
        const from = Math.min(this.newest, this.oldestNew);
        this.dirty = false;
        this.oldestNew = Infinity;
        for (const j of this.jobs) this.run(j, from - j.lookback, Infinity, now);
      }
    } else {
      const nowMinute = Math.floor(now / 60);
      for (const j of this.jobs) {
        let last = this.o.store.lastRun(j.d.name);
        if (last === undefined) { this.o.store.setLastRun(j.d.name, nowMinute - 1); continue; }
        if (nowMinute - last > MAX_CATCH_UP_MINUTES) {
          this.o.warn(`${j.d.name}: skipping scheduled runs missed more than ${MAX_CATCH_UP_MINUTES / 60} hours ago`);
          last = nowMinute - MAX_CATCH_UP_MINUTES;
        }
        for (let m = last + 1; m <= nowMinute; m++) {
          if (!cronMatches(j.cron, m, this.o.tz)) continue;
          const at = m * 60;
          const earliest = resolveTimeModifier(j.d.schedule.earliest, at, this.o.tz);
          const latest = resolveTimeModifier(j.d.schedule.latest, at, this.o.tz);
          this.run(j, earliest, latest, now);
        }
        if (nowMinute > last) this.o.store.setLastRun(j.d.name, nowMinute);
      }
    }
    this.trim(now);
  }

  private plans = new Map<string, LogicalPlan>();

  private run(j: Job, earliest: number, latest: number, now: number): void {
    const started = performance.now();
    let plan = this.plans.get(j.d.name);
    if (!plan) {
      plan = compileSearchText(j.d.search, this.o.macros, { tz: this.o.tz, now }).plan;
      this.plans.set(j.d.name, plan);
    }
    const events = this.events.filter((e) => { const t = e._time as number; return t >= earliest && t < latest; });
    events.sort((a, b) => (a._time as number) - (b._time as number));
    let rows: Row[];
    try {
      rows = runPlan(plan, events, { tz: this.o.tz, now, warn: (m) => this.o.warn(`${j.d.name}: ${m}`) });
    } catch (e) {
      this.o.warn(`${j.d.name}: ${(e as Error).message}`);
      return;
    }
    // The search window, for drilldowns; a real-time run's ends after the newest event it saw.
    const end = Number.isFinite(latest) ? latest : (events.length ? (events[events.length - 1]!._time as number) + 1 : now);
    this.o.book.record(j.d, rows, now, [earliest, end]);
    this.o.onRun?.(j.d.name, rows.length, performance.now() - started, [earliest, latest]);
  }

  private trim(now: number): void {
    // Relative to the older of the wall clock and the newest event, so replayed old logs are kept too.
    const cutoff = Math.min(now, Number.isFinite(this.newest) ? this.newest : now) - this.horizon;
    if (this.events.length && (asNumber(this.events[0]!._time) ?? 0) < cutoff) {
      this.events = this.events.filter((e) => (e._time as number) >= cutoff);
    }
  }

  get size(): number { return this.events.length; }
}
