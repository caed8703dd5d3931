// Rewrites docs/detections.md from the detection files (npm run docs).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_DETECTIONS, PACKAGE_ROOT, loadDetections } from '../src/detections/loader.js';
import { renderDetectionsPage } from '../src/docs/detections-page.js';

const out = join(PACKAGE_ROOT, 'docs', 'detections.md');
writeFileSync(out, renderDetectionsPage(loadDetections([BUILTIN_DETECTIONS])));
process.stdout.write(`wrote ${out}\n`);
