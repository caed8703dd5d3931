// Where stats finds an event's group: one map level per by-field, keyed by the value's string form, so an
// event is placed by a few lookups on strings it already holds (hashed once each) instead of a joined key
// string built, flattened and hashed for every event.

type Level<G> = Map<string, Level<G> | G>;

/** The key a by-value has in the index: 5 and "5" are one group, as in Splunk. */
export function keyOf(v: string | number): string {
  return typeof v === 'number' ? String(v) : v;
}

export class GroupIndex<G> {
  private readonly root: Level<G> = new Map();
  /**
   * The first level's last value and the map under it: the first by-field is most often a binned _time,
   * the same for long runs of events, and a number whose key string would be made and hashed afresh.
   */
  private firstValue: string | number | undefined;
  private firstLevel: Level<G> | undefined;

  /** `depth` ≥ 1: the number of by-fields. */
  constructor(private readonly depth: number) {}

  /** The group under these by-values (one per level), made by `make` when there is none. */
  find(values: ReadonlyArray<string | number>, make: () => G): G {
    let m = this.root;
    const last = this.depth - 1;
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
    }
    for (let i = 1; i < last; i++) {
      const k = keyOf(values[i]!);
      let next = m.get(k) as Level<G> | undefined;
      if (next === undefined) { next = new Map(); m.set(k, next); }
      m = next;
    }
    const k = keyOf(values[last]!);
    let g = m.get(k) as G | undefined;
    if (g === undefined) { g = make(); m.set(k, g); }
    return g;
  }

  /** Forgets the group under these keys, and any level left empty. */
  delete(keys: readonly string[]): void {
    this.firstLevel = undefined; // its map may be the one taken out
    const path: Level<G>[] = [this.root];
    for (let i = 0; i < this.depth - 1; i++) {
      const next = path[i]!.get(keys[i]!) as Level<G> | undefined;
      if (next === undefined) return;
      path.push(next);
    }
    for (let i = this.depth - 1; i >= 0; i--) {
      path[i]!.delete(keys[i]!);
      if (path[i]!.size > 0) return;
    }
  }

  clear(): void { this.root.clear(); this.firstLevel = undefined; }
}
