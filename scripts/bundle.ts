// Run by `npm run build`, after tsc: bundles the command (dist/src/cli/main.js) and the scan thread
// (dist/src/engine/worker.js) into one file each under dist/bundle, which bin/ollama-sentinel.js runs. Loading
// some seventy modules one by one was most of a command's start, and each scan thread pays it again while the
// main thread weighs the detections (docs/performance-history.md, the twenty-second round). main.ts still imports
// each command's modules only when that command runs: in the bundle their code is there, but it is not run (a
// scan starts no watch service); one file, so that every class main.ts catches by `instanceof` is the one the
// commands throw.
//
// dist/bundle/cli and dist/bundle/engine sit as deep under dist as dist/src/cli and dist/src/engine, so
// that paths made from import.meta.url (the package root, dist/content-cache.json, the scan thread's file
// beside the engine's) lead to the same places from the bundle as from the modules.
import { build, type BuildOptions } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/detections/loader.js';

const dist = join(PACKAGE_ROOT, 'dist');
const outdir = join(dist, 'bundle');
rmSync(outdir, { recursive: true, force: true });
const common: BuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // A native addon, loaded from node_modules as it is.
  external: ['better-sqlite3'],
  logLevel: 'warning',
};
for (const entry of [['cli', 'main.js'], ['engine', 'worker.js']] as const) {
  await build({ ...common, entryPoints: [join(dist, 'src', ...entry)], outfile: join(outdir, ...entry) });
}
