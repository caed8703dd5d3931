// Reading YAML: the build's cache of the built-in files gives what parsing them gives, positions included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './loader.js';
import { builtContentCache, ContentError, parseYamlText, readYamlFile, textHash } from './yaml-source.js';

test('every built-in YAML file is in the build\'s cache, and reads as parsing it reads', () => {
  const cache = builtContentCache();
  for (const dir of ['detections', 'macros', 'config']) {
    for (const name of readdirSync(join(PACKAGE_ROOT, dir)).filter((n) => /\.ya?ml$/.test(n))) {
      const file = join(PACKAGE_ROOT, dir, name);
      const text = readFileSync(file, 'utf8');
      assert.ok(cache.has(textHash(text)), `${dir}/${name} is cached`);
      const cached = readYamlFile(file), parsed = parseYamlText(file, text);
      assert.deepEqual(cached.map((d) => d.data), parsed.map((d) => d.data), `${dir}/${name}`);
      // Positions come from the file, parsed when first asked for.
      for (const path of [[], ['search'], ['rba', 'risk_objects', 0], ['nothing', 'here']]) {
        assert.equal(cached[0]!.where(path), parsed[0]!.where(path));
      }
    }
  }
});

test('a cached text gives the cached data; an edited one is parsed; a broken one names its line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'yaml-'));
  const file = join(dir, 'd.yml');
  writeFileSync(file, 'name: one\nsearch: x\n');
  const cache = new Map([[textHash('name: one\nsearch: x\n'), [{ name: 'from the cache' }]]]);
  const [hit] = readYamlFile(file, cache);
  assert.deepEqual(hit!.data, { name: 'from the cache' });
  assert.equal(hit!.where(['search']), `${file}:2:9`);
  writeFileSync(file, 'name: two\nsearch: x\n');
  assert.deepEqual(readYamlFile(file, cache)[0]!.data, { name: 'two', search: 'x' });
  writeFileSync(file, 'name: [unclosed\n');
  assert.throws(() => readYamlFile(file, cache), (e: unknown) => e instanceof ContentError && /d\.yml:\d+:\d+: invalid YAML/.test(e.message));
});
