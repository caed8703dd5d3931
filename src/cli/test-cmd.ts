// `ollama-sentinel test [NAME…]`: runs detections' tests and writes a JSON report.
import { writeFileSync } from 'node:fs';
import { parse, UsageError } from './options.js';
import { loadContent } from './content.js';
import type { Io } from './io.js';
import { findDetection } from '../detections/select.js';
import { runDetectionTests, TestDefinitionError, type TestResult } from '../detections/testing.js';
import { safeJson, terminalSafe } from '../outputs/sanitize.js';

export const TEST_HELP = `Usage: ollama-sentinel test [NAME…] [--report FILE] [--detections DIR] [--macros FILE] [--tuning FILE]

Runs each detection's tests: its datasets with the exact alerts expected (count, key fields, rendered risk
message) and the benign ones where it must stay silent. Time zone and clock are pinned per test (UTC and
2025-06-17T00:00:00Z unless the test says otherwise). With no NAME, every detection is tested.

Options:
  --report FILE      where to write the JSON report (default test-report.json; "-" for none)
  --verbose          also print the actual alerts of failing tests

Exit status: 0 all passed, 1 a test failed, 2 usage or content error.
`;

export async function testCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    report: { type: 'string' }, detections: { type: 'string', multiple: true }, macros: { type: 'string', multiple: true },
    tuning: { type: 'string' }, verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  });
  if (values.help) { io.out(TEST_HELP); return 0; }
  const content = loadContent(values.detections ?? [], values.macros ?? [], values.tuning);
  const chosen = positionals.length
    ? positionals.map((n) => { const d = findDetection(content.detections, n); if (!d) throw new UsageError(`no detection named "${n}"`); return d; })
    : content.detections;
  const results: TestResult[] = [];
  for (const d of chosen) {
    let rs: TestResult[];
    try { rs = await runDetectionTests(d, content.macros); } catch (e) {
      if (e instanceof TestDefinitionError) throw new UsageError(e.message);
      throw e;
    }
    if (rs.length === 0) rs = [{ detection: d.name, test: '(none)', dataset: '', status: 'fail', failures: ['the detection has no tests'], actual: [] }];
    for (const r of rs) {
      const mark = r.status === 'pass' ? 'ok  ' : r.status === 'skip' ? 'skip' : 'FAIL';
      io.out(terminalSafe(`${mark} ${d.name} :: ${r.test}${r.status === 'pass' ? ` (${r.actual_count} alert${r.actual_count === 1 ? '' : 's'})` : ''}`) + '\n');
      if (r.status === 'fail') {
        for (const f of r.failures) io.out(terminalSafe(`     ${f}`).replace(/\\n/g, '\n') + '\n');
        if (values.verbose) io.out(terminalSafe(safeJson(r.actual, 2)).replace(/\\n/g, '\n') + '\n');
      }
    }
    results.push(...rs);
  }
  const count = (s: string) => results.filter((r) => r.status === s).length;
  const summary = { detections: chosen.length, tests: results.length, passed: count('pass'), failed: count('fail'), skipped: count('skip') };
  io.out(`${summary.detections} detections, ${summary.tests} tests: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped\n`);
  const report = values.report ?? 'test-report.json';
  if (report !== '-') {
    writeFileSync(report, safeJson({ summary, clock: 'pinned per test', results }, 2) + '\n');
    io.err(`report written to ${report}\n`);
  }
  return summary.failed > 0 ? 1 : 0;
}
