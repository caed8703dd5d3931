// Writers for Ollama's exact line formats, used by the sample generator and tests.
import { goQuote } from '../parse/gostring.js';
import { formatGinLatency } from '../parse/duration.js';

const p2 = (n: number) => String(n).padStart(2, '0');

/** `2006/01/02 - 15:04:05` in UTC (the sample's server runs in UTC). */
function ginTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} - ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** gin's default formatter: "[GIN] %v |%s %3d %s| %13v | %15s |%s %-7s %s %#v". */
export function ginLine(ms: number, status: number, latencyNs: number, client: string, method: string, path: string): string {
  return `[GIN] ${ginTime(ms)} | ${String(status).padStart(3)} | ${formatGinLatency(latencyNs).padStart(13)} | ${client.padStart(15)} | ${method.padEnd(7)}  ${goQuote(path)}`;
}

/** slog TextHandler: time=… level=… source=… msg=… then pairs, quoting values only when needed. */
export function slogLine(ms: number, level: string, source: string, msg: string, pairs: Array<[string, string | number]> = []): string {
  const t = new Date(ms).toISOString();
  const q = (v: string) => (v === '' || /[\s"=\\]|[^\x21-\x7e]/.test(v) ? goQuote(v) : v);
  const rest = pairs.map(([k, v]) => `${k}=${q(String(v))}`).join(' ');
  return `time=${t} level=${level} source=${source} msg=${q(msg)}${rest ? ' ' + rest : ''}`;
}
