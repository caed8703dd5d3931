// The open groups of one stats command. A stats by _time first takes its groups before a time again and
// again (each bin closing, each advance): they sit in buckets by the number their first by-value is, so
// taking them looks at the few open times instead of at every open group (Splunk's Endpoint Scan keeps
// thousands open through the hour it waits for late events, and was walking them all every five minutes).
import { asNumber, scalarToString, type Scalar } from '../value.js';

/** A group as the store sees it: an array whose by-values come first (a stats group's aggregates follow them). */
export type StoredGroup = unknown[];

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

  /** Numbers groups from 0 again (a stats that starts over: StatsStage.reset). */
  restartSeq(): void { this.made = 0; }

  add(g: G): void {
    this.count++;
    if (this.timed) {
      const t = asNumber(g[0] as Scalar);
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

/**
 * Sorts groups by their by-values as stats gives its rows (orderScalars on each by-value in turn; groups whose
 * by-values compare equal, 5 and "5.0", in the order made). `width`: the by-values a group begins with; `seqAt`:
 * where it holds the order it was made in. Each by-value's number is worked out once per group, not twice per
 * comparison, and equal values (the bin, the one host) are passed over at once.
 */
export function sortByValues<G extends StoredGroup>(groups: G[], width: number, seqAt: number): void {
  const n = groups.length;
  if (n < 2) return;
  const nums: Array<number | undefined> = new Array(n * width);
  const order: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    order[i] = i;
    const g = groups[i]!;
    for (let j = 0; j < width; j++) nums[i * width + j] = asNumber(g[j] as Scalar);
  }
  order.sort((a, b) => {
    const ka = groups[a]!, kb = groups[b]!;
    for (let j = 0; j < width; j++) {
      const x = ka[j] as Scalar, y = kb[j] as Scalar;
      if (x === y) continue;
      const nx = nums[a * width + j], ny = nums[b * width + j];
      if (nx !== undefined && ny !== undefined) {
        if (nx !== ny) return nx < ny ? -1 : 1;
      } else if (nx !== undefined) return -1;
      else if (ny !== undefined) return 1;
      else {
        const sx = scalarToString(x), sy = scalarToString(y);
        if (sx !== sy) return sx < sy ? -1 : 1;
      }
    }
    return (ka[seqAt] as number) - (kb[seqAt] as number);
  });
  const sorted = order.map((i) => groups[i]!);
  for (let i = 0; i < n; i++) groups[i] = sorted[i]!;
}
