// Splunk regular expressions are PCRE; JavaScript's are close. We translate the common differences
// ((?P<name>…), (?i) prefixes, \A \z) and reject what JavaScript cannot do, with the position.
// Catastrophic backtracking on attacker-written lines is handled at process start (cli/v8-flags.ts).
import { SplError } from './errors.js';

export interface CompiledRegex {
  re: RegExp;
  groupNames: string[];
  /** groupIndex[i]: the capture number of groupNames[i] (match[n] instead of match.groups[name]). */
  groupIndex: number[];
  /**
   * The same pattern with its group names taken out (same capture numbers): a match then builds no `groups`
   * object. Undefined when the pattern refers to a group by name.
   */
  unnamed?: RegExp;
}

// By flags, then pattern: eval's match() calls this per event with the same pattern string, whose hash V8
// keeps, so a lookup costs no string building.
const cache = new Map<string, Map<string, CompiledRegex>>();

export function compileSplRegex(pattern: string, pos: number, extraFlags = ''): CompiledRegex {
  let byPattern = cache.get(extraFlags);
  if (!byPattern) cache.set(extraFlags, (byPattern = new Map()));
  const hit = byPattern.get(pattern);
  if (hit) return hit;
  let src = pattern;
  let flags = extraFlags;
  const inline = /^\(\?([imsx]+)\)/.exec(src);
  if (inline) {
    if (inline[1]!.includes('x')) throw new SplError('the (?x) extended-regex flag is not supported', pos, 'SPL_UNSUPPORTED');
    for (const f of inline[1]!) if (!flags.includes(f)) flags += f;
    src = src.slice(inline[0].length);
  }
  if (/\(\?>|[*+?}]\+/.test(src.replace(/\\./g, 'x'))) {
    throw new SplError('atomic groups and possessive quantifiers are not supported', pos, 'SPL_UNSUPPORTED');
  }
  src = src.replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>').replace(/\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/g, '\\k<$1>');
  src = src.replace(/(^|[^\\])\\A/g, '$1^').replace(/(^|[^\\])\\[zZ]/g, '$1$');
  let re: RegExp;
  try {
    re = new RegExp(src, flags);
  } catch (e) {
    throw new SplError(`invalid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`, pos, 'SPL_BAD_REGEX');
  }
  const numbers = captureNumbers(src);
  const groupNames = [...numbers.keys()];
  const out: CompiledRegex = { re, groupNames, groupIndex: [...numbers.values()] };
  if (groupNames.length > 0 && !src.includes('\\k<')) {
    try { out.unnamed = new RegExp(mapNamedGroups(src, () => '('), flags); } catch { /* keep the named one */ }
  }
  if (byPattern.size > 1000) byPattern.clear();
  byPattern.set(pattern, out);
  return out;
}

/**
 * The pattern with the named groups `keep` rejects made non-capturing: what it matches is unchanged, and a
 * match no longer makes their strings (rex leaves out the groups nothing after it reads). Unchanged when every
 * group is kept, or when the pattern refers back to a group, whose number or name would change.
 */
export function narrowCaptures(c: CompiledRegex, keep: (name: string) => boolean): CompiledRegex {
  if (c.groupNames.every(keep)) return c;
  const src = c.re.source;
  if (/\\k<|\\[1-9]/.test(src)) return c;
  const out = mapNamedGroups(src, (name) => (keep(name) ? `(?<${name}>` : '(?:'));
  let re: RegExp;
  try { re = new RegExp(out, c.re.flags); } catch { return c; }
  const numbers = captureNumbers(out);
  const narrowed: CompiledRegex = { re, groupNames: [...numbers.keys()], groupIndex: [...numbers.values()] };
  if (narrowed.groupNames.length > 0) {
    try { narrowed.unnamed = new RegExp(mapNamedGroups(out, () => '('), c.re.flags); } catch { /* keep the named one */ }
  }
  return narrowed;
}

/**
 * The pattern with each named group's opening `(?<name>` replaced by `open(name)`; escapes and character
 * classes, where the same characters are literal, are left alone.
 */
function mapNamedGroups(src: string, open: (name: string) => string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\') { out += ch + (src[i + 1] ?? ''); i++; continue; }
    if (inClass) { if (ch === ']') inClass = false; out += ch; continue; }
    if (ch === '[') { inClass = true; out += ch; continue; }
    const name = ch === '(' && src[i + 1] === '?' && src[i + 2] === '<' ? /^([A-Za-z_][A-Za-z0-9_]*)>/.exec(src.slice(i + 3, i + 300)) : null;
    if (name) { out += open(name[1]!); i += 2 + name[0].length; continue; }
    out += ch;
  }
  return out;
}

/**
 * The named groups of a JavaScript pattern, in order, with their capture numbers: capturing groups are
 * numbered by their opening parenthesis, left to right, skipping escapes, character classes, (?:…) and
 * lookarounds.
 */
export function captureNumbers(src: string): Map<string, number> {
  const out = new Map<string, number>();
  let n = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') { inClass = true; continue; }
    if (c !== '(') continue;
    if (src[i + 1] !== '?') { n++; continue; }
    if (src[i + 2] === '<' && src[i + 3] !== '=' && src[i + 3] !== '!') {
      n++;
      const name = /^([A-Za-z_][A-Za-z0-9_]*)>/.exec(src.slice(i + 3, i + 300));
      if (name) out.set(name[1]!, n);
    }
  }
  return out;
}

/** Splunk replacement strings use \1; JavaScript uses $1. */
export function toJsReplacement(repl: string): string {
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i]!;
    if (c === '$') { out += '$$'; continue; }
    if (c === '\\' && i + 1 < repl.length) {
      const n = repl[i + 1]!;
      if (n >= '0' && n <= '9') { out += n === '0' ? '$&' : '$' + n; i++; continue; }
      out += n; i++; continue;
    }
    out += c;
  }
  return out;
}
