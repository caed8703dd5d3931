// Detection tests: each detection's YAML lists datasets with the exact alerts expected on them (count, key
// fields, rendered risk message), or silence. Tests run with a pinned clock and time zone so results never
// depend on the machine. Splunk contentctl tests (attack_data URLs, no expectations) are reported as skipped.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Detection } from './types.js';
import { PACKAGE_ROOT } from './loader.js';
import type { MacroTable } from '../spl/macros.js';
import { compileSearchText, SearchCompileError } from '../spl/compile.js';
import { runJobs } from '../engine/runner.js';
import { fileSource } from '../input/sources.js';
import { TimeZone } from '../util/timezone.js';
import { valuesOf, scalarToString, type Row, type Value } from '../engine/value.js';
import { renderMessage } from '../risk/message.js';

/** The clock every test runs at unless it names its own: after the datasets' day. */
export const PINNED_NOW = Date.UTC(2025, 5, 17) / 1000;
export const DEFAULT_TEST_TZ = 'UTC';
export const DEFAULT_TEST_HOST = 'gpu-box-01';

export interface ExpectedAlert { [field: string]: unknown; message?: string }

export interface DetectionTest {
  name: string;
  dataset: string;
  tz: string;
  host: string;
  now: number;
  count: number;
  alerts: ExpectedAlert[];
}

export interface TestResult {
  detection: string;
  test: string;
  dataset: string;
  status: 'pass' | 'fail' | 'skip';
  expected_count?: number;
  actual_count?: number;
  failures: string[];
  actual: Array<Record<string, unknown>>;
}

export class TestDefinitionError extends Error {}

/** Reads the tests of a detection; returns undefined for a Splunk contentctl test (no expectations). */
export function parseTests(d: Detection): Array<DetectionTest | { skip: string; name: string }> {
  return d.tests.map((raw, i) => {
    const t = (raw ?? {}) as Record<string, unknown>;
    const name = typeof t.name === 'string' ? t.name : `test ${i + 1}`;
    if (t.expect === undefined) return { skip: 'Splunk attack_data test without expectations', name };
    if (typeof t.dataset !== 'string') throw new TestDefinitionError(`${d.file}: test "${name}" needs a dataset`);
    const e = t.expect as Record<string, unknown>;
    const count = Number(e?.count);
    if (!e || typeof e !== 'object' || !Number.isInteger(count) || count < 0) throw new TestDefinitionError(`${d.file}: test "${name}": expect.count must be a whole number`);
    const alerts = Array.isArray(e.alerts) ? (e.alerts as ExpectedAlert[]) : [];
    if (alerts.length > count) throw new TestDefinitionError(`${d.file}: test "${name}" lists ${alerts.length} alerts but expects ${count}`);
    const now = t.now === undefined ? PINNED_NOW : Date.parse(String(t.now)) / 1000;
    if (!Number.isFinite(now)) throw new TestDefinitionError(`${d.file}: test "${name}": now must be an ISO time`);
    return { name, dataset: resolveDataset(d, t.dataset), tz: typeof t.tz === 'string' ? t.tz : DEFAULT_TEST_TZ, host: typeof t.host === 'string' ? t.host : DEFAULT_TEST_HOST, now, count, alerts };
  });
}

function resolveDataset(d: Detection, p: string): string {
  if (isAbsolute(p)) return p;
  const beside = join(dirname(d.file), p);
  return existsSync(beside) ? beside : join(PACKAGE_ROOT, p);
}

const show = (v: Value | undefined): unknown => (v === undefined ? null : Array.isArray(v) ? v.map(scalarToString) : scalarToString(v));

function sameValue(expected: unknown, actual: Value | undefined): boolean {
  if (expected === null) return actual === undefined;
  const want = (Array.isArray(expected) ? expected : [expected]).map(String);
  const got = valuesOf(actual).map(scalarToString);
  return want.length === got.length && want.every((w, i) => w === got[i]);
}

/** Compares result rows with the expectation; returns the differences, one sentence each. */
export function compareAlerts(d: Detection, t: DetectionTest, rows: Row[]): string[] {
  const out: string[] = [];
  if (rows.length !== t.count) out.push(`expected ${t.count} alert${t.count === 1 ? '' : 's'}, got ${rows.length}`);
  t.alerts.forEach((exp, i) => {
    const row = rows[i];
    if (!row) { out.push(`alert ${i + 1}: missing`); return; }
    for (const [k, v] of Object.entries(exp)) {
      if (k === 'message') {
        const got = d.rba ? renderMessage(d.rba.message, row) : '';
        if (got !== String(v).trim()) out.push(`alert ${i + 1}: message differs\n      expected: ${String(v).trim()}\n      actual:   ${got}`);
      } else if (!sameValue(v, row[k])) {
        out.push(`alert ${i + 1}: ${k} expected ${JSON.stringify(v)}, got ${JSON.stringify(show(row[k]))}`);
      }
    }
  });
  return out;
}

export async function runDetectionTests(d: Detection, macros: MacroTable): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const t of parseTests(d)) {
    if ('skip' in t) { results.push({ detection: d.name, test: t.name, dataset: '', status: 'skip', failures: [t.skip], actual: [] }); continue; }
    const base = { detection: d.name, test: t.name, dataset: t.dataset, expected_count: t.count };
    if (!existsSync(t.dataset)) { results.push({ ...base, status: 'fail', failures: [`dataset ${t.dataset} not found`], actual: [] }); continue; }
    const tz = TimeZone.resolve(t.tz);
    let rows: Row[];
    try {
      const { plan, expanded } = compileSearchText(d.search, macros, { tz, now: t.now });
      const res = await runJobs([fileSource(t.dataset)], [{ key: d.name, plan, expanded }], { tz, now: t.now, host: t.host });
      const failure = res.failures.get(d.name);
      if (failure) { results.push({ ...base, status: 'fail', failures: [`search failed: ${failure}`], actual: [] }); continue; }
      rows = res.rows.get(d.name) ?? [];
    } catch (e) {
      const msg = e instanceof SearchCompileError ? e.detail : (e as Error).message;
      results.push({ ...base, status: 'fail', failures: [`search does not compile: ${msg}`], actual: [] });
      continue;
    }
    const failures = compareAlerts(d, t, rows);
    const actual = rows.map((r) => {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r)) o[k] = show(v);
      if (d.rba) o.message = renderMessage(d.rba.message, r);
      return o;
    });
    results.push({ ...base, actual_count: rows.length, status: failures.length ? 'fail' : 'pass', failures, actual });
  }
  return results;
}
