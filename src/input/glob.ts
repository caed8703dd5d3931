// File patterns for `watch`: plain paths, `~/`, and `*` / `?` wildcards within path segments
// (e.g. ~/.ollama/logs/server*.log). No `**`: log locations are known directories.
import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve, sep } from 'node:path';

export function hasWildcard(p: string): boolean { return /[*?]/.test(p); }

function segmentRegex(seg: string): RegExp {
  return new RegExp('^' + seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '$');
}

/** The existing files a pattern names now, sorted; a plain path is returned when it exists. */
export function expandPattern(pattern: string): string[] {
  let p = pattern.startsWith('~/') ? join(homedir(), pattern.slice(2)) : pattern;
  p = isAbsolute(p) ? p : resolve(p);
  if (!hasWildcard(p)) {
    try { return statSync(p).isFile() ? [p] : []; } catch { return []; }
  }
  const parts = p.split(sep);
  let bases = [parts[0] === '' ? sep : parts[0]!];
  for (let i = 1; i < parts.length; i++) {
    const seg = parts[i]!;
    if (seg === '') continue;
    const next: string[] = [];
    for (const b of bases) {
      if (!hasWildcard(seg)) { next.push(join(b, seg)); continue; }
      let names: string[];
      try { names = readdirSync(b); } catch { continue; }
      const re = segmentRegex(seg);
      for (const n of names) if (re.test(n)) next.push(join(b, n));
    }
    bases = next;
  }
  return bases.filter((f) => { try { return statSync(f).isFile(); } catch { return false; } }).sort();
}
