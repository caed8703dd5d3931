// `ollama-sentinel replay DATASET`: the dataset with its times moved so it ends now, to a file, stdout or an
// HTTP Event Collector.
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { parse, UsageError } from './options.js';
import type { Io } from './io.js';
import { TimeZone } from '../util/timezone.js';
import { resolveTimeModifier } from '../util/reltime.js';
import { deltaTo, shiftLines, type ReplayLine } from '../sim/replay.js';
import { InputError } from '../input/sources.js';

export const REPLAY_HELP = `Usage: ollama-sentinel replay DATASET [--now TIME] [--tz ZONE] [--out FILE]
       ollama-sentinel replay DATASET --hec URL --hec-token TOKEN [--host NAME] [--index NAME]

Moves every timestamp of DATASET by the same amount so that its last event is at --now (default: now) and
writes the result to stdout, to --out FILE, or as events to a Splunk HTTP Event Collector (or ollama-sentinel
watch --hec). Access-line times are read and written in --tz (default UTC, as the datasets are written).

Options:
  --now TIME         where the last event lands (ISO, epoch or relative like -5m; default now)
  --tz ZONE          zone of the dataset's access-line times (default UTC)
  --out FILE         write the shifted log to FILE
  --hec URL          send events to this collector (path /services/collector/event added when missing)
  --hec-token TOKEN  HEC token (or $OLLAMA_SENTINEL_HEC_TOKEN)
  --host NAME        host field of sent events (default this machine)
  --index NAME       index field of sent events
  --batch N          events per request (default 500)
`;

export async function replayCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    now: { type: 'string' }, tz: { type: 'string' }, out: { type: 'string' }, hec: { type: 'string' }, 'hec-token': { type: 'string' },
    host: { type: 'string' }, index: { type: 'string' }, batch: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  });
  if (values.help) { io.out(REPLAY_HELP); return 0; }
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('replay needs exactly one DATASET file');
  let tz: TimeZone;
  try { tz = TimeZone.resolve(values.tz ?? 'UTC'); } catch (e) { throw new UsageError(`--tz: ${(e as Error).message}`); }
  let target = Date.now() / 1000;
  if (values.now !== undefined) {
    try { target = resolveTimeModifier(values.now, target, tz); } catch (e) { throw new UsageError(`--now: ${(e as Error).message}`); }
  }
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) { throw new InputError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const shifted = shiftLines(lines, deltaTo(lines, target, tz), tz);
  if (values.hec) {
    const token = values['hec-token'] ?? process.env.OLLAMA_SENTINEL_HEC_TOKEN;
    if (!token) throw new UsageError('--hec needs --hec-token (or OLLAMA_SENTINEL_HEC_TOKEN)');
    const batch = values.batch === undefined ? 500 : Number(values.batch);
    if (!Number.isInteger(batch) || batch < 1 || batch > 100000) throw new UsageError('--batch must be a whole number from 1 to 100000');
    const sent = await sendToHec(shifted, { url: values.hec, token, host: values.host ?? hostname(), source: basename(file), batch, ...(values.index ? { index: values.index } : {}) });
    io.err(`sent ${sent} events to ${collectorUrl(values.hec)}\n`);
    return 0;
  }
  const out = shifted.map((l) => l.text).join('\n') + (shifted.length ? '\n' : '');
  if (values.out) writeFileSync(values.out, out);
  else io.out(out);
  return 0;
}

export function collectorUrl(url: string): string {
  let u: URL;
  try { u = new URL(url); } catch { throw new UsageError(`--hec: not a URL: "${url}"`); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError('--hec must be an http or https URL');
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/services/collector/event';
  return u.toString();
}

interface HecTarget { url: string; token: string; host: string; source: string; index?: string; batch: number }

/** Sends events in batches (HEC's concatenated JSON objects); stops at the first refused batch. */
export async function sendToHec(lines: ReplayLine[], t: HecTarget): Promise<number> {
  const url = collectorUrl(t.url);
  let sent = 0;
  for (let i = 0; i < lines.length; i += t.batch) {
    const body = lines.slice(i, i + t.batch).map((l) => JSON.stringify({
      time: l.time, host: t.host, source: t.source, sourcetype: 'ollama:server', ...(t.index ? { index: t.index } : {}), event: l.text,
    })).join('\n');
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers: { Authorization: `Splunk ${t.token}`, 'Content-Type': 'application/json' }, body });
    } catch (e) {
      throw new InputError(`HEC ${url}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`);
    }
    const reply = await res.text();
    if (res.status !== 200) throw new InputError(`HEC ${url} refused events ${i + 1}–${Math.min(i + t.batch, lines.length)}: HTTP ${res.status} ${reply.slice(0, 200)}`);
    sent += Math.min(t.batch, lines.length - i);
  }
  return sent;
}
