// Splunk's term matching on text: a term or quoted phrase, lower-cased, found at token boundaries (Splunk's
// major and minor breakers), with * wildcards. The text is lower-cased by the caller (search-match.ts keeps
// each event's lower-cased _raw; span-terms.ts lower-cases a field's value).

// Splunk's major and minor breakers (segmenters.conf defaults).
const BREAKER = new Uint8Array(128);
for (const c of ' \t\n\r[]<>(){}|!;,\'"*&?+/:=@.-$#%\\_') BREAKER[c.charCodeAt(0)] = 1;
function isBreaker(code: number): boolean {
  return code < 128 ? BREAKER[code] === 1 : false;
}

/** A compiled term: does `hay` (lower case) contain it at token boundaries? */
export function compileTerm(text: string): (hay: string) => boolean {
  const t = text.toLowerCase();
  if (t === '' ) return () => true;
  if (/^\*+$/.test(t)) return () => true;
  const parts = t.split('*');
  const needLeft = parts[0] !== '' && !isBreaker(parts[0]!.charCodeAt(0));
  const lastPart = parts[parts.length - 1]!;
  const needRight = lastPart !== '' && !isBreaker(lastPart.charCodeAt(lastPart.length - 1));
  const segs = parts.filter((p) => p !== '');
  const leftOk = (hay: string, at: number) => !needLeft || at === 0 || isBreaker(hay.charCodeAt(at - 1));
  const rightOk = (hay: string, end: number) => !needRight || end === hay.length || isBreaker(hay.charCodeAt(end));
  if (segs.length === 1) {
    const s = segs[0]!;
    return (hay) => {
      for (let at = hay.indexOf(s); at >= 0; at = hay.indexOf(s, at + 1)) {
        if (leftOk(hay, at) && rightOk(hay, at + s.length)) return true;
      }
      return false;
    };
  }
  return (hay) => {
    // The leftmost valid start leaves the most room for the rest, so one start suffices.
    let at = hay.indexOf(segs[0]!);
    while (at >= 0 && !leftOk(hay, at)) at = hay.indexOf(segs[0]!, at + 1);
    if (at < 0) return false;
    let pos = at + segs[0]!.length;
    for (let k = 1; k < segs.length - 1; k++) {
      const i = hay.indexOf(segs[k]!, pos);
      if (i < 0) return false;
      pos = i + segs[k]!.length;
    }
    const last = segs[segs.length - 1]!;
    for (let i = hay.indexOf(last, pos); i >= 0; i = hay.indexOf(last, i + 1)) {
      if (rightOk(hay, i + last.length)) return true;
    }
    return false;
  };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Several plain terms at once ("panic:" OR "fatal error:" OR ...): one scan of the lower-cased text finds
 * every place where any of them starts, instead of one search per term, and the token-boundary rule is
 * checked at each such place for every term that starts there, so the answer is the OR of the terms' own
 * tests. The pattern is literals joined by |: no backtracking beyond trying each literal at a position.
 */
export function anyTermScan(texts: string[]): (hay: string) => boolean {
  const lits = [...new Set(texts.map((t) => t.toLowerCase()))];
  const terms = lits.map((l) => ({ l, left: !isBreaker(l.charCodeAt(0)), right: !isBreaker(l.charCodeAt(l.length - 1)) }));
  const re = new RegExp(lits.map(escapeRegExp).join('|'), 'g');
  return (hay: string): boolean => {
    re.lastIndex = 0;
    for (let m = re.exec(hay); m !== null; m = re.exec(hay)) {
      const at = m.index;
      for (const t of terms) {
        if (!hay.startsWith(t.l, at)) continue;
        const end = at + t.l.length;
        if ((!t.left || at === 0 || isBreaker(hay.charCodeAt(at - 1))) && (!t.right || end === hay.length || isBreaker(hay.charCodeAt(end)))) return true;
      }
      re.lastIndex = at + 1;
    }
    return false;
  };
}

/** A test of whether a value, lower-cased, holds any of these plain terms at token boundaries. */
export function termsInValue(texts: string[]): (value: string) => boolean {
  const scan = texts.length === 1 ? compileTerm(texts[0]!) : anyTermScan(texts);
  return (value) => scan(value.toLowerCase());
}
