// Lines and HEC events → events (rows), the same way whether they arrive live or are read back from the
// state database after a restart: a restored line gets the exact _time it had when first parsed.
import { hostname } from 'node:os';
import { LineParser, SOURCETYPE } from '../parse/line-parser.js';
import type { TimeZone } from '../util/timezone.js';
import type { Row, Value } from '../engine/value.js';
import type { HecEvent } from '../input/hec-server.js';
import type { StoredLine } from './store.js';

export class EventMaker {
  private parsers = new Map<string, LineParser>();
  private readonly defaultHost = hostname();
  constructor(private readonly tz: TimeZone, private readonly host?: string) {}

  private parser(source: string): LineParser {
    let p = this.parsers.get(source);
    if (!p) {
      p = new LineParser({ tz: this.tz, defaultHost: this.defaultHost, source, fallbackMs: Date.now(), ...(this.host ? { host: this.host } : {}) });
      this.parsers.set(source, p);
    }
    return p;
  }

  /** An Ollama log line from a file, journald or HEC; `time` forces the event time (restored lines). */
  line(source: string, raw: string, opts: { time?: number; host?: string } = {}): Row {
    const ev = this.parser(source).parse(raw);
    if (opts.time !== undefined) ev._time = opts.time;
    if (opts.host && !this.host) ev.host = opts.host;
    return ev;
  }

  /** A HEC event: Ollama lines are parsed; other sourcetypes (ollama:api, ollama:prompts…) keep their fields. */
  hec(e: HecEvent, receivedAt: number): Row {
    if (e.sourcetype === SOURCETYPE) {
      return this.line(`hec:${e.source ?? 'http'}`, e.raw, { ...(e.host ? { host: e.host } : {}), ...(e.time !== undefined ? { time: e.time } : {}) });
    }
    const row: Row = {};
    for (const [k, v] of Object.entries(e.fields ?? {})) {
      const key = k.replace(/[^A-Za-z0-9_]/g, '_');
      if (key.startsWith('_') || key === 'host' || key === 'sourcetype' || key === 'source') continue;
      const val = toValue(v);
      if (val !== undefined) row[key] = val;
    }
    row._time = e.time ?? receivedAt;
    row._raw = e.raw;
    row.host = this.host ?? e.host ?? this.defaultHost;
    row.source = e.source ?? 'http:hec';
    row.sourcetype = e.sourcetype;
    return row;
  }

  /** Rebuilds an event stored by the watcher. */
  restore(l: StoredLine): Row {
    const host = l.host ? { host: l.host } : {};
    if (l.sourcetype === SOURCETYPE) return this.line(l.source, l.raw, { time: l.time, ...host });
    let fields: Record<string, unknown> | undefined;
    if (l.raw.startsWith('{')) { try { fields = JSON.parse(l.raw) as Record<string, unknown>; } catch { /* plain text */ } }
    return this.hec({ raw: l.raw, sourcetype: l.sourcetype, time: l.time, ...host, source: l.source.replace(/^hec:/, ''), ...(fields ? { fields } : {}) }, l.time);
  }
}

function toValue(v: unknown): Value | undefined {
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return v.filter((x) => typeof x === 'string' || typeof x === 'number') as Array<string | number>;
  if (v && typeof v === 'object') return JSON.stringify(v);
  return undefined;
}
