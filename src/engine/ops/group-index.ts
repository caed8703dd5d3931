// Where stats finds an event's group: one map level per by-field, keyed by the value's string form, so an
// event is placed by a few lookups on strings it already holds (hashed once each) instead of a joined key
// string built, flattened and hashed for every event.
//
// Below the first level, a group that is alone under its leading by-values sits in the slot of the first
// of them instead of under a chain of one-entry maps: a scan groups by bin, client and host with one host,
// and a map per (bin, client) for that one host was two more objects per group for the collector to copy.

type Level<G> = Map<string, Level<G> | G>;

/** What the index needs of a group: the by-values it was made for (as find was given them), from its index 0. */
export type Keyed = ReadonlyArray<unknown>;

/** The key a by-value has in the index: 5 and "5" are one group, as in Splunk. */
export function keyOf(v: string | number): string {
  return typeof v === 'number' ? String(v) : v;
}

function sameKey(a: string | number, b: string | number): boolean {
  return a === b || (typeof a !== typeof b || typeof a === 'number') && keyOf(a) === keyOf(b);
}

export class GroupIndex<G extends Keyed> {
  private readonly root: Level<G> = new Map();
  /**
   * The first level's last value and the map under it: the first by-field is most often a binned _time,
   * the same for long runs of events, and a number whose key string would be made and hashed afresh.
   * The first level always holds maps (when there is more than one level), so this stays a map.
   */
  private firstValue: string | number | undefined;
  private firstLevel: Level<G> | undefined;

  /** `depth` ≥ 1: the number of by-fields. */
  constructor(private readonly depth: number) {}

  /** The group under these by-values (one per level), made by `make` when there is none. */
  find(values: ReadonlyArray<string | number>, make: () => G): G {
    let m = this.root;
    const last = this.depth - 1;
    let i = 0;
    if (last > 0) {
      const v = values[0]!;
      if (v === this.firstValue && this.firstLevel !== undefined) m = this.firstLevel;
      else {
        const k = keyOf(v);
        let next = m.get(k) as Level<G> | undefined;
        if (next === undefined) { next = new Map(); m.set(k, next); }
        this.firstValue = v;
        this.firstLevel = next;
        m = next;
      }
      i = 1;
    }
    for (;;) {
      const k = keyOf(values[i]!);
      const e = m.get(k);
      if (e === undefined) { const g = make(); m.set(k, g); return g; }
      if (e instanceof Map) { m = e; i++; continue; }
      // A group alone under values[0..i]: it is the one if the rest of its by-values agree.
      let j = i + 1;
      while (j <= last && sameKey(e[j] as string | number, values[j]!)) j++;
      if (j > last) return e;
      // They part at level j: one-entry maps down to it, which holds both.
      for (let l = i + 1; l < j; l++) { const next: Level<G> = new Map(); m.set(keyOf(values[l - 1]!), next); m = next; }
      const split: Level<G> = new Map();
      m.set(keyOf(values[j - 1]!), split);
      const g = make();
      split.set(keyOf(e[j] as string | number), e);
      split.set(keyOf(values[j]!), g);
      return g;
    }
  }

  /** Forgets every group whose first by-value is `v` (as find takes it): a closed bin's groups at once. */
  deleteFirst(v: string | number): void {
    this.firstLevel = undefined;
    this.root.delete(keyOf(v));
  }

  clear(): void { this.root.clear(); this.firstLevel = undefined; }
}
