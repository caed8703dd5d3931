import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSyslog, parseSyslogUrl } from './syslog.js';

test('syslog: alerts carry their finding, incidents their incident id; text is made printable and SD-escaped', () => {
  const t = Date.UTC(2025, 5, 16, 11, 0, 0) / 1000;
  assert.equal(formatSyslog({ time: t, detection: 'D "x"]', risk_score: 64, risk_message: 'a\nb\u001b[31m', finding_id: 3, type: 'alert' }, 'gpu'),
    `<163>1 2025-06-16T11:00:00.000Z gpu ollama-sentinel ${process.pid} alert [sentinel@32473 detection="D \\"x\\"\\]" score="64" finding="3" type="alert"] a b [31m`);
  const inc = formatSyslog({ time: t, detection: 'Risk incident: R', risk_score: 313, risk_message: 'm', incident_id: 1, type: 'incident' }, 'gpu');
  assert.match(inc, /^<162>1 .* incident \[sentinel@32473 detection="Risk incident: R" score="313" incident="1" type="incident"\] m$/);
  assert.match(formatSyslog({ time: t, detection: 'R', risk_score: 120, risk_message: 'm', incident_id: 2, type: 'incident_update' }, 'gpu'), /^<163>1 /);
  assert.deepEqual(parseSyslogUrl('tcp://[::1]:6514'), { protocol: 'tcp', host: '::1', port: 6514 });
});
