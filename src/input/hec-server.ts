// An HTTP Event Collector–compatible receiver: Splunk's endpoints, token header, gzip bodies, batched JSON
// events and raw lines, with Splunk's status codes and reply bodies. A request is accepted only after its
// events are stored (the `accept` callback commits them), so a client that got "Success" lost nothing.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createGunzip } from 'node:zlib';
import { timingSafeEqual } from 'node:crypto';

export interface HecEvent {
  time?: number;
  host?: string;
  source?: string;
  sourcetype: string;
  /** The event text: a log line, or the JSON of an object event. */
  raw: string;
  /** Top-level fields of an object event, and HEC's `fields` (indexed fields). */
  fields?: Record<string, unknown>;
}

export interface HecOptions {
  tokens: string[];
  maxBytes: number;
  defaultSourcetype?: string;
  accept: (events: HecEvent[]) => void;
  healthy?: () => boolean;
}

type Reply = { status: number; body: Record<string, unknown> };
const reply = (status: number, text: string, code: number, extra: Record<string, unknown> = {}): Reply => ({ status, body: { text, code, ...extra } });

export const HEC_REPLIES = {
  success: () => reply(200, 'Success', 0),
  tokenRequired: () => reply(401, 'Token is required', 2),
  invalidAuthorization: () => reply(401, 'Invalid authorization', 3),
  invalidToken: () => reply(403, 'Invalid token', 4),
  noData: () => reply(400, 'No data', 5),
  invalidFormat: (n?: number) => reply(400, 'Invalid data format', 6, n === undefined ? {} : { 'invalid-event-number': n }),
  serverError: () => reply(500, 'Internal server error', 8),
  eventRequired: (n: number) => reply(400, 'Event field is required', 12, { 'invalid-event-number': n }),
  eventBlank: (n: number) => reply(400, 'Event field cannot be blank', 13, { 'invalid-event-number': n }),
  healthy: () => reply(200, 'HEC is healthy', 17),
  unhealthy: () => reply(503, 'HEC is unhealthy, queues are full', 18),
  notFound: () => reply(404, 'The requested URL was not found on this server.', 404),
  tooLarge: (max: number) => reply(413, `Content too large (limit ${max} bytes)`, 413),
  badMethod: () => reply(405, 'Method not allowed', 405),
};

function tokenOk(given: string, tokens: string[]): boolean {
  const g = Buffer.from(given);
  return tokens.some((t) => { const b = Buffer.from(t); return b.length === g.length && timingSafeEqual(b, g); });
}

class TooLarge extends Error {}

async function readBody(req: IncomingMessage, max: number): Promise<string> {
  const enc = String(req.headers['content-encoding'] ?? '').toLowerCase();
  const stream = enc === 'gzip' ? req.pipe(createGunzip()) : req;
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of stream) {
    n += (c as Buffer).length;
    if (n > max) throw new TooLarge();
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Splits HEC's batch format: JSON objects one after another, separated by optional whitespace. */
export function splitJsonObjects(body: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  const n = body.length;
  while (i < n) {
    while (i < n && /\s/.test(body[i]!)) i++;
    if (i >= n) break;
    if (body[i] !== '{') return undefined;
    let depth = 0, inStr = false, j = i;
    for (; j < n; j++) {
      const c = body[j];
      if (inStr) { if (c === '\\') j++; else if (c === '"') inStr = false; continue; }
      if (c === '"') inStr = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
    }
    if (depth !== 0 || j >= n) return undefined;
    out.push(body.slice(i, j + 1));
    i = j + 1;
  }
  return out;
}

function parseEvents(body: string, defaultSourcetype: string): HecEvent[] | Reply {
  if (body.trim() === '') return HEC_REPLIES.noData();
  const parts = splitJsonObjects(body);
  if (!parts) return HEC_REPLIES.invalidFormat(0);
  const events: HecEvent[] = [];
  for (let i = 0; i < parts.length; i++) {
    let o: Record<string, unknown>;
    try { o = JSON.parse(parts[i]!) as Record<string, unknown>; } catch { return HEC_REPLIES.invalidFormat(i); }
    if (!('event' in o)) return HEC_REPLIES.eventRequired(i);
    const ev = o.event;
    if (ev === null || ev === '' || (typeof ev === 'object' && !Array.isArray(ev) && Object.keys(ev as object).length === 0)) return HEC_REPLIES.eventBlank(i);
    const time = o.time === undefined ? undefined : Number(o.time);
    if (time !== undefined && !Number.isFinite(time)) return HEC_REPLIES.invalidFormat(i);
    const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
    const fields: Record<string, unknown> = {};
    if (typeof ev === 'object' && !Array.isArray(ev)) Object.assign(fields, ev);
    if (o.fields && typeof o.fields === 'object') Object.assign(fields, o.fields);
    events.push({
      sourcetype: str('sourcetype') ?? defaultSourcetype,
      raw: typeof ev === 'string' ? ev : JSON.stringify(ev),
      ...(time !== undefined ? { time } : {}),
      ...(str('host') ? { host: str('host')! } : {}),
      ...(str('source') ? { source: str('source')! } : {}),
      ...(Object.keys(fields).length ? { fields } : {}),
    });
  }
  return events;
}

export function createHecServer(o: HecOptions): Server {
  const handle = async (req: IncomingMessage): Promise<Reply> => {
    const url = new URL(req.url ?? '/', 'http://hec');
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/services/collector/health' || path === '/services/collector/health/1.0') {
      return o.healthy && !o.healthy() ? HEC_REPLIES.unhealthy() : HEC_REPLIES.healthy();
    }
    const isEvent = ['/services/collector', '/services/collector/event', '/services/collector/event/1.0'].includes(path);
    const isRaw = ['/services/collector/raw', '/services/collector/raw/1.0'].includes(path);
    if (!isEvent && !isRaw) return HEC_REPLIES.notFound();
    if (req.method !== 'POST') return HEC_REPLIES.badMethod();
    const auth = req.headers.authorization;
    if (!auth) return HEC_REPLIES.tokenRequired();
    const m = /^Splunk\s+(\S+)$/i.exec(auth.trim());
    if (!m) return HEC_REPLIES.invalidAuthorization();
    if (!tokenOk(m[1]!, o.tokens)) return HEC_REPLIES.invalidToken();
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > o.maxBytes) { req.resume(); return HEC_REPLIES.tooLarge(o.maxBytes); }
    let body: string;
    try { body = await readBody(req, o.maxBytes); } catch (e) {
      if (e instanceof TooLarge) { req.resume(); return HEC_REPLIES.tooLarge(o.maxBytes); }
      return HEC_REPLIES.invalidFormat();
    }
    const st = o.defaultSourcetype ?? 'ollama:server';
    let events: HecEvent[];
    if (isRaw) {
      const q = (k: string) => url.searchParams.get(k) ?? undefined;
      const lines = body.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
      if (lines.length === 0) return HEC_REPLIES.noData();
      events = lines.map((raw) => ({ raw, sourcetype: q('sourcetype') ?? st, ...(q('host') ? { host: q('host')! } : {}), ...(q('source') ? { source: q('source')! } : {}) }));
    } else {
      const parsed = parseEvents(body, st);
      if (!Array.isArray(parsed)) return parsed;
      events = parsed;
    }
    try { o.accept(events); } catch { return HEC_REPLIES.serverError(); }
    return HEC_REPLIES.success();
  };
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    handle(req).then((r) => {
      res.writeHead(r.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(r.body));
    }, () => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(HEC_REPLIES.serverError().body));
    });
  });
}
