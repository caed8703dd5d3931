// Choosing which detections run: a named set (`default`, `splunk`, or `all`), then --only and --exclude.
import type { Detection } from './types.js';

export class SelectionError extends Error {
  constructor(message: string) { super(message); this.name = 'SelectionError'; }
}

/** The short name users type: the detection name as a slug (also its filter macro without `_filter`). */
export function slugOf(d: Detection): string {
  return d.filterMacro.replace(/_filter$/, '');
}

/** Finds a detection by name (any case), slug or id. */
export function findDetection(all: Detection[], key: string): Detection | undefined {
  const k = key.trim().toLowerCase();
  return all.find((d) => d.name.toLowerCase() === k || slugOf(d) === k || d.id.toLowerCase() === k);
}

export interface Selection { set?: string; only?: string[]; exclude?: string[] }

const split = (l: string[] | undefined) => (l ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);

export function selectDetections(all: Detection[], sel: Selection): Detection[] {
  const resolve = (keys: string[], flag: string) => keys.map((k) => {
    const d = findDetection(all, k);
    if (!d) throw new SelectionError(`${flag}: no detection named "${k}" (see: ollama-sentinel detections list --set all)`);
    return d;
  });
  const only = resolve(split(sel.only), '--only');
  const exclude = new Set(resolve(split(sel.exclude), '--exclude'));
  let chosen: Detection[];
  if (only.length) chosen = [...new Set(only)];
  else {
    const set = (sel.set ?? 'default').toLowerCase();
    if (set === 'all') chosen = all;
    else {
      const known = new Set(all.flatMap((d) => d.sets));
      if (!known.has(set)) throw new SelectionError(`--set: no detection set named "${sel.set}" (sets: ${[...known, 'all'].sort().join(', ')})`);
      chosen = all.filter((d) => d.sets.includes(set));
    }
  }
  return chosen.filter((d) => !exclude.has(d));
}
