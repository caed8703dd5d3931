import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RiskStore } from './store.js';

test('a scan\'s temporary ledger keeps its journal in memory and still rolls a failed batch back', () => {
  const store = RiskStore.open();
  assert.equal(store.db.pragma('journal_mode', { simple: true }), 'memory');
  const insert = store.db.prepare("INSERT INTO notes (kind, ref, time, author, status, text) VALUES ('finding', ?, 0, 'a', 'new', 't')");
  store.db.transaction(() => { insert.run(1); })();
  assert.throws(() => store.db.transaction(() => { insert.run(2); insert.run(3); throw new Error('boom'); })(), /boom/);
  assert.deepEqual(store.db.prepare('SELECT ref FROM notes ORDER BY ref').all(), [{ ref: 1 }]);
});
