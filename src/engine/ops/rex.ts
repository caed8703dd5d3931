import type { RowCopy, Stage } from '../stage.js';
import { scalarToString, type Row, type Scalar } from '../value.js';

/**
 * rex: named groups become fields when the pattern matches (fields are left alone when it does not).
 * A shared row is copied even when nothing matches: stages after this one are told rows are no longer shared.
 */
export class RexStage implements Stage {
  constructor(
    private readonly field: string,
    private readonly re: RegExp,
    private readonly groups: string[],
    private readonly maxMatch: number,
    private readonly copy: RowCopy | undefined,
    private readonly next: Stage,
  ) {}

  push(input: Row): void {
    const v = input[this.field];
    if (v === undefined) { this.next.push(this.own(input)); return; }
    const text = Array.isArray(v) ? (v.length ? scalarToString(v[0]!) : '') : scalarToString(v);
    if (this.maxMatch === 1) {
      this.re.lastIndex = 0;
      const m = this.re.exec(text);
      if (!m || !m.groups) { this.next.push(this.own(input)); return; }
      const row = this.copy ? this.copy(input) : input;
      for (const g of this.groups) {
        const val = m.groups[g];
        if (val !== undefined) row[g] = val;
      }
      this.next.push(row);
      return;
    }
    const found = new Map<string, Scalar[]>();
    const global = new RegExp(this.re.source, this.re.flags.includes('g') ? this.re.flags : this.re.flags + 'g');
    let count = 0;
    for (let m = global.exec(text); m && (this.maxMatch === 0 || count < this.maxMatch); m = global.exec(text)) {
      count++;
      for (const g of this.groups) {
        const val = m.groups?.[g];
        if (val !== undefined) { const l = found.get(g) ?? []; l.push(val); found.set(g, l); }
      }
      if (m[0].length === 0) global.lastIndex++;
    }
    if (found.size === 0) { this.next.push(this.own(input)); return; }
    const row = this.copy ? this.copy(input) : input;
    for (const [g, l] of found) row[g] = l.length === 1 ? l[0]! : l;
    this.next.push(row);
  }

  private own(row: Row): Row { return this.copy ? this.copy(row) : row; }

  end(): void { this.next.end(); }
}

/** rex mode=sed: s/regex/replacement/flags applied to the field. */
export class SedStage implements Stage {
  constructor(
    private readonly field: string,
    private readonly re: RegExp,
    private readonly replacement: string,
    private readonly copy: RowCopy | undefined,
    private readonly next: Stage,
  ) {}
  push(input: Row): void {
    const v = input[this.field];
    if (v === undefined || Array.isArray(v)) { this.next.push(this.copy ? this.copy(input) : input); return; }
    const row = this.copy ? this.copy(input) : input;
    this.re.lastIndex = 0;
    row[this.field] = scalarToString(v).replace(this.re, this.replacement);
    this.next.push(row);
  }
  end(): void { this.next.end(); }
}
