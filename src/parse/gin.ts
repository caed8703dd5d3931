// The gin access line, read strictly from the left so that nothing inside the quoted path can stand in for
// the client, status or method:  [GIN] 2025/01/02 - 15:04:05 | 200 |    1.234567ms |       127.0.0.1 | POST     "/api/chat"
import { readGoQuoted } from './gostring.js';
import { parseGoDuration } from './duration.js';

export interface GinFields {
  y: number; mo: number; d: number; h: number; mi: number; s: number;
  status: number;
  latency: string;
  latencyMs: number | undefined;
  client: string;
  method: string;
  path: string;
  pathClosed: boolean;
}

// ANSI colour codes that gin adds when stdout is a terminal (ESC is never in the quoted path: Go escapes it).
const ANSI = /\x1b\[[0-9;]{0,16}m/g;

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Fields of a `[GIN] ` line, or undefined when the line is not well-formed up to the path. */
export function parseGin(input: string): GinFields | undefined {
  const line = input.includes('\x1b') ? input.replace(ANSI, '') : input;
  // "[GIN] " + "2006/01/02 - 15:04:05" (21 chars)
  if (line.length < 40) return undefined;
  const y = digits(line, 6, 4), mo = digits(line, 11, 2), d = digits(line, 14, 2);
  const h = digits(line, 19, 2), mi = digits(line, 22, 2), s = digits(line, 25, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) return undefined;
  if (line[10] !== '/' || line[13] !== '/' || line.slice(16, 19) !== ' - ' || line[21] !== ':' || line[24] !== ':') return undefined;
  let p = line.indexOf('|', 27);
  if (p < 0 || p > 40) return undefined;
  // status
  let q = line.indexOf('|', p + 1);
  if (q < 0) return undefined;
  const statusText = line.slice(p + 1, q).trim();
  if (statusText.length !== 3) return undefined;
  const status = digits(statusText, 0, 3);
  if (status < 0) return undefined;
  // latency
  p = q;
  q = line.indexOf('|', p + 1);
  if (q < 0) return undefined;
  const latency = line.slice(p + 1, q).trim();
  const latencyMs = parseGoDuration(latency);
  if (latencyMs === undefined) return undefined;
  // client
  p = q;
  q = line.indexOf('|', p + 1);
  if (q < 0) return undefined;
  const client = line.slice(p + 1, q).trim();
  if (client.length > 64 || client.includes(' ')) return undefined;
  // method, then the Go-quoted path
  let i = q + 1;
  while (line.charCodeAt(i) === 32) i++;
  const mStart = i;
  while (i < line.length && line.charCodeAt(i) !== 32) i++;
  const method = line.slice(mStart, i);
  if (method.length === 0 || method.length > 32) return undefined;
  while (line.charCodeAt(i) === 32) i++;
  if (line.charCodeAt(i) !== 34) return undefined;
  const quoted = readGoQuoted(line, i);
  return { y, mo, d, h, mi, s, status, latency, latencyMs, client, method, path: quoted.value, pathClosed: quoted.closed };
}
