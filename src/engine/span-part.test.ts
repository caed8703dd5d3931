// The loop a latency part becomes gives the regular expression's answer on any span, or leaves it to the
// expression; parts a loop could get wrong are not made loops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partMatcher, UNDECIDED, type PartMatch } from './span-part.js';
import { Rng } from '../sim/rng.js';

/** The expression's answer: the part followed by a bar, matched at `at`. */
function byRegex(src: string, flags: string, raw: string, at: number): Array<string | undefined> | null {
  const re = new RegExp(`(?:${src})\\|`, flags + 'y');
  re.lastIndex = at;
  const m = re.exec(raw);
  return m === null ? null : ['', ...m.slice(1)];
}

// Splunk's latency parts (exfiltration, prompt injection), and others with optional sets, captures of several
// sets, a dot, a negated class, a case-insensitive one.
const PARTS: Array<[string, string]> = [
  ['\\s+([\\d\\.]+)s\\s+', ''],
  ['\\s+([\\d\\.]+[a-z]+)\\s+', ''],
  [' *([0-9]+\\.?)([a-zµ]*) *', ''],
  ['\\s+([\\d.]+)(m?)s\\s+', ''],
  [' +([ms]S?)x? +', 'i'],
  ['[ ]+([^ |]+) *', ''],
  [' +([^ ])[^ |.]* *', ''],
];

test('a latency part as a loop finds what its expression finds, or leaves the span to it', () => {
  const rng = new Rng(7);
  const alphabet = [' ', ' ', ' ', '0', '1', '5', '9', '.', 's', 'm', 'µ', 'S', 'M', 'x', '|', 'a', 'z', '\t', '\u212a', 'ſ', '"'];
  for (const [src, flags] of PARTS) {
    const loop: PartMatch | undefined = partMatcher(src, flags);
    assert.ok(loop, `${src} is a run of sets`);
    let decided = 0;
    for (let n = 0; n < 20_000; n++) {
      let span = '';
      const len = rng.int(0, 16);
      for (let k = 0; k < len; k++) span += rng.pick(alphabet);
      const raw = `xx|${span}${rng.chance(0.8) ? '|' : ''}${rng.pick(['', ' a', '|b'])}`;
      const got: ReturnType<PartMatch> = loop!(raw, 3);
      if (got === UNDECIDED) continue;
      decided++;
      assert.deepEqual(got, byRegex(src, flags, raw, 3), `${src} on ${JSON.stringify(raw)}`);
    }
    assert.ok(decided > 10_000, `${src}: decided ${decided}`);
  }
  // Gin's own latencies, right-aligned.
  const exfil = partMatcher(PARTS[0]![0], '')!;
  for (const lat of ['8.310506395s', '967.824µs', '1m2.5s', '55.1s', '1.546566ms']) {
    const raw = `| 200 | ${lat.padStart(13)} |`;
    assert.deepEqual(exfil(raw, 7), byRegex(PARTS[0]![0], '', raw, 7), lat);
  }
});

test('a part whose repeated sets could give back characters to what follows is not a loop', () => {
  for (const src of ['\\s+(\\d+)\\d', '(\\w+)s', '\\s*\\s+', '(a|b)', '(a)+', 'a{2}', '\\s+?x', '((a))', 'a?a', '[ab]*b', '(?:a)', '[0-9]+\\.?[0-9]*']) {
    assert.equal(partMatcher(src, ''), undefined, src);
  }
  // The bar after the part: a repeated set with a bar in it could run past the span.
  assert.equal(partMatcher('[^ ]+', ''), undefined);
});
