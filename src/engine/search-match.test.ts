import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anyTermPredicate, compileGlob, compileSearch, foldsTo, lowersTo } from './search-match.js';

test('lowersTo agrees with toLowerCase() === lower, ASCII or not', () => {
  const pairs: Array<[string, string]> = [['/API/Chat', '/api/chat'], ['/api/chat', '/api/tags'], ['ABC', 'abc'], ['abc', 'ABC'.toLowerCase()],
    ['[', '{'], ['@', '`'], ['Z', 'z'], ['z', 'Z'], ['İ', 'i̇'], ['K', 'k'], ['É', 'é'], ['é', 'É'], ['ß', 'ß'], ['ÀB', 'àb'], ['aÀ', 'aà'], ['', '']];
  for (const [v, l] of pairs) if (v.length === l.length) assert.equal(lowersTo(v, l), v.toLowerCase() === l, `${v} ${l}`);
  const alphabet = 'aAzZ@[`{/_0é';
  let seed = 3;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (let k = 0; k < 20000; k++) {
    let v = '', w = '';
    const len = 1 + rnd(5);
    for (let i = 0; i < len; i++) { v += alphabet[rnd(alphabet.length)]; w += alphabet[rnd(alphabet.length)]; }
    const l = w.toLowerCase();
    if (l.length === v.length) assert.equal(lowersTo(v, l), v.toLowerCase() === l, `${v} ${l}`);
    assert.equal(lowersTo(v, v.toLowerCase()), true);
  }
});

test('a glob matches as the lower-cased value against the lower-cased pattern, ASCII or not', () => {
  // The reference: both lower-cased, `*` as any run of characters, anchored at both ends.
  const reference = (pattern: string, value: string) => {
    const body = pattern.toLowerCase().split('*').map((x) => x.replace(/[\\^$.|?+()[\]{}]/g, '\\$&')).join('[^]*');
    return new RegExp(`^${body}$`).test(value.toLowerCase());
  };
  const fixed: Array<[string, string, boolean]> = [
    ['/api/blobs/*', '/API/Blobs/sha256-AB', true], ['/api/blobs/*', '/api/blob', false], ['*failed*', 'Request FAILED: x', true],
    ['*dial tcp*', 'dial', false], ['a*b*a', 'aba', true], ['a*b*a', 'ab', false], ['*İ*', 'xi̇y', true], ['İ*', 'İx', true],
    ['*x', 'İx', true], ['i̇*', 'İ', true], ['*é*', 'CAFÉ', true], ['ab*', 'Ab', true], ['*', '', true], ['a**b', 'AB', true],
  ];
  for (const [pat, v, want] of fixed) {
    assert.equal(compileGlob(pat)(v), want, `${pat} ${v}`);
    assert.equal(reference(pat, v), want, `reference: ${pat} ${v}`);
  }
  const alphabet = ['a', 'A', 'b', 'B', 'z', 'Z', '@', '[', '`', '{', '/', '.', 'İ', 'i', 'é', 'É', 'ß', '\u0307'];
  let seed = 11;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const word = (max: number, star: boolean) => {
    let w = '';
    const len = rnd(max + 1);
    for (let i = 0; i < len; i++) w += star && rnd(4) === 0 ? '*' : alphabet[rnd(alphabet.length)];
    return w;
  };
  let hits = 0;
  for (let k = 0; k < 3000; k++) {
    const pat = word(6, true);
    const glob = compileGlob(pat);
    for (let j = 0; j < 10; j++) {
      const v = rnd(3) === 0 ? word(3, false) + pat.replace(/\*/g, () => word(2, false)).toUpperCase() + word(2, false) : word(8, false);
      const want = reference(pat, v);
      if (want) hits++;
      assert.equal(glob(v), want, `${JSON.stringify(pat)} ${JSON.stringify(v)}`);
    }
  }
  assert.ok(hits > 2000, `too few matches to mean anything: ${hits}`);
});

test('terms listed with OR, looked for in one scan, match exactly where one of them alone would', () => {
  const lists = [
    ['panic:', 'fatal error:', 'panic recovered'],
    ['exit', 'exit code', 'xit', 'it c'],
    ['/api/generate', '/v1/chat/completions'],
    ['a.b', 'a', 'b', '[gin]', 'İx'],
    ['out of memory', 'OOM', 'runtime oom'],
  ];
  const bits = ['panic', ':', ' ', 'fatal', 'error', 'recovered', 'exit', 'code', 'x', 'it', '/api/', 'generate', '/v1/chat/completions', 'a', '.', 'b',
    '[GIN]', 'İ', 'ı', 'OOM', 'out of memory', 'runtime', '_', '-', '\u0000', 'é', '"', 'z'];
  let seed = 0x9e3779b9;
  const rand = (n: number) => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n; };
  for (const texts of lists) {
    const any = anyTermPredicate(texts);
    const alone = texts.map((t) => compileSearch({ kind: 'term', text: t, quoted: true, span: { start: 0, end: 0 } }));
    let hits = 0;
    const pieces = [...bits, ...texts, ...texts.map((t) => t.toUpperCase())];
    for (let i = 0; i < 4000; i++) {
      let raw = '';
      for (let k = rand(8); k >= 0; k--) raw += pieces[rand(pieces.length)];
      const want = alone.some((p) => p({ _raw: raw }));
      if (want) hits++;
      assert.equal(any({ _raw: raw }), want, `${JSON.stringify(texts)} in ${JSON.stringify(raw)}`);
      // Rows without _raw (after stats) test every field's value, as a single term does.
      assert.equal(any({ f: raw }), alone.some((p) => p({ f: raw })));
    }
    assert.ok(hits > 100 && hits < 3900, `${hits} hits for ${texts}`);
  }
  // In a search, OR'ed terms and other tests mix.
  const p = compileSearch({ kind: 'or', items: [{ kind: 'term', text: 'crash', quoted: false, span: { start: 0, end: 0 } }, { kind: 'compare', field: 'status', op: '=', value: '500', span: { start: 0, end: 0 } }, { kind: 'term', text: 'killed', quoted: false, span: { start: 0, end: 0 } }] });
  assert.equal(p({ _raw: 'runner was KILLED', status: 200 }), true);
  assert.equal(p({ _raw: 'all fine', status: 500 }), true);
  assert.equal(p({ _raw: 'crashed', status: 200 }), false);
});

test('field=value ignores case even where lower-casing changes the value\'s length (İ is i and a combining dot)', () => {
  const span = { start: 0, end: 0 };
  const eq = (value: string, f: string) => compileSearch({ kind: 'compare', field: 'f', op: '=', value, span })({ f });
  assert.equal(eq('İx', 'İX'), true);
  assert.equal(eq('i̇x', 'İX'), true);
  assert.equal(eq('ix', 'İX'), false);
  assert.equal(compileSearch({ kind: 'in', field: 'f', values: ['/api/x', 'İx'], span })({ f: 'İX' }), true);
  for (const [v, l] of [['İX', 'i̇x'], ['AB', 'ab'], ['AB', 'abc'], ['ß', 'ß'], ['Straße', 'straße'], ['', ''], ['İ', 'i'], ['K', 'k'], ['Σ', 'σ']] as const) assert.equal(foldsTo(v, l), v.toLowerCase() === l, `${v} ${l}`);
  // Against toLowerCase on random strings of letters whose lower case is another length, another script or ASCII.
  const alphabet = ['a', 'A', 'İ', 'i', '\u0307', 'K', 'k', 'ß', 'Σ', 'σ', 'ς', 'é', 'É', '-'];
  let seed = 0x2545f491;
  const rand = (n: number) => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n; };
  for (let k = 0; k < 20000; k++) {
    let v = '', w = '';
    for (let i = rand(4); i >= 0; i--) v += alphabet[rand(alphabet.length)];
    for (let i = rand(5); i >= 0; i--) w += alphabet[rand(alphabet.length)];
    const l = rand(2) ? v.toLowerCase() : w.toLowerCase();
    assert.equal(foldsTo(v, l), v.toLowerCase() === l, `${JSON.stringify(v)} ${JSON.stringify(l)}`);
  }
});

test('AND and OR test their cheapest operands first, with the answer of the written order', () => {
  const span = { start: 0, end: 0 };
  type E = Parameters<typeof compileSearch>[0] & object;
  const term = (text: string): E => ({ kind: 'term', text, quoted: false, span });
  const cmp = (field: string, value: string, op: '=' | '!=' | '>' = '='): E => ({ kind: 'compare', field, op, value, span });
  // A field test that settles the OR leaves the line unread.
  let reads = 0;
  const row = { status: 500, get _raw() { reads++; return 'runner crashed'; } };
  assert.equal(compileSearch({ kind: 'or', items: [term('crashed'), term('killed'), cmp('status', '500')] })(row), true);
  assert.equal(compileSearch({ kind: 'and', items: [term('crashed'), cmp('status', '404')] })(row), false);
  assert.equal(reads, 0);
  // Random expressions: the compiled filter against the operands evaluated one by one in written order.
  let seed = 11;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const leaves = (): E => [term('GET'), term('/api/tags'), term('oom'), cmp('status', '200'), cmp('status', '500', '!='), cmp('src', '10.*'),
    cmp('status', '300', '>'), { kind: 'in', field: 'uri_path', values: ['/api/tags', '/api/ps'], span } as E][rnd(8)]!;
  const gen = (depth: number): E => {
    if (depth === 0 || rnd(3) === 0) return leaves();
    const k = rnd(3);
    if (k === 2) return { kind: 'not', item: gen(depth - 1), span } as E;
    return { kind: k === 0 ? 'and' : 'or', items: Array.from({ length: 2 + rnd(3) }, () => gen(depth - 1)), span } as E;
  };
  const naive = (e: E, r: Record<string, string | number>): boolean =>
    e.kind === 'and' ? e.items.every((x) => naive(x as E, r)) : e.kind === 'or' ? e.items.some((x) => naive(x as E, r))
      : e.kind === 'not' ? !naive(e.item as E, r) : compileSearch(e)(r);
  const rows = [
    { _raw: '[GIN] | 200 | 10.0.0.1 | GET "/api/tags"', status: 200, src: '10.0.0.1', uri_path: '/api/tags' },
    { _raw: 'runtime OOM', status: 500, src: '8.8.8.8', uri_path: '/api/ps' },
    { _raw: 'POST /api/chat', status: 404, src: '10.1.1.1', uri_path: '/api/chat' },
  ];
  for (let i = 0; i < 3000; i++) {
    const e = gen(3);
    const p = compileSearch(e);
    for (const r of rows) assert.equal(p({ ...r }), naive(e, r), JSON.stringify(e));
  }
});
