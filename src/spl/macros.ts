// Search macros: `name` or `name(arg1, arg2)` expand textually before parsing, with $arg$ substitution.
// Expansion keeps a map from expanded offsets back to the authored text so errors point at what the user wrote.
import { SplError } from './errors.js';

export interface MacroDef {
  name: string;
  args: string[];
  definition: string;
  /** Where it was defined, for error messages (file:line). */
  origin?: string;
}

export class MacroTable {
  private readonly defs = new Map<string, MacroDef>();

  /** Macros with arguments are keyed `name(N)` as in Splunk's macros.conf. */
  static key(name: string, argc: number): string {
    return argc === 0 ? name : `${name}(${argc})`;
  }

  set(def: MacroDef): void {
    this.defs.set(MacroTable.key(def.name, def.args.length), def);
  }

  get(name: string, argc: number): MacroDef | undefined {
    return this.defs.get(MacroTable.key(name, argc));
  }

  has(name: string, argc = 0): boolean {
    return this.defs.has(MacroTable.key(name, argc));
  }

  list(): MacroDef[] {
    return [...this.defs.values()];
  }

  clone(): MacroTable {
    const t = new MacroTable();
    for (const d of this.defs.values()) t.set(d);
    return t;
  }
}

export interface Expansion {
  text: string;
  /** Maps an offset in `text` to an offset in the authored search (positions inside a macro map to its call). */
  toAuthored(pos: number): number;
  /** The macro whose body holds `pos`, if any. */
  macroAt(pos: number): string | undefined;
}

interface Segment { start: number; end: number; authored: number; macro?: string }

const MAX_DEPTH = 20;
const MAX_LENGTH = 1 << 20;

export function expandMacros(search: string, table: MacroTable): Expansion {
  const segments: Segment[] = [];
  const text = expandInner(search, table, 0, [], segments, 0, undefined);
  return {
    text,
    toAuthored(pos: number) {
      for (const s of segments) if (pos >= s.start && pos < s.end) return s.macro ? s.authored : s.authored + (pos - s.start);
      return search.length;
    },
    macroAt(pos: number) {
      for (const s of segments) if (pos >= s.start && pos < s.end) return s.macro;
      return undefined;
    },
  };
}

function expandInner(text: string, table: MacroTable, depth: number, stack: string[], segments: Segment[], outBase: number, callSite: { pos: number; macro: string } | undefined): string {
  let out = '';
  let i = 0;
  let plainStart = 0;
  const flushPlain = (end: number) => {
    if (end > plainStart) {
      const start = outBase + out.length;
      out += text.slice(plainStart, end);
      segments.push(callSite
        ? { start, end: outBase + out.length, authored: callSite.pos, macro: callSite.macro }
        : { start, end: outBase + out.length, authored: plainStart });
    }
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      // Backquotes inside a quoted string are literal.
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c !== '`') { i++; continue; }
    const close = text.indexOf('`', i + 1);
    const errPos = callSite ? callSite.pos : i;
    if (close < 0) throw new SplError('unterminated macro: expected a closing backquote', errPos);
    const call = text.slice(i + 1, close).trim();
    const m = /^([A-Za-z0-9_.:-]+)\s*(?:\(([\s\S]*)\))?$/.exec(call);
    if (!m) throw new SplError(`malformed macro call \`${call}\``, errPos);
    const name = m[1]!;
    const args = m[2] === undefined ? [] : splitArgs(m[2]);
    const def = table.get(name, args.length);
    if (!def) {
      const other = table.list().find((d) => d.name === name);
      const hint = other ? ` (it is defined with ${other.args.length} argument${other.args.length === 1 ? '' : 's'})` : '';
      throw new SplError(`unknown macro \`${name}\`${args.length ? ` with ${args.length} argument${args.length === 1 ? '' : 's'}` : ''}${hint}`, errPos, 'SPL_UNKNOWN_MACRO');
    }
    const key = MacroTable.key(name, args.length);
    if (stack.includes(key)) throw new SplError(`macro \`${name}\` expands to itself (${[...stack, key].join(' → ')})`, errPos, 'SPL_MACRO_CYCLE');
    if (depth >= MAX_DEPTH) throw new SplError(`macros nested deeper than ${MAX_DEPTH}`, errPos, 'SPL_MACRO_CYCLE');
    let body = def.definition;
    def.args.forEach((a, k) => { body = body.split(`$${a}$`).join(args[k]!); });
    flushPlain(i);
    const site = callSite ?? { pos: i, macro: name };
    out += expandInner(body, table, depth + 1, [...stack, key], segments, outBase + out.length, site);
    if (out.length > MAX_LENGTH) throw new SplError('macro expansion is too large', errPos, 'SPL_QUERY_TOO_COMPLEX');
    i = close + 1;
    plainStart = i;
  }
  flushPlain(text.length);
  return out;
}

function splitArgs(s: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      cur += s.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) { args.push(cur.trim()); cur = ''; continue; }
    cur += c;
  }
  args.push(cur.trim());
  return args;
}
