// Writes datasets/<name>.log for the ordinary day and every scenario (npm run datasets). The files are
// committed so detections' tests and `replay` need nothing else; a test checks they match this generator.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDataset, datasetNames } from '../src/sim/dataset.js';

const dir = process.argv[2] ?? 'datasets';
mkdirSync(dir, { recursive: true });
for (const name of datasetNames()) {
  const text = buildDataset(name);
  writeFileSync(join(dir, `${name}.log`), text);
  process.stdout.write(`${name}: ${text.split('\n').length - 1} lines\n`);
}
