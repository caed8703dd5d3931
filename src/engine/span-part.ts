// A part of a gin pattern between two bars (span-rex.ts) matched by a loop over the span's characters instead
// of the regular expression, when the loop is sure to find what the expression finds: a run of character
// sets, each once or repeated (?, *, +, greedy), captures around some of them, where no repeated set shares a
// character with a set that could follow it. Then each repetition can only take the whole run of its
// characters (what follows cannot start inside the run), so there is nothing to backtrack over and one pass
// gives the expression's match. Splunk's latency parts (`\s+(?<response_time>[\d\.]+)s\s+`) are such runs,
// and the latency is the one span matched on every line (the others are kept per status, client and path);
// the expression's call and its match array were most of a line's cost there.
//
// A character at or past ALPHABET (which the sets' tables do not cover) makes the loop give up: the caller
// runs the expression.
import { generated } from './generated-code.js';

const ALPHABET = 1024;

/** The loop's word for a span it leaves to the expression. */
export const UNDECIDED: unique symbol = Symbol('undecided');

/** Captures from index 1 (index 0 is unused), or null when the part does not match. */
export type PartMatch = (raw: string, at: number) => ReadonlyArray<string | undefined> | null | typeof UNDECIDED;

interface Item { set: Uint8Array; min: 0 | 1; many: boolean; open: boolean; close: boolean }

/**
 * The loop for a part's source (without its names, as span-rex.ts splits it) and flags, followed by a bar;
 * undefined when the part is not a run of sets as above.
 */
export function partMatcher(src: string, flags: string): PartMatch | undefined {
  const items = readItems(src, flags.replace(/[gyd]/g, ''));
  if (!items || items.length === 0) return undefined;
  // No repeated set may share a character with a set that can follow it (the next, and past any optional one,
  // the one after; the bar after the last).
  for (let i = 0; i < items.length; i++) {
    const a = items[i]!;
    if (a.min === 1 && !a.many) continue;
    for (let j = i + 1; j <= items.length; j++) {
      const next = j < items.length ? items[j]!.set : BAR;
      for (let c = 0; c < ALPHABET; c++) if (a.set[c] === 1 && next[c] === 1) return undefined;
      if (j === items.length || items[j]!.min === 1) break;
    }
  }
  const captures = items.filter((x) => x.open).length;
  const code: string[] = ['let i = at, c;'];
  let cap = 0;
  items.forEach((x, k) => {
    if (x.open) code.push(`const s${cap} = i;`);
    const take = `c = raw.charCodeAt(i); if (c >= ${ALPHABET}) return UNDECIDED;`;
    if (x.min === 1) code.push(`${take} if (t${k}[c] !== 1) return null; i++;`);
    if (x.many) code.push(`for (;;) { ${take} if (t${k}[c] !== 1) break; i++; }`);
    else if (x.min === 0) code.push(`${take} if (t${k}[c] === 1) i++;`);
    if (x.close) { code.push(`const e${cap} = i;`); cap++; }
  });
  // A character past the span's end is NaN: in no set, and not a bar.
  code.push(`if (raw.charCodeAt(i) !== 124) return null;`);
  code.push(`return ['', ${Array.from({ length: captures }, (_, n) => `raw.slice(s${n}, e${n})`).join(', ')}];`);
  const tables = items.map((_, k) => `t${k}`);
  return generated<(UNDECIDED: symbol, ...t: Uint8Array[]) => PartMatch>(['UNDECIDED', ...tables], `return (raw, at) => { ${code.join('\n')} };`)(UNDECIDED, ...items.map((x) => x.set));
}

/** The bar that follows a part. */
const BAR = (() => { const t = new Uint8Array(ALPHABET); t[124] = 1; return t; })();

/** The part as sets with their repetition and captures; undefined for anything else (alternatives, nested groups, counted or lazy repetition). */
function readItems(src: string, flags: string): Item[] | undefined {
  const items: Item[] = [];
  let inGroup = false, opened = false;
  for (let i = 0; i < src.length;) {
    const ch = src[i]!;
    if (ch === '(') {
      if (inGroup || src[i + 1] === '?') return undefined;
      inGroup = true; opened = true; i++;
      continue;
    }
    if (ch === ')') {
      if (!inGroup || opened || items.length === 0) return undefined; // an empty group
      items[items.length - 1]!.close = true;
      inGroup = false; i++;
      if ('?*+{'.includes(src[i] ?? '')) return undefined; // a repeated group
      continue;
    }
    let atom: string;
    if (ch === '\\') {
      if (i + 1 >= src.length) return undefined;
      atom = src.slice(i, i + 2);
    } else if (ch === '[') {
      let j = i + 1;
      if (src[j] === '^') j++;
      if (src[j] === ']') j++;
      while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) return undefined;
      atom = src.slice(i, j + 1);
    } else if ('|^$*+?{}]'.includes(ch)) return undefined;
    else atom = ch;
    i += atom.length;
    let min: 0 | 1 = 1, many = false;
    const q = src[i];
    if (q === '+' || q === '*' || q === '?') {
      if (src[i + 1] === '?' || src[i + 1] === '+') return undefined; // lazy
      min = q === '+' ? 1 : 0; many = q !== '?'; i++;
    } else if (q === '{') return undefined;
    let set: Uint8Array;
    try {
      const re = new RegExp(`^(?:${atom})$`, flags);
      set = new Uint8Array(ALPHABET);
      for (let c = 0; c < ALPHABET; c++) if (re.test(String.fromCharCode(c))) set[c] = 1;
    } catch {
      return undefined;
    }
    items.push({ set, min, many, open: opened, close: false });
    opened = false;
  }
  return inGroup ? undefined : items;
}
