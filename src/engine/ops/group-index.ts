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

  /** The maps from the root down to a group's, reused by delete: a flush deletes hundreds of groups. */
  private readonly path: Level<G>[] = [];

  /** Forgets the group under these by-values (as find takes them), and any level left empty. */
  delete(values: ReadonlyArray<string | number>): void {
    this.firstLevel = undefined; // its map may be the one taken out
    const path = this.path;
    path[0] = this.root;
    for (let i = 0; i < this.depth - 1; i++) {
      const next = path[i]!.get(keyOf(values[i]!)) as Level<G> | undefined;
      if (next === undefined) { path.length = 0; return; }
      path[i + 1] = next;
    }
    // A level whose only entry this is goes with its parent's entry, without a delete of its own (which
    // would shrink a table about to be dropped).
    let i = this.depth - 1;
    while (i > 0 && path[i]!.size === 1 && path[i]!.has(keyOf(values[i]!))) i--;
    path[i]!.delete(keyOf(values[i]!));
    path.length = 0; // hold no map once it is gone
  }

  clear(): void { this.root.clear(); this.firstLevel = undefined; }
}
