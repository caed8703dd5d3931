import type { RowCopy, Stage } from '../stage.js';
import { scalarToString, type Row, type Scalar, type Value } from '../value.js';
import { generated } from '../generated-code.js';
import type { BareGinColumns, SpanRex } from '../span-rex.js';

/**
 * rex: named groups become fields when the pattern matches (fields are left alone when it does not).
 * A shared row is copied even when nothing matches: stages after this one are told rows are no longer shared.
 */
export class RexStage implements Stage {
  /**
   * Writes one match's groups into a row: generated per rex with the field names and capture numbers written
   * in, so no `match.groups` object is built and each field is stored at its own site. Undefined without
   * an unnamed pattern, or when the first match showed numbers and names disagree (see confirm).
   */
  private assign: ((row: Row, m: RegExpExecArray) => void) | undefined;
  private checked = false;
  /** The general push until confirm has checked the unnamed pattern, then `fast`. */
  push: (row: Row) => void;
  /** The push generated for this stage (see confirmed), made with the stage; undefined without `assign`. */
  private readonly fast: ((row: Row) => void) | undefined;
  /**
   * The push for bare plain gin lines (the entry PlainRexEntry makes): `push` until the pattern is confirmed,
   * then one that answers the pattern from the line's spans (span-rex.ts) when the runner says it may.
   */
  pushPlain: (row: Row) => void;
  private readonly fastPlain: ((row: Row) => void) | undefined;
  /** Whether bare plain gin lines are answered from their spans (once the pattern is confirmed). */
  readonly bySpans: boolean;
  private readonly spans: { rex: SpanRex; cols: BareGinColumns } | undefined;

  constructor(
    private readonly field: string,
    private readonly re: RegExp,
    private readonly groups: string[],
    private readonly maxMatch: number,
    private readonly copy: RowCopy | undefined,
    private readonly next: Stage,
    private readonly groupIndex: number[] = [],
    private readonly unnamed?: RegExp,
    /**
     * The `where` right after this rex, when it reads only fields this rex captures: tried on those fields
     * as the match leaves them, before the row is copied and filled, so a row it drops costs no copy. Rows
     * it keeps still go through the where itself.
     */
    private readonly pretest?: { fields: string[]; test: (row: Row) => boolean },
    /** The pattern answered from a bare plain gin line's spans, and the runner's columns saying which lines are bare. */
    spans?: { rex: SpanRex; cols: BareGinColumns },
  ) {
    if (unnamed && groups.length > 0) {
      const body = groups.map((g, i) => `v = m[${groupIndex[i]}]; if (v !== undefined) row[${JSON.stringify(g)}] = v;`).join('\n');
      this.assign = generated<(row: Row, m: RegExpExecArray) => void>(['row', 'm'], `let v;\n${body}`);
      // Made now, while the search is compiled, so that a scan thread's next byte range reuses its code
      // (generated-code.ts); it takes over once confirm has checked the pattern.
      this.fast = this.confirmed(undefined);
      if (spans) this.fastPlain = this.confirmed(spans);
    }
    this.bySpans = this.fastPlain !== undefined;
    this.spans = spans;
    this.push = (row) => this.general(row);
    this.pushPlain = (row) => this.general(row);
  }

  /**
   * Until a text matches, each is matched both ways: the unnamed pattern read by capture number must give
   * what the named one gives by name, or the named one is used from then on.
   */
  private confirm(text: string): void {
    this.re.lastIndex = 0;
    this.unnamed!.lastIndex = 0;
    const named = this.re.exec(text), plain = this.unnamed!.exec(text);
    if (!named && !plain) return; // nothing to compare yet
    this.checked = true;
    const probe: Row = {};
    if (plain) this.assign!(probe, plain);
    if (!named !== !plain || this.groups.some((g) => probe[g] !== named?.groups?.[g])) this.assign = undefined;
    else {
      this.push = this.fast!;
      this.pushPlain = this.fastPlain ?? this.fast!;
    }
  }

  /**
   * The push once the unnamed pattern is confirmed, generated for this stage (as filter.ts explains) with
   * the field names and capture numbers written in. It does what general() does with `assign`.
   */
  private confirmed(spans: { rex: SpanRex; cols: BareGinColumns } | undefined): (row: Row) => void {
    const q = JSON.stringify;
    const stores = this.groups.map((g, i) => `v = m[${this.groupIndex[i]}]; if (v !== undefined) row[${q(g)}] = v;`).join('\n');
    // The pretest's fields as the match leaves them: a group that took part, else the row's own value.
    const pre = this.pretest;
    const probes = pre ? pre.fields.map((f) => {
      const k = this.groupIndex[this.groups.indexOf(f)];
      return `p = m === null ? undefined : m[${k}]; probe[${q(f)}] = p !== undefined ? p : input[${q(f)}];`;
    }).join('\n') + '\nif (!pretest(probe)) return;' : '';
    const exec = spans
      ? `let m = typeof x === 'string' ? spans.match(x, input, cols) : undefined;
        if (m === undefined) { re.lastIndex = 0; m = re.exec(typeof x === 'string' ? x : text(x)); }`
      : `re.lastIndex = 0;
        const m = re.exec(typeof x === 'string' ? x : text(x));`;
    return generated<(re: RegExp, text: (v: Value) => string, copy: RowCopy | undefined, next: Stage, pretest: ((row: Row) => boolean) | undefined, probe: Row, spans: SpanRex | undefined, cols: BareGinColumns | undefined) => (row: Row) => void>(
      ['re', 'text', 'copy', 'next', 'pretest', 'probe', 'spans', 'cols'], `
      return (input) => {
        const x = input[${q(this.field)}];
        if (x === undefined) { next.push(copy === undefined ? input : copy(input)); return; }
        ${exec}
        ${pre ? 'let p;' : ''}
        ${probes}
        const row = copy === undefined ? input : copy(input);
        if (m !== null) {
          let v;
          ${stores}
        }
        next.push(row);
      };`)(this.unnamed!, textOf, this.copy, this.next, pre?.test, Object.fromEntries((pre?.fields ?? []).map((f) => [f, undefined])), spans?.rex, spans?.cols);
  }

  private general(input: Row): void {
    const v = input[this.field];
    if (v === undefined) { this.next.push(this.own(input)); return; }
    const text = textOf(v);
    if (this.maxMatch === 1) {
      if (this.assign && !this.checked) this.confirm(text);
      if (this.assign) {
        const re = this.unnamed!;
        re.lastIndex = 0;
        const m = re.exec(text);
        if (!m) { this.next.push(this.own(input)); return; }
        const row = this.copy ? this.copy(input) : input;
        this.assign(row, m);
        this.next.push(row);
        return;
      }
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

  /** Whether a match sets field `name`. */
  captures(name: string): boolean { return this.groups.includes(name); }

  /**
   * What field `name` holds after this rex on the bare plain gin line at batch position `at` of `cols`,
   * answered from its spans as pushPlain answers it (the group's capture, else the line's own value), or
   * NOT_ANSWERED when the pattern would have to run (not confirmed yet, or a line span-rex.ts leaves to it).
   * Undefined when this rex does not answer from spans or does not capture `name` (stats-columns.ts).
   */
  spanValue(name: string): ((ev: Row, at: number) => Value | undefined | typeof NOT_ANSWERED) | undefined {
    const spans = this.spans, fastPlain = this.fastPlain;
    const i = this.groups.indexOf(name);
    if (!spans || fastPlain === undefined || i < 0 || this.maxMatch !== 1) return undefined;
    const k = this.groupIndex[i]!, field = this.field;
    return (ev, at) => {
      if (this.pushPlain !== fastPlain) return NOT_ANSWERED;
      const x = ev[field];
      if (typeof x !== 'string') return NOT_ANSWERED;
      spans.cols.at = at;
      const m = spans.rex.match(x, ev, spans.cols);
      if (m === undefined) return NOT_ANSWERED;
      const v = m === null ? undefined : m[k];
      return v !== undefined ? v : ev[name];
    };
  }

  end(): void { this.next.end(); }
}

/** RexStage.spanValue's word for a line whose value only the pattern can give. */
export const NOT_ANSWERED: unique symbol = Symbol('not answered');

/** The entry of bare plain gin lines into a rex right after the leading search (RexStage.pushPlain). */
export class PlainRexEntry implements Stage {
  constructor(private readonly rex: RexStage) {}
  push(row: Row): void { this.rex.pushPlain(row); }
  end(): void { this.rex.end(); }
}

/** The text a rex reads: a multivalue field's first value. */
function textOf(v: Value): string {
  return Array.isArray(v) ? (v.length ? scalarToString(v[0]!) : '') : scalarToString(v);
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
