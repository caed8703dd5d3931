import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { V8_FLAGS } from './v8-flags.js';

test('every V8 flag the command sets is one this Node knows', () => {
  for (const flag of V8_FLAGS) {
    const r = spawnSync(process.execPath, [flag, '-e', '0'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${flag}: ${r.stderr}`);
  }
});

// A scan thread that keeps what one allocation site makes: V8 pretenures the site unless the flags are set.
const CHILD = `
const { setV8Flags } = await import(process.argv[1]);
if (process.argv[2] === 'set') setV8Flags();
const { Worker } = await import('node:worker_threads');
const w = new Worker('const keep = []; for (let i = 0; i < 1e6; i++) keep.push({ a: i, b: i * 2 }); console.log(keep.length);', { eval: true });
await new Promise((done) => w.on('exit', done));
`;

function tenuredSites(set: boolean): number {
  const module = fileURLToPath(new URL('./v8-flags.js', import.meta.url));
  const r = spawnSync(process.execPath, ['--trace-pretenuring-statistics', '--input-type=module', '-e', CHILD, module, set ? 'set' : 'unset'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /1000000/);
  return r.stdout.split('\n').filter((l) => /tenure => tenure|tenured=[1-9]/.test(l)).length;
}

test('with the flags set, a scan thread does not pretenure an allocation site whose objects all survive', () => {
  assert.ok(tenuredSites(false) > 0, 'without the flags V8 pretenures the site (else this test shows nothing)');
  assert.equal(tenuredSites(true), 0);
});
