// Test data shared by the gin readers' tests (not used by the product): real and generated gin lines, and
// every way a line can differ from gin's padded layout.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The gin lines of the real-log fixture, the sample and the datasets, each once, from `[GIN] ` on. */
export function ginLines(): string[] {
  const files = [join(ROOT, 'test', 'fixtures', 'real-ollama-logs.txt'), join(ROOT, 'samples', 'server.log'),
    ...readdirSync(join(ROOT, 'datasets')).filter((f) => f.endsWith('.log')).map((f) => join(ROOT, 'datasets', f))];
  const out = new Set<string>();
  for (const f of files) for (const l of readFileSync(f, 'utf8').split('\n')) if (l.includes('[GIN] ')) out.add(l.slice(l.indexOf('[GIN] ')));
  return [...out];
}

/** Lines in gin's padded layout with a few of each field's forms. */
export const PADDED_GIN_LINES = [
  '[GIN] 2025/01/02 - 15:04:05 | 200 |    1.234567ms |       127.0.0.1 | POST     "/api/chat"',
  '[GIN] 2025/01/02 - 15:04:05 | 404 |     967.824µs |                 | GET      "/a?b=\\"c\\""',
  '[GIN] 2025/01/02 - 15:04:05 | 200 |  8.310506395s |  203.0.113.145 | DELETE   "/api/delete"',
  '[GIN] 2025/01/02 - 15:04:05 | 200 | 1m2.345678901s |        10.0.0.1 | POST     "/api/pull"',
  '[GIN] 2025/01/02 - 15:04:05 | 500 |      33.1µs | 2001:db8:8123::20 | HEAD     "/"',
  '[GIN] 2025/01/02 - 15:04:05 | 200 |       33.1µs | 2001:db8:8123::20 | GET      "/api/ps?a=1"',
  '[GIN] 2025/01/02 - 15:04:05 | 200 |    82.47474ms | 2001:db8:8123:4567:89ab:cdef:0123:4567 | OPTIONS  "/v1/models"',
];

/** Every way a line can differ from gin's padded layout, one change at a time, at every position of the layout. */
export function mangled(line: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.min(line.length, 90); i++) {
    for (const c of [' ', '|', '"', '\\', '\u00a0', '\t', 'x', '9', '\u2003']) out.push(line.slice(0, i) + c + line.slice(i + 1));
    out.push(line.slice(0, i) + line.slice(i + 1), line.slice(0, i) + ' ' + line.slice(i));
  }
  out.push(line + ' trailing', line.slice(0, -1), line.replace(/"$/, '\\""'), line.replace(/"([^"]*)"$/, '"$1\\u00e9\\t"'));
  return out;
}
