// The open groups of one stats command. A stats by _time first takes its groups before a time again and
// again (each bin closing, each advance): they sit in buckets by the number their first by-value is, so
// taking them looks at the few open times instead of at every open group (Splunk's Endpoint Scan keeps
// thousands open through the hour it waits for late events, and was walking them all every five minutes).
import { asNumber, type Scalar } from '../value.js';

export interface StoredGroup {
  keys: Scalar[];
  /** The order the group was made in: what decides between groups whose by-values compare equal. */
  seq: number;
}

export class GroupStore<G extends StoredGroup> {
  /** By the first by-value as a number; only when the groups are taken by time. */
  private readonly byTime = new Map<number, G[]>();
  /** Every other group, in the order made. */
  private rest: G[] = [];
  private count = 0;
  private made = 0;

  /** `timed`: the caller takes groups by their first by-value (takeBefore). */
  constructor(private readonly timed: boolean) {}

  get size(): number { return this.count; }

  /** The number for the next group's `seq`. */
  nextSeq(): number { return this.made++; }

  add(g: G): void {
    this.count++;
    if (this.timed) {
      const t = asNumber(g.keys[0]);
      if (t !== undefined) {
        const bucket = this.byTime.get(t);
        if (bucket) bucket.push(g);
        else this.byTime.set(t, [g]);
        return;
      }
    }
    this.rest.push(g);
  }

  /** Any one group (a stats without by-fields has one at most). */
  any(): G | undefined {
    for (const b of this.byTime.values()) return b[0];
    return this.rest[0];
  }

  /** Removes and returns the groups whose first by-value is a number before `t`. */
  takeBefore(t: number): G[] {
    const taken: G[] = [];
    for (const [time, bucket] of this.byTime) {
      if (time >= t) continue;
      for (const g of bucket) taken.push(g);
      this.byTime.delete(time);
    }
    this.count -= taken.length;
    return taken;
  }

  /** Removes and returns every group. */
  takeAll(): G[] {
    const all: G[] = [];
    for (const bucket of this.byTime.values()) for (const g of bucket) all.push(g);
    for (const g of this.rest) all.push(g);
    this.byTime.clear();
    this.rest = [];
    this.count = 0;
    return all;
  }
}
