// Run by `npm run build`: writes dist/content-cache.json, the data of every built-in YAML file (detections,
// macros, config) by the SHA-256 of its text, so that commands start without parsing them
// (src/detections/yaml-source.ts). A file that does not parse, or whose data would not come back the same from
// JSON, is left out: it is parsed when it is loaded, and a broken one is reported there with its position.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { PACKAGE_ROOT } from '../src/detections/loader.js';
import { parseYamlText, textHash } from '../src/detections/yaml-source.js';

const files: Record<string, unknown[]> = {};
let left = 0;
for (const dir of ['detections', 'macros', 'config']) {
  const at = join(PACKAGE_ROOT, dir);
  for (const name of readdirSync(at).sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    const text = readFileSync(join(at, name), 'utf8');
    let data: unknown[];
    try { data = parseYamlText(name, text).map((d) => d.data); } catch { left++; continue; }
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(data)), data)) { left++; continue; }
    files[textHash(text)] = data;
  }
}
writeFileSync(join(PACKAGE_ROOT, 'dist', 'content-cache.json'), JSON.stringify({ files }));
if (left > 0) console.error(`content cache: ${left} file(s) left out (they do not parse, or their data does not survive JSON)`);
