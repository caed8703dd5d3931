// Hands a line other than gin (slog, std logger, runner, panic…) only to the searches that can want it. Such a
// line went to every search that one of its kinds can pass (18 of the 32 built-in detections), and each
// lower-cased and scanned it for its words or tested its fields: a few microseconds a line, for the 7 % of
// the bench's lines that are not gin, and more of a real log's. Most of those searches want one of a few
// phrases (`msg="llama runner started in *"`, "out of memory", level=ERROR): each search's leading search,
// reduced for every other kind of line, gives words at least one of which the line must hold for it to pass
// (rawWords), and one scan of the line finds every search's words at once (an Aho–Corasick automaton over
// ASCII with letters folded). A search none of whose words the line holds is not handed it.
//
// Why a word must be in the line: a term is looked for in the lower-cased _raw, and a field of such a line
// is text cut from the line (a slog or std-logger pair, its message, its level: LINE_FIELDS_NOT_FROM_TEXT
// are the exceptions), so a field value the test accepts puts its words in the line too, unless the value
// was unescaped from `\…` (Go's quoting, a JSON wrapper) or lower-cased from outside ASCII. A line with a
// backslash or any character outside ASCII is therefore handed to every search that takes its kind.
import type { SearchExpr } from '../spl/ast.js';
import type { Residual } from './search-gate.js';
import { asNumber } from './value.js';
import { LINE_FIELDS_NOT_FROM_TEXT } from '../parse/line-parser.js';

/** Bits in a mask (one per search); searches past them take every line of a kind they can pass. */
const BITS = 31;

// `index` too: the matcher passes every index=… test (search-match.ts), whatever the line holds.
const NOT_FROM_TEXT = new Set<string>([...LINE_FIELDS_NOT_FROM_TEXT, 'index']);

/**
 * Words (lower case) one of which the _raw of any event passing `r` holds; undefined when there are none to
 * name (a test that any line might pass, a test on a field not cut from the line, a NOT, a number).
 */
export function rawWords(r: Residual): string[] | undefined {
  if (r === true) return undefined;
  if (r === false) return [];
  return words(r);
}

function words(e: SearchExpr): string[] | undefined {
  switch (e.kind) {
    case 'term': return longestPiece(e.text);
    case 'compare':
      if (e.op !== '=' || NOT_FROM_TEXT.has(e.field)) return undefined;
      return valueWords(e.value);
    case 'in': return NOT_FROM_TEXT.has(e.field) ? undefined : everyOnes(e.values.map(valueWords));
    case 'and': {
      // Any item's words will do: the one whose shortest word is longest (the likeliest to rule a line out).
      let best: string[] | undefined;
      for (const x of e.items) {
        const w = words(x);
        if (w && (!best || shortest(w) > shortest(best))) best = w;
      }
      return best;
    }
    case 'or': return everyOnes(e.items.map(words));
    case 'not': return undefined;
  }
}

/** The words of alternatives, one of which holds: all of theirs, or none when one has none to name. */
function everyOnes(alternatives: Array<string[] | undefined>): string[] | undefined {
  const out: string[] = [];
  for (const w of alternatives) {
    if (!w) return undefined;
    out.push(...w);
  }
  return out;
}

/** A field=value test's word: none for a number (status=200 also takes "200.0") or an empty value. */
function valueWords(value: string): string[] | undefined {
  if (asNumber(value) !== undefined) return undefined;
  return longestPiece(value);
}

/** The longest piece of a pattern between its `*`s, lower-cased; undefined when it has none (any text matches). */
function longestPiece(pattern: string): string[] | undefined {
  let best = '';
  for (const p of pattern.toLowerCase().split('*')) if (p.length > best.length) best = p;
  return best === '' ? undefined : [best];
}

function shortest(ws: string[]): number {
  return ws.length === 0 ? Infinity : Math.min(...ws.map((w) => w.length));
}

/**
 * The searches' words for each kind of line (OTHER_EVENT_SHAPES, by index), and for a line the bits of the
 * searches that may want it. `add` gives a search its bit, or 0 when it takes every line of a kind it can pass.
 */
export class OtherDispatch {
  private readonly entries: Array<{ bit: number; words: string[][] }> = [];
  /** Per kind, the bits of the searches that take every such line, and of those that can take none. */
  private readonly always: Int32Array;
  private readonly never: Int32Array;
  private next = 0;
  /** Whether the automaton holds every search added (it is made again at the first line after an add). */
  private built = true;
  private table: Uint16Array | Int32Array = new Int32Array(128);
  /** Per kind, per state of the automaton, the bits of the searches one of whose words for that kind ends there. */
  private outs: Int32Array[];

  constructor(private readonly kinds: number) {
    this.always = new Int32Array(kinds);
    this.never = new Int32Array(kinds);
    this.outs = Array.from({ length: kinds }, () => new Int32Array(1));
  }

  /** Bits given so far. */
  get size(): number { return this.next; }

  /** A search whose leading search, reduced for each kind of line, is `residuals` (one per kind): its bit, or 0. */
  add(residuals: readonly Residual[]): number {
    const words = residuals.map(rawWords);
    if (words.every((w) => w === undefined) || this.next >= BITS) return 0;
    const bit = 1 << this.next++;
    residuals.forEach((r, k) => {
      if (r === false) this.never[k]! |= bit;
      else if (words[k] === undefined) this.always[k]! |= bit;
    });
    this.entries.push({ bit, words: words.map((w) => w ?? []) });
    this.built = false;
    return bit;
  }

  /** The bits of the searches that may want a line of kind `kind` with this _raw. */
  maskOf(raw: string, kind: number): number {
    if (!this.built) this.build();
    const table = this.table, out = this.outs[kind]!;
    let s = 0, m = 0;
    for (let i = 0; i < raw.length; i++) {
      let c = raw.charCodeAt(i);
      // Not scanned (see above): every search that can take the kind.
      if (c >= 128 || c === 92) return ~this.never[kind]!;
      if (c >= 65 && c <= 90) c += 32;
      s = table[(s << 7) | c]!;
      m |= out[s]!;
    }
    return (m | this.always[kind]!) & ~this.never[kind]!;
  }

  /**
   * The automaton over every search's words (ASCII; a word outside it cannot be in a line that is scanned, so
   * it is left out): a trie whose missing edges lead where the longest suffix read so far continues, each
   * state marked, per kind, with the bits of the words that end there or at any suffix of it.
   */
  private build(): void {
    const goto: Int32Array[] = [new Int32Array(128).fill(-1)];
    const marks: number[][] = Array.from({ length: this.kinds }, () => [0]);
    for (const { bit, words } of this.entries) {
      words.forEach((list, k) => {
        for (const w of list) {
          if (!isAscii(w)) continue;
          let s = 0;
          for (let i = 0; i < w.length; i++) {
            const c = w.charCodeAt(i);
            if (goto[s]![c]! < 0) {
              goto[s]![c] = goto.length;
              goto.push(new Int32Array(128).fill(-1));
              for (const m of marks) m.push(0);
            }
            s = goto[s]![c]!;
          }
          marks[k]![s]! |= bit;
        }
      });
    }
    const n = goto.length;
    const fail = new Int32Array(n);
    const table = n <= 65535 ? new Uint16Array(n * 128) : new Int32Array(n * 128);
    const queue: number[] = [];
    for (let c = 0; c < 128; c++) {
      const t = goto[0]![c]!;
      table[c] = t < 0 ? 0 : t;
      if (t > 0) queue.push(t);
    }
    // Breadth first: a state's fallback is shallower, so its row and marks are complete when it is reached.
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      for (const m of marks) m[s]! |= m[fail[s]!]!;
      for (let c = 0; c < 128; c++) {
        const t = goto[s]![c]!;
        if (t < 0) { table[(s << 7) | c] = table[(fail[s]! << 7) | c]!; continue; }
        fail[t] = table[(fail[s]! << 7) | c]!;
        table[(s << 7) | c] = t;
        queue.push(t);
      }
    }
    this.table = table;
    this.outs = marks.map((m) => Int32Array.from(m));
    this.built = true;
  }
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 128) return false;
  return true;
}
