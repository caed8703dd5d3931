// Risk events written a detection at a time read exactly as the whole list rendered at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RiskEventWriter, riskEventToJson } from './rows.js';
import type { RiskEvent } from '../risk/risk-events.js';

const ev = (i: number, over: Partial<RiskEvent> = {}): RiskEvent => ({
  _time: 1750000000 + i, detection: `Det ${i % 2}`, detection_id: `id-${i % 2}`, risk_object: `10.0.0.${i}`,
  risk_object_field: 'src', risk_object_type: 'system', risk_score: 10 * i, threat_objects: [{ field: 'src', type: 'ip_address', value: `10.0.0.${i}` }],
  mitre_attack_id: ['T1595'], analytic_story: ['Suspicious Ollama Activities'], risk_message: `message ${i}`,
  fields: { src: `10.0.0.${i}`, paths: ['/a', '/b'], n: i, note: 'line\nbreak "quoted" \u202e' },
  ...over,
});

function written(format: 'json' | 'ndjson' | 'csv', batches: RiskEvent[][]): string {
  let text = '';
  const w = new RiskEventWriter(format, (t) => { text += t; });
  for (const b of batches) w.write(b);
  w.end();
  return text;
}

test('JSON in pieces is one pretty array, as JSON.stringify gives it (and [] for none)', () => {
  const all = [ev(1), ev(2), ev(3, { risk_object: null }), ev(4)];
  const text = written('json', [[all[0]!], [], all.slice(1, 3), [all[3]!]]);
  assert.equal(text, JSON.stringify(all.map(riskEventToJson), null, 2).replace(/\u202e/g, '\\u202e') + '\n');
  assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(all.map(riskEventToJson))));
  assert.equal(written('json', [[], []]), '[]\n');
});

test('NDJSON is one event a line with bidi controls escaped; nothing for no events', () => {
  const text = written('ndjson', [[ev(1)], [ev(2), ev(3)]]);
  const lines = text.split('\n');
  assert.equal(lines.length, 4);
  assert.equal(lines[3], '');
  assert.equal(JSON.parse(lines[1]!).risk_message, 'message 2');
  assert.ok(!text.includes('\u202e'));
  assert.equal(written('ndjson', [[]]), '');
});

test('CSV has one header with fixed columns, an empty cell for no risk object, and no formulas', () => {
  const text = written('csv', [[ev(1, { risk_object: null })], [ev(2, { risk_message: '=HYPERLINK("x")' })]]);
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.equal(lines[0], '_time,detection,detection_id,risk_object,risk_object_type,risk_score,threat_objects,mitre_attack_id,risk_message');
  assert.equal(lines[1], '1750000001,Det 1,id-1,,system,10,10.0.0.1,T1595,message 1');
  assert.ok(lines[2]!.endsWith(`"'=HYPERLINK(""x"")"`), lines[2]);
  assert.equal(written('csv', []), '');
});
