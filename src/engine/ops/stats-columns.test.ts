// A stats whose gin lines are kept in columns (stats-columns.ts) gives the rows and warnings the stage gives
// every event itself, whatever comes between those lines: prefixed and late lines, lines of a later bin through
// the stage, clients too long for the byte reader's cache and clients sharing its slots, another host, more
// distinct values than a mask holds, a search's time range, a log with a gap of hours, a thread's next range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSearchText } from '../../spl/compile.js';
import { MacroTable } from '../../spl/macros.js';
import { GIN_EVENT_SHAPE, LineParser, PLAIN_GIN_SHAPE } from '../../parse/line-parser.js';
import { TimeZone } from '../../util/timezone.js';
import { Rng } from '../../sim/rng.js';
import { Pipeline } from '../pipeline.js';
import { BareGinColumns } from '../span-rex.js';
import type { Row } from '../value.js';
import type { StageContext } from '../stage.js';

const tz = TimeZone.resolve('UTC');
const NOW = Date.UTC(2025, 5, 20) / 1000;
const BASE = Date.UTC(2025, 5, 14) / 1000;

const plan = (spl: string) => compileSearchText(spl, new MacroTable(), { tz, now: NOW }).plan;

/** A gin line as Ollama writes it, its fields at gin's padded widths. */
function gin(t: number, status: number, client: string, method: string, path: string, prefix = ''): string {
  const d = new Date(t * 1000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} - ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  return `${prefix}[GIN] ${stamp} | ${status} | ${'1.5ms'.padStart(13)} | ${client.padStart(15)} | ${method.padEnd(7)}  "${path}"`;
}

/** The prefix journald puts before a line it got at `t`. */
function journald(t: number): string {
  const d = new Date(t * 1000);
  return `Jun ${d.getUTCDate()} ${d.toISOString().slice(11, 19)} gpu-box ollama[812]: `;
}

/**
 * Lines from a few hundred clients (some IPv6 longer than a cache slot), in time order with stragglers up to
 * two hours late, a burst of distinct statuses, lines behind a journald prefix, and a gap of three hours.
 */
function lines(seed: number): string[] {
  const rng = new Rng(seed);
  // Some IPv6 (longer than a slot of the byte reader's cache), and two that are one number as text: stats
  // keeps them apart and sorts them by the order their groups were made in.
  const clients = Array.from({ length: 300 }, (_, i) => (i % 10 === 9 ? `2001:db8:85a3::8a2e:370:${(0x7000 + i).toString(16)}` : i === 4 ? '7' : i === 5 ? '7.0' : `10.${i >> 8}.${i & 255}.${1 + (i % 7)}`));
  const methods = ['GET', 'POST', 'DELETE', 'HEAD'];
  const out: string[] = [];
  let t = BASE;
  for (let i = 0; i < 20_000; i++) {
    t += rng.int(0, 3);
    if (i === 12_000) t += 3 * 3600;
    let at = t;
    if (rng.int(0, 200) === 0) at -= rng.int(60, 7200);
    const status = i > 5_000 && i < 5_400 ? 100 + (i % 60) : [200, 404, 500][rng.int(0, 2)]!;
    const client = clients[Math.min(clients.length - 1, Math.floor(rng.int(0, clients.length) * rng.int(1, 3) / 2))]!;
    const prefix = rng.int(0, 50) === 0 ? journald(at) : '';
    out.push((rng.int(0, 400) === 0 ? STAGE : '') + gin(at, status, client, methods[rng.int(0, 3)]!, `/api/p${rng.int(0, 40)}`, prefix));
  }
  return out;
}

/** Marks a line the test hands to the stages, as the columns hand on one they do not take (a value past a mask, a prefixed line for a rex). */
const STAGE = '\u0000stage\u0000';

/** Rows and warnings of `spl` over `text`: every event through the stages, or as the runner hands bare lines on. */
function run(spl: string, text: string[][], columns: boolean, opts: { head?: boolean } = {}, hosts?: Array<string | undefined>): { rows: Row[]; warnings: string[]; taken: number; bins: unknown } {
  const warnings: string[] = [];
  const ctx: StageContext = { tz, now: NOW, warn: (m) => warnings.push(m) };
  const rows: Row[] = [];
  const bare = new BareGinColumns(1);
  const p = new Pipeline(plan(spl), { ctx, ...(opts.head ? { head: true } : { onRow: (r: Row) => rows.push(r) }), bareGin: bare });
  const plain = p.entryFor(PLAIN_GIN_SHAPE, true)!;
  const gin = p.entryFor(GIN_EVENT_SHAPE)!;
  // As the runner decides: plain lines when every plain line passes the search, other gin events when every
  // gin event does and no rex needs a bare line.
  const take = columns && p.residualFor(PLAIN_GIN_SHAPE) === true ? p.columns?.take : undefined;
  const ginTake = take && !p.columns!.needsBare && p.residualFor(GIN_EVENT_SHAPE) === true ? take : undefined;
  // Each source its own parser and host, as the runner reads them.
  text.forEach((source, k) => {
    const host = hosts ? hosts[k] : `host-${k}`;
    const parser = new LineParser({ tz, ...(host !== undefined ? { host } : {}), defaultHost: 'h', source: `s${k}`, fallbackMs: 0 });
    for (const text of source) {
      // A line marked STAGE goes through the stages whatever the columns would say: one they do not take.
      const forced = text.startsWith(STAGE);
      const line = forced ? text.slice(STAGE.length) : text;
      const b = Buffer.from(line);
      const ev = parser.parseBytes(b, 0, b.length);
      if (!parser.eventIsGin) { p.push(ev); continue; }
      bare.bare[0] = parser.bareGin ? 1 : 0;
      bare.client[0] = parser.ginClientSlot;
      bare.path[0] = parser.ginPathSlot;
      bare.at = 0;
      if (parser.plainGin) { if (forced || !take?.(ev, 0)) plain(ev); } else if (forced || !ginTake?.(ev, 0)) gin(ev);
    }
  });
  const out = p.end();
  return { rows: opts.head ? out : rows, warnings, taken: p.columns?.taken ?? 0, bins: p.binsSeen };
}

const SHAPES = [
  '"[GIN]" | bin _time span=5m | stats count as total, values(dest) as dest, values(http_method) as methods, values(status) as codes by _time, src, host | where total > 3',
  '* | bin _time span=1m | stats count, dc(status) as statuses, dc(uri_path) as paths by _time, src',
  'sourcetype=* | bin _time span=10m | stats count as n by _time, src, host',
  '"[GIN]" earliest=1749862800 latest=1749880800 | bin _time span=5m | stats count, values(status) as codes by _time, src, host',
  '* | bin _time span=5m | stats values(http_method) as m, count as c by _time, src, host | where c >= 2 | stats count by _time, host',
  // Splunk's Excessive API Requests: the client from a rex answered by the line's spans, through an eval's copy.
  '"GIN" | rex field=_raw "\\|\\s+(?<client_ip>\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})\\s+\\|" | eval src_ip=client_ip | bin _time span=5m | stats count as n, values(status) as s by _time, src_ip, host | where n > 3',
  '* | eval s=src, t=s | bin _time span=2m | stats dc(http_method) as m, count by _time, t',
  // A where on the client alone (per client slot), as Excessive API Requests From External Source has.
  'sourcetype=* | where isnotnull(src) AND NOT cidrmatch("10.0.0.0/20", src) | bin _time span=5m | stats count as n, dc(uri_path) as p, values(http_method) as m by _time, src, host | where n > 2',
  // A having test of distinct values, tried on the columns' groups before any is made.
  '* | bin _time span=5m | stats count as c, dc(status) as d, values(http_method) as m by _time, src, host | where d < 2 AND c > 1',
  // Fields an eval computes from one field of the line, as API Reconnaissance From External Source has: a
  // path or null, a 1 or 0 summed, and a having test that reads both.
  'sourcetype=* | where isnotnull(src) AND NOT cidrmatch("10.0.0.0/20", src) | eval recon=if(uri_path IN ("/api/p1", "/api/p2", "/api/p3", "/api/p4", "/api/p5"), uri_path, null()) | eval inf=if(match(uri_path, "p[6-9]$"), 1, 0) | bin _time span=1m | stats count as requests, dc(recon) as d, dc(uri_path) as paths, sum(inf) as infs, values(recon) as probed, values(status) as codes by _time, src, host | where (d >= 2 AND infs = 0) OR requests > 6',
  // Sums and averages of fractions (added in the order read), of a field and of what an eval made of another
  // (text on some values, which sum() passes over); a value an eval made, listed.
  '* | eval w=len(uri_path)/7, z=if(status=404, "x", status/3) | bin _time span=1m | stats sum(w) as sw, avg(z) as az, sum(status) as ss, avg(status) as as, values(z) as vz, count by _time, src, host',
];

test('a stats fed bare lines from columns gives the rows and warnings of every event through the stage', () => {
  const sources = [lines(1), lines(2).slice(0, 3_000)];
  for (const spl of SHAPES) {
    const want = run(spl, sources, false);
    const got = run(spl, sources, true);
    assert.ok(got.taken > 2_000, `${spl}: the columns took ${got.taken} lines`);
    assert.equal(want.taken, 0);
    assert.deepEqual(got.rows, want.rows, spl);
    assert.deepEqual(got.warnings, want.warnings, spl);
    assert.ok(want.rows.length > 0, spl);
  }
});

test('a range\'s head keeps in columns the rows a thread would hand on, with the same bins seen', () => {
  const spl = SHAPES[0]!;
  const sources = [lines(3)];
  const want = run(spl, sources, false, { head: true });
  const got = run(spl, sources, true, { head: true });
  assert.ok(got.taken > 10_000);
  assert.deepEqual(got.rows, want.rows);
  assert.deepEqual(got.bins, want.bins);
  assert.ok(want.bins !== undefined);
});

test('a line of a later bin through the stage holds the columns\' bin, whose later lines go to the stage, as do the lines of a bin the stage has seen', () => {
  const t0 = BASE + 600;
  const text = [[
    gin(t0, 200, '10.0.0.1', 'GET', '/a'),
    gin(t0 + 1, 200, '10.0.0.2', 'GET', '/a'),
    // Through the stage: a bin two hours on, so the first bin closes.
    STAGE + gin(t0 + 7200, 200, '10.0.0.1', 'GET', '/a'),
    gin(t0 + 2, 404, '10.0.0.1', 'GET', '/a'),
    gin(t0 + 7201, 500, '10.0.0.1', 'POST', '/b'),
  ]];
  const spl = '* | bin _time span=5m | stats count, values(status) as s by _time, src, host';
  const want = run(spl, text, false);
  const got = run(spl, text, true);
  assert.deepEqual(got.rows, want.rows);
  assert.deepEqual(got.warnings, want.warnings);
  assert.equal(want.warnings.length, 1, 'the late line is warned about');
  assert.equal(got.taken, 2, 'the bin the stage has seen is the stage\'s');
});

test('a client\'s lines of one bin on both sides are counted together by the having test', () => {
  const t0 = BASE + 1500;
  const text = [[
    gin(t0, 200, '10.0.0.1', 'GET', '/a'),
    gin(t0 + 1, 200, '10.0.0.1', 'GET', '/a'),
    gin(t0 + 2, 200, '10.0.0.2', 'GET', '/a'),
    gin(t0 + 3, 404, '10.0.0.2', 'GET', '/a'),
    // Through the stage, in the current bin: its groups are made the stage's, and its later lines are the stage's.
    STAGE + gin(t0 + 4, 200, '10.0.0.1', 'GET', '/a'),
    gin(t0 + 300, 200, '10.0.0.2', 'GET', '/a'),
    gin(t0 + 301, 200, '10.0.0.2', 'GET', '/a'),
    gin(t0 + 302, 200, '10.0.0.3', 'GET', '/a'),
    gin(t0 + 600, 200, '10.0.0.3', 'GET', '/a'),
    // Late, through the stage, for the bin held before the current one: that bin is made the stage's first.
    STAGE + gin(t0 + 303, 500, '10.0.0.2', 'GET', '/a'),
  ]];
  const spl = '* | bin _time span=5m | stats count as n, values(status) as s by _time, src, host | where n > 2';
  const want = run(spl, text, false);
  const got = run(spl, text, true);
  assert.deepEqual(got.rows, want.rows);
  assert.deepEqual(want.rows.map((r) => `${r.src}:${r.n}`), ['10.0.0.1:3', '10.0.0.2:3']);
  assert.equal(got.taken, 8);
});

test('clients equal as numbers keep the order their first lines made; another host in a new bin is the columns\', in the same bin the stage\'s', () => {
  const t0 = BASE + 900;
  const text = [[
    gin(t0, 200, '7', 'GET', '/a'),
    gin(t0 + 1, 200, '7.0', 'GET', '/a'),
    // Through the stage, in the columns' bin: the bin's groups become the stage's, and so do its later lines.
    STAGE + gin(t0 + 2, 404, '7', 'GET', '/a'),
    gin(t0 + 3, 200, '7', 'GET', '/b'),
  ], [
    gin(t0 + 301, 500, '7.0', 'POST', '/a'),
    gin(t0 + 302, 200, '7', 'GET', '/a'),
    gin(t0 + 303, 200, '7', 'GET', '/c'),
  ], [
    gin(t0 + 304, 200, '7', 'GET', '/a'),
    gin(t0 + 305, 200, '7.0', 'GET', '/a'),
    gin(t0 + 700, 200, '7', 'GET', '/a'),
  ]];
  const spl = '* | bin _time span=5m | stats count, values(status) as s, dc(uri_path) as p by _time, src, host';
  const want = run(spl, text, false);
  const got = run(spl, text, true);
  assert.deepEqual(got.rows, want.rows);
  assert.deepEqual(want.rows.map((r) => `${r.src}@${r.host}`), ['7@host-0', '7.0@host-0', '7.0@host-1', '7@host-1', '7@host-2', '7.0@host-2', '7@host-2']);
  assert.equal(got.taken, 6);
});

test('groups held in columns count among the open groups past which bins are passed on at once', () => {
  // 55,000 clients in two bins: more open groups than the stage keeps an hour, so the third bin's first line
  // passes the first two on at once, with the warning, as the stage does alone.
  const t0 = BASE + 1200;
  const client = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const text = [[
    ...Array.from({ length: 30_000 }, (_, i) => gin(t0 + Math.floor(i / 200), 200, client(i), 'GET', '/a')),
    ...Array.from({ length: 25_000 }, (_, i) => gin(t0 + 300 + Math.floor(i / 200), 200, client(100_000 + i), 'GET', '/a')),
    gin(t0 + 600, 200, client(7), 'GET', '/a'),
    gin(t0 + 601, 200, client(8), 'GET', '/a', journald(t0 + 601)),
    gin(t0 + 10, 200, client(9), 'GET', '/a', journald(t0 + 10)),
  ]];
  const spl = '* | bin _time span=5m | stats count by _time, src, host | where count > 0 | stats count by _time';
  const want = run(spl, text, false);
  const got = run(spl, text, true);
  assert.deepEqual(got.rows, want.rows);
  assert.deepEqual(got.warnings, want.warnings);
  assert.equal(want.warnings.length, 2, 'crowded, then the late line');
  assert.ok(got.taken > 50_000);
});

test('a journald log\'s gin lines, behind their prefix and of the host it names, are taken as bare ones are', () => {
  const spl = SHAPES[0]!;
  const text = [lines(4).map((l) => (l.startsWith('[GIN]') ? journald(BASE) + l : l))];
  const want = run(spl, text, false, {}, [undefined]);
  const got = run(spl, text, true, {}, [undefined]);
  assert.ok(got.taken > 15_000, `the columns took ${got.taken} lines`);
  assert.deepEqual(got.rows, want.rows);
  assert.deepEqual(got.warnings, want.warnings);
  assert.equal(want.rows[0]?.host, 'gpu-box');
  // Splunk's Excessive API Requests reads the client with a rex, answered from a bare line's spans only.
  const rex = run(SHAPES[5]!, text, true, {}, [undefined]);
  assert.equal(rex.taken, 0);
  assert.deepEqual(rex.rows, run(SHAPES[5]!, text, false, {}, [undefined]).rows);
});

test('only a stats by binned _time and src (and host) with counts and distinct values keeps columns', () => {
  const fits = (spl: string) => {
    const p = new Pipeline(plan(`* | ${spl}`), { ctx: { tz, now: NOW, warn: () => {} }, bareGin: new BareGinColumns(1) });
    return p.columns !== undefined;
  };
  assert.equal(fits('bin _time span=5m | stats count, values(status) as s, dc(uri_path) as d by _time, src, host'), true);
  assert.equal(fits('bin _time span=5m | stats count by _time, src'), true);
  assert.equal(fits('bin _time span=5m | stats count by _time, host'), false, 'not by client');
  assert.equal(fits('bin _time span=5m | stats count by _time, src, uri_path'), false, 'another by-field');
  assert.equal(fits('bin _time span=5m | stats sum(response_time_ms) as s, avg(status) as a by _time, src'), true, 'sums and averages');
  assert.equal(fits('bin _time span=5m | stats max(status) as s by _time, src'), false, 'a maximum');
  assert.equal(fits('bin _time span=5m | stats count(status) as c by _time, src'), false, 'a count of a field');
  assert.equal(fits('bin _time span=1d | stats count by _time, src'), false, 'a span of days');
  assert.equal(fits('stats count by _time, src'), false, 'no bin');
  assert.equal(fits('bin _time span=5m | eval x=1 | stats count by _time, src'), false, 'an eval that computes');
  assert.equal(fits('eval s=src | bin _time span=5m | stats count, values(m) as m by _time, s'), true, 'a copy of the client');
  assert.equal(fits('eval m=http_method | bin _time span=5m | stats values(m) as m by _time, src'), false, 'a value an eval wrote');
  assert.equal(fits('eval x=if(match(uri_path, "a"), 1, 0), y=lower(uri_path) | bin _time span=5m | stats sum(x) as x, values(y) as y by _time, src'), true, 'values computed from one field');
  assert.equal(fits('eval x=status + len(uri_path) | bin _time span=5m | stats sum(x) as x by _time, src'), false, 'a value computed from two fields');
  assert.equal(fits('eval p=uri_path | eval x=len(p) | bin _time span=5m | stats sum(x) as x by _time, src'), false, 'a value computed from a field an eval wrote');
  assert.equal(fits('eval x=len(uri_path), y=x | bin _time span=5m | stats values(y) as y by _time, src'), false, 'a copy of a computed value');
  assert.equal(fits('eval x=len(uri_path), x=len(status) | bin _time span=5m | stats values(x) as y by _time, src'), false, 'a field computed twice');
  assert.equal(fits('eval s=lower(src) | bin _time span=5m | stats count by _time, s'), false, 'a client computed');
  assert.equal(fits('where status=200 | bin _time span=5m | stats count by _time, src'), false, 'a where on another field');
  assert.equal(fits('where cidrmatch("10.0.0.0/8", src) | bin _time span=5m | stats count by _time, src'), true, 'a where on the client');
  assert.equal(fits('where cidrmatch("10.0.0.0/8", src) AND status=200 | bin _time span=5m | stats count by _time, src'), false, 'a where on the client and another field');
  const rex = (spl: string) => `rex field=_raw "\\|\\s+(?<ip>[\\d\\.]+)\\s+\\|" | ${spl}`;
  assert.equal(fits(rex('eval s=ip | bin _time span=5m | stats count by _time, s, host')), true, 'the client from a rex');
  assert.equal(fits(rex('bin _time span=5m | stats count, values(ip) as ips by _time, src')), false, 'a value the rex sets');
  assert.equal(fits(rex('bin _time span=5m | stats count by _time, src')), true, 'a rex nothing reads');
});

test('a value an eval may not store leaves its line to the stage, whose error is the search\'s', () => {
  const spl = '* | eval b=(uri_path="/b") | bin _time span=1m | stats values(b) as b, count by _time, src';
  const t0 = BASE + 60;
  const sources = [[gin(t0, 200, '10.0.0.1', 'GET', '/a'), gin(t0 + 1, 200, '10.0.0.1', 'GET', '/b'), gin(t0 + 2, 200, '10.0.0.2', 'GET', '/a')]];
  const error = (columns: boolean) => {
    try { run(spl, sources, columns); return 'none'; } catch (e) { return (e as Error).message; }
  };
  assert.match(error(false), /true\/false/);
  assert.equal(error(true), error(false));
});
