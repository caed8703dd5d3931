import type { Stage } from '../stage.js';
import { asNumber, orderScalars, scalarToString, valuesOf, type Row, type Scalar } from '../value.js';
import { groupKeysOf, LATE_HORIZON_SECONDS } from './stats.js';

export interface TransactionOptions {
  fields: string[];
  maxspan?: number;
  maxpause?: number;
  maxevents: number;
  /** Open transactions, and events in them, past which the least recently joined one is evicted (Splunk's limits.conf). */
  maxopentxn: number;
  maxopenevents: number;
  startswith?: (row: Row) => boolean;
  endswith?: (row: Row) => boolean;
  keepevicted: boolean;
}

/** An open transaction, linked into the list of open ones from the least recently joined (`older`) on. */
interface Open { key: string; rows: Row[]; first: number; last: number; older: Open | undefined; newer: Open | undefined }

/**
 * transaction: groups events that share the values of the given fields into one event per transaction.
 * Events are taken in time order for each key:
 * - an event matching startswith opens a new transaction (closing any open one, which then lacks its end);
 *   without startswith, any event opens one when none is open;
 * - an event matching endswith closes the transaction it joins;
 * - maxspan (first to last event), maxpause (gap between events) and maxevents close a transaction before the
 *   event that would break them;
 * - past maxopentxn open transactions or maxopenevents events in them, the one least recently joined is
 *   evicted, as Splunk does.
 * A transaction is complete when it started with startswith and ended with endswith (when given). Incomplete
 * ("evicted") ones are dropped unless keepevicted=true, which adds closed_txn=0/1 as Splunk does.
 * Output: _time of the first event, duration (last − first), eventcount, _raw lines joined by newlines, and
 * every other field's distinct values (lexicographic, like values()). Rows come out newest first.
 */
export class TransactionStage implements Stage {
  private held: Row[] = [];
  /** Open transactions by key. */
  private open = new Map<string, Open>();
  /**
   * The open transactions from the least recently joined to the most: the one evicted first is at the head.
   * (Taking the first of the map instead, moving a joined one to its end, walked over the entries deleted at
   * its front on every eviction: a scan of a million addresses spent 5.6 µs an event there.)
   */
  private leastRecent: Open | undefined;
  private mostRecent: Open | undefined;
  /** Events in the open transactions. */
  private openEvents = 0;
  private done: Row[] = [];
  /**
   * With endswith and without keepevicted, a transaction past maxspan can no longer end and gives no row: it
   * is forgotten as time passes instead of held to the end (a scanner's thousands of addresses that ask for
   * the version once and never go on would otherwise each hold a transaction for the whole log). Events taken
   * as they come may be a little out of order, so it waits an hour more, as a stats waits for late events.
   */
  private readonly forgets: boolean;
  private readonly forgetAfter: number;
  private forgotAt = -Infinity;
  /** When it forgets: the transactions in the order they opened, from `oldest` on (a closed one is skipped). */
  private opened: Open[] = [];
  private oldest = 0;

  constructor(private readonly o: TransactionOptions, private readonly sorted: boolean, private readonly next: Stage) {
    this.forgets = o.maxspan !== undefined && o.endswith !== undefined && !o.keepevicted;
    this.forgetAfter = (o.maxspan ?? 0) + (sorted ? LATE_HORIZON_SECONDS : 0);
  }

  /** Transactions open now. */
  get openCount(): number { return this.open.size; }
  /** Transactions it refers to: the open ones and its list of opened ones (closed or forgotten ones included). */
  get heldCount(): number { return this.open.size + this.opened.length; }

  push(row: Row): void {
    // Raw events arrive oldest first and are processed as they come; anything else is put in time order first.
    if (this.sorted) this.process(row);
    else this.held.push(row);
  }

  private process(row: Row): void {
    const key = groupKeysOf(row, this.o.fields)[0];
    if (key === undefined) return;
    const t = asNumber(row._time) ?? 0;
    if (this.forgets && t > this.forgotAt) this.forgetStale(t);
    let cur = this.open.get(key);
    if (cur && ((this.o.maxspan !== undefined && t - cur.first > this.o.maxspan) || (this.o.maxpause !== undefined && t - cur.last > this.o.maxpause))) {
      this.close(key, cur, false);
      cur = undefined;
    }
    const starts = this.o.startswith ? this.o.startswith(row) : false;
    if (starts && cur) { this.close(key, cur, false); cur = undefined; }
    if (!cur) {
      if (this.o.startswith && !starts) return;
      cur = { key, rows: [], first: t, last: t, older: undefined, newer: undefined };
      this.open.set(key, cur);
      this.link(cur);
      if (this.forgets) this.note(cur);
    } else if (cur !== this.mostRecent) { this.unlink(cur); this.link(cur); } // now the most recently joined
    cur.rows.push(row);
    this.openEvents++;
    cur.last = t;
    if (this.o.endswith && this.o.endswith(row)) { this.close(key, cur, true); return; }
    if (cur.rows.length >= this.o.maxevents) { this.close(key, cur, !this.o.endswith); return; }
    while (this.open.size > this.o.maxopentxn || this.openEvents > this.o.maxopenevents) {
      const txn = this.leastRecent!;
      this.close(txn.key, txn, false, true);
    }
  }

  /** Puts an open transaction at the most recent end of the list. */
  private link(txn: Open): void {
    txn.older = this.mostRecent;
    txn.newer = undefined;
    if (this.mostRecent) this.mostRecent.newer = txn;
    else this.leastRecent = txn;
    this.mostRecent = txn;
  }

  /** Takes a transaction out of the list (it is closed, forgotten, or about to be linked again). */
  private unlink(txn: Open): void {
    if (txn.older) txn.older.newer = txn.newer;
    else this.leastRecent = txn.newer;
    if (txn.newer) txn.newer.older = txn.older;
    else this.mostRecent = txn.older;
    txn.older = txn.newer = undefined;
  }

  /**
   * Notes a transaction as opened. The list also holds ones closed since (by their end or by the limits on
   * what stays open) and, before `oldest`, ones forgotten: once they are most of it, it keeps only the open
   * ones, so it is never much longer than what is open. (Counting only the part from `oldest` on kept every
   * forgotten transaction, and its events, to the end of the log: 136,000 events at 8 M bench lines.)
   */
  private note(txn: Open): void {
    const opened = this.opened;
    opened.push(txn);
    if (opened.length > 2 * this.open.size + 1024) {
      this.opened = opened.slice(this.oldest).filter((e) => this.open.get(e.key) === e);
      this.oldest = 0;
    }
  }

  /** Drops the open transactions that began more than `forgetAfter` before `t`: what closing them would do (no row). */
  private forgetStale(t: number): void {
    this.forgotAt = t;
    const opened = this.opened;
    let i = this.oldest;
    for (; i < opened.length && t - opened[i]!.first > this.forgetAfter; i++) {
      const txn = opened[i]!, key = txn.key;
      if (this.open.get(key) === txn) { this.open.delete(key); this.unlink(txn); this.openEvents -= txn.rows.length; }
    }
    this.oldest = i; // what is behind goes when note() next keeps only the open ones
  }

  /** `evicted`: closed for the limits on what stays open, incomplete whatever its boundaries. */
  private close(key: string, txn: Open, ended: boolean, evicted = false): void {
    this.open.delete(key);
    this.unlink(txn);
    this.openEvents -= txn.rows.length;
    const complete = !evicted && (ended || !this.o.endswith);
    if (!complete && !this.o.keepevicted) return;
    const out: Row = {};
    const merged = new Map<string, Set<string>>();
    const raws: string[] = [];
    for (const r of txn.rows) {
      for (const [f, v] of Object.entries(r)) {
        if (f === '_time' || f === '_raw' || v === undefined) continue;
        let set = merged.get(f);
        if (!set) { set = new Set(); merged.set(f, set); }
        for (const x of valuesOf(v)) set.add(scalarToString(x));
      }
      if (typeof r._raw === 'string') raws.push(r._raw);
    }
    for (const [f, set] of merged) {
      const vals: string[] = [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      out[f] = vals.length === 1 ? restoreNumber(txn.rows, f, vals[0]!) : vals;
    }
    out._time = txn.first;
    out._raw = raws.join('\n');
    out.duration = Number((txn.last - txn.first).toFixed(6));
    out.eventcount = txn.rows.length;
    if (this.o.keepevicted) out.closed_txn = complete ? 1 : 0;
    this.done.push(out);
  }

  end(): void {
    if (!this.sorted) {
      this.held.sort((a, b) => (asNumber(a._time) ?? 0) - (asNumber(b._time) ?? 0));
      for (const r of this.held) this.process(r);
      this.held = [];
    }
    // The least recently joined first, as they would be evicted.
    while (this.leastRecent) this.close(this.leastRecent.key, this.leastRecent, false);
    // Newest first, as Splunk returns transactions.
    this.done.sort((a, b) => orderScalars(b._time as number, a._time as number));
    for (const r of this.done) this.next.push(r);
    this.done = [];
    this.next.end();
  }
}

/** A single merged value keeps its original type (a number stays a number). */
function restoreNumber(rows: Row[], field: string, s: string): Scalar {
  for (const r of rows) {
    const v = r[field];
    if (typeof v === 'number' && scalarToString(v) === s) return v;
  }
  return s;
}
