// A `rex` over a bare plain gin line's _raw answered from the line's spans, not by running the pattern over
// the whole line. Splunk's gin patterns (`\|\s+(?<client_ip>…)\s+\|`, the exfiltration and prompt injection
// ones) are bars with parts between them that cannot match a bar. In such a pattern every bar must sit on one
// of the line's bars, one after another, so each part matches all of the text between two of the line's bars;
// on a bare plain line those bars are at gin's fixed places and, unless the path holds one, there are four.
// Each span's text is made from one field (the status, the latency, the client, then the method and path), so
// what a part finds in a span is kept per status and per client and path slot (the byte reader's caches,
// GinLine.clientSlot), and only the latency is matched per line (by a loop over the span when the part is a
// run of disjoint character sets, span-part.ts): a table lookup a line instead of the pattern's scan from
// every bar. The tenth round tried this with maps from the values, which cost more than
// the patterns.
//
// Exactness: a line whose path or method holds a bar, a line that is not bare (a prefix, or read as a
// string), or a value without a slot is left to the pattern or matched at its place; a pattern with an
// alternation at its top level, a lookaround, a back-reference, an anchor or a word boundary is not split.
// The captures are those of the first alignment from the left whose parts all match: the regular expression's
// leftmost match, and within a part its own first way of matching the whole span (what follows a part is a bar,
// which only the span's end offers). A test holds it to the pattern on real, generated and mangled lines.
import { CLIENT_SLOTS, PATH_SLOTS } from '../parse/gin-bytes.js';
import type { Row } from './value.js';
import { generated } from './generated-code.js';
import { partMatcher, UNDECIDED, type PartMatch } from './span-part.js';

/** A bare plain gin line's first three bars, in characters; the fourth is at 68 + w (w: the client's overflow of 15). */
const BAR0 = 28, BAR1 = 34, BAR2 = 50;
/** Where the status, latency and client spans start (the character after their bar). */
const SPAN_START = [BAR0 + 1, BAR1 + 1, BAR2 + 1] as const;
/** Code units below this are looked up in a part's alphabet; any other is taken as possible. */
const ALPHABET = 1024;

/** The runner's word on each event of a batch that reaches a plain gin entry (LineParser.bareGin), by position. */
export class BareGinColumns {
  readonly bare: Uint8Array;
  readonly client: Int32Array;
  readonly path: Int32Array;
  /** The batch position of the event being handed to an entry. */
  at = 0;
  constructor(n: number) {
    this.bare = new Uint8Array(n);
    this.client = new Int32Array(n);
    this.path = new Int32Array(n);
  }
}

/** What a part or the tail found: its own captures in order from index 1 (a match), or null when it does not match. */
type Found = ReadonlyArray<string | undefined> | null;
const NONE: ReadonlyArray<string | undefined> = [];
/** The tail memo's mark for a method and path whose text holds a bar: the line goes to the pattern. */
const HAS_BAR: ReadonlyArray<string | undefined> = [];

interface Part {
  /** The part followed by a bar, sticky: matched at a span's start it must end at the span's bar. */
  re: RegExp;
  /** The same as a loop over the span (span-part.ts), for the latency span; undefined when it cannot be one. */
  loop: PartMatch | undefined;
  /** Its capture numbers in the whole pattern, in order. */
  groups: number[];
  /** 1 for each code unit (below ALPHABET) one of its atoms can match: a span holding any other is not matched. */
  alphabet: Uint8Array;
  /** What it found in a status span, by status. */
  byStatus: Array<Found | undefined>;
  /** What it found in a client span, by the client's slot, and the client it was found for. */
  clientKey: Array<string | undefined>;
  byClient: Found[];
}

/** The pattern's top-level pieces between its `\|`s, with the atoms of each; undefined when it cannot be split. */
function splitAtBars(src: string): { pieces: string[]; atoms: string[][]; captures: number[] } | undefined {
  const pieces: string[] = [];
  const atoms: string[][] = [];
  const captures: number[] = [];
  let cur = '', curAtoms: string[] = [], curCaptures = 0, depth = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const nx = src[i + 1];
      if (nx === undefined) return undefined;
      // Back-references, word boundaries and escapes of several characters (\x41, \u0041, \cA, \p{…}, \0) are not taken.
      if (/[0-9A-Za-z]/.test(nx) && !/[dDsSwWtnrfv]/.test(nx)) return undefined;
      i++;
      if (nx === '|' && depth === 0) {
        pieces.push(cur); atoms.push(curAtoms); captures.push(curCaptures);
        cur = ''; curAtoms = []; curCaptures = 0;
        continue;
      }
      cur += c + nx; curAtoms.push(c + nx);
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (src[j] === '^') j++;
      for (; j < src.length && src[j] !== ']'; j++) {
        if (src[j] === '\\') {
          const nx = src[j + 1];
          if (nx === undefined || (/[0-9A-Za-z]/.test(nx) && !/[dDsSwWtnrfv]/.test(nx))) return undefined;
          j++;
        }
      }
      if (j >= src.length) return undefined;
      const cls = src.slice(i, j + 1);
      cur += cls; curAtoms.push(cls);
      i = j;
      continue;
    }
    if (c === '(') {
      if (src[i + 1] === '?') {
        if (src[i + 2] !== ':') return undefined; // lookarounds and named groups
        cur += '(?:'; i += 2;
      } else { cur += c; curCaptures++; }
      depth++;
      continue;
    }
    if (c === ')') { if (--depth < 0) return undefined; cur += c; continue; }
    if (c === '|') { if (depth === 0) return undefined; cur += c; continue; }
    if (c === '^' || c === '$') return undefined;
    if (c === '*' || c === '+' || c === '?') { cur += c; continue; }
    if (c === '{') {
      const q = /^\{\d+(?:,\d*)?\}/.exec(src.slice(i, i + 24));
      if (q) { cur += q[0]; i += q[0].length - 1; continue; }
      cur += '\\{'; curAtoms.push('\\{');
      continue;
    }
    // `.` and any other character stand for themselves as atoms.
    cur += c; curAtoms.push(c);
  }
  if (depth !== 0) return undefined;
  pieces.push(cur); atoms.push(curAtoms); captures.push(curCaptures);
  return { pieces, atoms, captures };
}

/** Matches a rex's pattern on bare plain gin lines from their spans (see the top of this file). */
export class SpanRex {
  /** The text after the last bar, sticky; null when empty (it always matches). */
  private readonly tail: RegExp | null;
  /** What the tail found after the fourth bar, by the path's slot, with the method and path it was found for. */
  private readonly tailPath: Array<string | undefined> = new Array<string | undefined>(PATH_SLOTS).fill(undefined);
  private readonly tailMethod: Array<string | undefined> = new Array<string | undefined>(PATH_SLOTS).fill(undefined);
  private readonly byPath: Found[] = new Array<Found>(PATH_SLOTS).fill(null);
  /**
   * The pattern's match on `raw`, the _raw of `ev`, as capture values by number (an array reused by the next
   * call), or null; undefined when the line is not one to answer from its spans (the caller runs the pattern).
   * Generated per pattern (makeMatch): its alignments and capture numbers written in.
   */
  readonly match: (raw: string, ev: Row, cols: BareGinColumns) => Array<string | undefined> | null | undefined;

  private constructor(parts: Part[], tail: RegExp | null, tailGroups: number[], groupCount: number) {
    this.tail = tail;
    this.match = makeMatch(this, parts, tailGroups, groupCount);
  }

  /** For a pattern (a rex's, its names taken out) that is a bar, parts that cannot match a bar, bars between them and a tail; else undefined. */
  static of(re: RegExp): SpanRex | undefined {
    const split = splitAtBars(re.source);
    if (!split || split.pieces.length < 3 || split.pieces[0] !== '') return undefined;
    const flags = re.flags.replace(/[gyd]/g, '') + 'y';
    const n = split.pieces.length - 2;
    const parts: Part[] = [];
    let group = split.captures[0]!;
    try {
      for (let i = 1; i <= n; i++) {
        const atoms = split.atoms[i]!;
        const alphabet = new Uint8Array(ALPHABET);
        if (atoms.length > 0) {
          const any = new RegExp(`^(?:${atoms.join('|')})$`, flags.replace('y', ''));
          for (let c = 0; c < ALPHABET; c++) if (any.test(String.fromCharCode(c))) alphabet[c] = 1;
        }
        if (alphabet[124] === 1) return undefined; // it could match a bar
        const groups = Array.from({ length: split.captures[i]! }, (_, k) => group + k + 1);
        group += split.captures[i]!;
        parts.push({
          re: new RegExp(`(?:${split.pieces[i]!})\\|`, flags), loop: partMatcher(split.pieces[i]!, flags), groups, alphabet,
          byStatus: new Array<Found | undefined>(1000).fill(undefined),
          clientKey: new Array<string | undefined>(CLIENT_SLOTS).fill(undefined),
          byClient: new Array<Found>(CLIENT_SLOTS).fill(null),
        });
      }
      const tailSrc = split.pieces[n + 1]!;
      const tailGroups = Array.from({ length: split.captures[n + 1]! }, (_, k) => group + k + 1);
      group += split.captures[n + 1]!;
      return new SpanRex(parts, tailSrc === '' ? null : new RegExp(tailSrc, flags), tailGroups, group);
    } catch {
      return undefined;
    }
  }

  /** What follows the fourth bar (at `bar3`): kept by path slot with its method; HAS_BAR when it holds a bar. */
  tailOf(raw: string, path: string, method: string, bar3: number, ps: number): Found {
    if (ps >= 0 && this.tailPath[ps] === path && this.tailMethod[ps] === method) return this.byPath[ps]!;
    const t = raw.indexOf('|', bar3 + 1) >= 0 ? HAS_BAR : this.tailAt(raw, bar3 + 1, path);
    if (ps >= 0) { this.tailPath[ps] = path; this.tailMethod[ps] = method; this.byPath[ps] = t; }
    return t;
  }

  /** What the tail finds from `at` (`path`: the field to hand back for a capture equal to it). */
  tailAt(raw: string, at: number, path: string | undefined): Found {
    const re = this.tail;
    return re === null ? NONE : execAt(re, raw, at, path);
  }
}

/** What `part` finds in the status span: kept per status (a bare line's three digits at 30–32). */
function inStatus(part: Part, raw: string): Found {
  const status = (raw.charCodeAt(30) - 48) * 100 + (raw.charCodeAt(31) - 48) * 10 + (raw.charCodeAt(32) - 48);
  let f = part.byStatus[status];
  if (f === undefined) part.byStatus[status] = f = execAt(part.re, raw, SPAN_START[0], undefined);
  return f;
}

/**
 * What `part` finds in the latency span: spaces and the latency, whose unit ends at 48; a unit the part's atoms
 * cannot match rules it out unread.
 */
function inLatency(part: Part, raw: string): Found {
  const a = part.alphabet, u = raw.charCodeAt(48), v = raw.charCodeAt(47);
  if (a[32] === 0 || (u < ALPHABET && a[u] === 0) || (v < ALPHABET && a[v] === 0)) return null;
  if (part.loop !== undefined) {
    const f = part.loop(raw, SPAN_START[1]);
    if (f !== UNDECIDED) return f;
  }
  return execAt(part.re, raw, SPAN_START[1], undefined);
}

/** What `part` finds in the client span: kept by the client's slot `cs` (checked against the client). */
function inClient(part: Part, raw: string, client: string, cs: number): Found {
  if (cs < 0) return execAt(part.re, raw, SPAN_START[2], client);
  if (part.clientKey[cs] === client) return part.byClient[cs]!;
  const f = execAt(part.re, raw, SPAN_START[2], client);
  part.clientKey[cs] = client;
  part.byClient[cs] = f;
  return f;
}

/**
 * SpanRex.match for these parts: each alignment from the left (the pattern's first bar on the line's bar j,
 * for each j that leaves the tail after the fourth bar at the latest) as one test of its parts in turn, the
 * captures of the first that passes written into `out` at their numbers.
 */
function makeMatch(self: SpanRex, parts: Part[], tailGroups: number[], groupCount: number): SpanRex['match'] {
  const n = parts.length;
  const span = ['inStatus', 'inLatency', 'inClient'];
  const args = ['raw', 'raw', 'raw, client, cs'];
  const bars = [BAR0, BAR1, BAR2];
  const clear = Array.from({ length: groupCount }, (_, k) => `out[${k + 1}] = undefined;`).join(' ');
  const alignments: string[] = [];
  for (let j = 0; j + n <= 3; j++) {
    const tests = parts.map((_, i) => `(f${i} = ${span[j + i]}(p${i}, ${args[j + i]})) !== null`);
    tests.push(j + n === 3 ? 't !== null' : `(tf = self.tailAt(raw, ${bars[j + n]! + 1}, undefined)) !== null`);
    const stores = parts.flatMap((p, i) => p.groups.map((g, k) => `out[${g}] = f${i}[${k + 1}];`));
    stores.push(...tailGroups.map((g, k) => `out[${g}] = ${j + n === 3 ? 't' : 'tf'}[${k + 1}];`));
    alignments.push(`if (${tests.join(' && ')}) { ${clear} ${stores.join(' ')} return out; }`);
  }
  const vars = parts.map((_, i) => `f${i}`).concat('tf').join(', ');
  type SpanTest = (part: Part, raw: string, client: string, cs: number) => Found;
  return generated<(self: SpanRex, inStatus: SpanTest, inLatency: SpanTest, inClient: SpanTest, HAS_BAR: Found, out: Array<string | undefined>, ...p: Part[]) => SpanRex['match']>(
    ['self', 'inStatus', 'inLatency', 'inClient', 'HAS_BAR', 'out', ...parts.map((_, i) => `p${i}`)], `
    return (raw, ev, cols) => {
      const at = cols.at;
      if (cols.bare[at] === 0) return undefined;
      const src = ev.src, method = ev.http_method, path = ev.url;
      if (typeof method !== 'string' || typeof path !== 'string') return undefined;
      const client = typeof src === 'string' ? src : '';
      const bar3 = client.length > 15 ? 53 + client.length : 68;
      const t = self.tailOf(raw, path, method, bar3, cols.path[at]);
      if (t === HAS_BAR) return undefined;
      const cs = cols.client[at];
      let ${vars};
      ${alignments.join('\n      ')}
      return null;
    };`)(self, inStatus, inLatency, inClient, HAS_BAR, new Array<string | undefined>(groupCount + 1).fill(undefined), ...parts);
}

/**
 * `re` (sticky) matched at `at` in `raw`: its captures, or null. A capture equal to `same` (the field the span
 * was made from) is that string, whose hash the detections' maps have worked out already.
 */
function execAt(re: RegExp, raw: string, at: number, same: string | undefined): Found {
  re.lastIndex = at;
  const m = re.exec(raw);
  if (m === null) return null;
  if (m.length === 1) return NONE;
  if (same !== undefined) for (let k = 1; k < m.length; k++) if (m[k] === same) m[k] = same;
  return m;
}
