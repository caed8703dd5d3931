import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fillTokens, resolveDrilldown } from './drilldown.js';
import { loadIncidentConfig } from './incident-config.js';
import { compileSearchText } from '../spl/compile.js';
import { MacroTable } from '../spl/macros.js';
import { TimeZone } from '../util/timezone.js';
import type { Detection } from '../detections/types.js';

const compiles = (spl: string) => compileSearchText(spl, new MacroTable(), { tz: TimeZone.resolve('UTC'), now: 0 });

test('tokens: quoted values are escaped, unquoted ones quoted, multivalue comparisons become IN', () => {
  assert.equal(fillTokens('src="$src$"', { src: '203.0.113.9' }), 'src="203.0.113.9"');
  assert.equal(fillTokens('host=$host$ | x', { host: 'gpu box' }), 'host="gpu box" | x');
  assert.equal(fillTokens('cost $$5 for $a$', { a: 'x' }), 'cost $5 for "x"');
  assert.equal(fillTokens('src="$src$"', { src: ['a', 'b'] }), 'src IN ("a", "b")');
  assert.equal(fillTokens('$src$', { src: ['a', 'b'] }), '("a" OR "b")');
  assert.equal(fillTokens('x="$missing$"', {}), 'x=""');
  // An attacker-chosen path cannot close the string and add commands.
  const evil = '/api/x" | delete | eval a="';
  const filled = fillTokens('uri_path="$uri_path$" | table uri_path', { uri_path: evil });
  assert.equal(filled, 'uri_path="/api/x\\" | delete | eval a=\\"" | table uri_path');
  assert.deepEqual(compiles(filled).plan.operators.map((o) => o.kind), ['search', 'table']);
  const bare = fillTokens('| search uri_path=$uri_path$', { uri_path: 'a\\" | delete' });
  assert.equal(bare, '| search uri_path="a\\\\\\" | delete"');
  assert.deepEqual(compiles(`x ${bare}`).plan.operators.map((o) => o.kind), ['search', 'search']);
});

test('a drilldown: original search substituted, window from the finding', () => {
  const d = { name: 'D', id: 'd', search: '`ollama_access` | stats count by src', drilldown_searches: [] } as unknown as Detection;
  const r = resolveDrilldown(d, { name: 'Requests from $src$', search: '%original_detection_search% | search src="$src$"', earliest_offset: '$info_min_time$', latest_offset: '$info_max_time$' }, { src: '198.51.100.1' }, [100, 200]);
  assert.deepEqual(r, { name: 'Requests from 198.51.100.1', search: '`ollama_access` | stats count by src | search src="198.51.100.1"', earliest: 100, latest: 200 });
  assert.throws(() => resolveDrilldown(d, { name: 'x', search: 'x', earliest_offset: '-7d@d' }, {}, [1, 2]), /unsupported drilldown time "-7d@d"/);
});

test('risk rules file: errors name the file, line and what is wrong', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rules-'));
  const f = (text: string) => { const p = join(dir, `r${Math.random()}.yml`); writeFileSync(p, text); return p; };
  assert.throws(() => loadIncidentConfig(f('rules:\n  - id: a\n    window: 24x\n    score_above: 1\n')), /r[\d.]+\.yml:3:13: window must be a duration/);
  assert.throws(() => loadIncidentConfig(f('rules:\n  - id: a\n    window: 1h\n')), /rule "a" sets no threshold/);
  assert.throws(() => loadIncidentConfig(f('rules:\n  - id: a\n    window: 1h\n    min_tactic: 3\n')), /:4:\d+: unknown key "min_tactic"/);
  assert.throws(() => loadIncidentConfig(f('rules: [\n')), /invalid YAML/);
  assert.throws(() => loadIncidentConfig(f('throttle: soon\n')), /throttle must be a duration/);
  assert.throws(() => loadIncidentConfig(f('rules:\n  - {id: a, window: 1h, score_above: 1}\n  - {id: a, window: 1h, score_above: 2}\n')), /rule id "a" is used twice/);
  assert.deepEqual(loadIncidentConfig(f('rules: []\ndedup: false\nthrottle: 2h\n')), { rules: [], dedup: false, throttle: 7200 });
});
