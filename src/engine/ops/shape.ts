// Commands that reshape rows: rename, table, fields.
import type { RowCopy, Stage } from '../stage.js';
import type { Row } from '../value.js';

/** A `*` field-name pattern as an anchored regex; each `*` is a capture group (rename reuses them). */
function wildcardRegex(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('(.*)') + '$');
}

/** A `*` pattern over field names (case-sensitive, as field names are). */
export function fieldMatcher(pattern: string): (name: string) => boolean {
  if (!pattern.includes('*')) return (n) => n === pattern;
  const re = wildcardRegex(pattern);
  return (n) => re.test(n);
}

/** rename: a missing source leaves the row alone; an existing target is replaced. Wildcards carry over. */
export class RenameStage implements Stage {
  private readonly pairs: Array<{ from: string; to: string; re?: RegExp }>;
  constructor(pairs: Array<{ from: string; to: string }>, private readonly copy: RowCopy | undefined, private readonly next: Stage) {
    this.pairs = pairs.map((p) => (p.from.includes('*')
      ? { ...p, re: wildcardRegex(p.from) }
      : p));
  }
  push(input: Row): void {
    let row = input;
    let copied = !this.copy;
    for (const p of this.pairs) {
      if (!p.re) {
        if (!(p.from in row) || row[p.from] === undefined) continue;
        if (!copied) { row = this.copy!(row); copied = true; }
        const v = row[p.from];
        delete row[p.from];
        row[p.to] = v;
        continue;
      }
      for (const name of Object.keys(row)) {
        const m = p.re.exec(name);
        if (!m || row[name] === undefined) continue;
        let k = 1;
        const target = p.to.replace(/\*/g, () => m[k++] ?? '');
        if (!copied) { row = this.copy!(row); copied = true; }
        const v = row[name];
        delete row[name];
        row[target] = v;
      }
    }
    // Later stages are told rows are no longer shared, so hand on a copy even when nothing was renamed.
    this.next.push(copied ? row : this.copy!(row));
  }
  end(): void { this.next.end(); }
}

/** table: only the listed fields (wildcards expand in field order), in the listed order. */
export class TableStage implements Stage {
  private readonly matchers: Array<{ literal?: string; match?: (n: string) => boolean }>;
  constructor(fields: string[], private readonly next: Stage) {
    this.matchers = fields.map((f) => (f.includes('*') ? { match: fieldMatcher(f) } : { literal: f }));
  }
  push(row: Row): void {
    const out: Row = {};
    for (const m of this.matchers) {
      if (m.literal !== undefined) {
        const v = row[m.literal];
        if (v !== undefined) out[m.literal] = v;
      } else {
        for (const k of Object.keys(row)) if (m.match!(k) && row[k] !== undefined && !(k in out)) out[k] = row[k];
      }
    }
    this.next.push(out);
  }
  end(): void { this.next.end(); }
  advance(t: number): void { this.next.advance?.(t); }
}

/** fields: keep the listed fields (plus _time and _raw, as Splunk keeps internal fields) or remove them. */
export class FieldsStage implements Stage {
  private readonly matchers: Array<(n: string) => boolean>;
  constructor(fields: string[], private readonly remove: boolean, private readonly next: Stage) {
    this.matchers = fields.map(fieldMatcher);
  }
  push(row: Row): void {
    const out: Row = {};
    for (const k of Object.keys(row)) {
      const listed = this.matchers.some((m) => m(k));
      const keep = this.remove ? !listed : listed || k === '_time' || k === '_raw';
      if (keep && row[k] !== undefined) out[k] = row[k];
    }
    this.next.push(out);
  }
  end(): void { this.next.end(); }
  advance(t: number): void { this.next.advance?.(t); }
}
