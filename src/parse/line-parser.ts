// One Ollama log line in, one event out. Dispatches on the first characters (gin, slog, std logger, runner
// output, panics) after removing the prefixes tools add. Never throws: a line it cannot read is kept as an
// event with its raw text and the time of the line before it (Splunk's rule for lines without a timestamp).
import type { Row } from '../engine/value.js';
import type { TimeZone } from '../util/timezone.js';
import { stripPrefixes } from './prefix.js';
import { parseGin, type GinHead } from './gin.js';
import { GinLine, parseGinBytes } from './gin-bytes.js';
import { SlogHead, readSlogHead } from './slog-bytes.js';
import { utf8 } from './byte-strings.js';
import { readPairs, addPairs } from './kv.js';
import { parseRfc3339 } from './rfc3339.js';

export const SOURCETYPE = 'ollama:server';
export const VENDOR_PRODUCT = 'Ollama API Server';

export interface LineParserOptions {
  tz: TimeZone;
  /** `--host`: overrides any host the input names. */
  host?: string;
  /** Host when neither --host nor a journald prefix names one. */
  defaultHost: string;
  source: string;
  /** Time for lines before the first timestamp (Splunk uses the file's modification time). */
  fallbackMs: number;
}

/**
 * What every gin event looks like: the only fields it can have, those with one fixed value, and text its _raw
 * always holds. The runner uses it to pass gin events by detections whose search cannot match one, and to
 * skip the tests in a search that every gin event passes (engine/search-gate.ts); a test holds the parser to it.
 */
export const GIN_EVENT_SHAPE = {
  fields: ['_time', '_raw', 'host', 'source', 'sourcetype', 'line_type', 'status', 'http_response_code', 'response_time',
    'response_time_ms', 'src', 'src_ip', 'http_method', 'method', 'uri_path', 'uri_query', 'url', 'dest', 'vendor_product', 'app'],
  constants: { sourcetype: SOURCETYPE, line_type: 'gin', vendor_product: VENDOR_PRODUCT, app: 'ollama' },
  /** The line minus any prefix starts with this, so _raw holds it. */
  rawContains: '[GIN] ',
} as const;

/**
 * Every other line's event, one shape per line_type the parser gives (a test holds the parser to the list): its
 * sourcetype and line_type are all that is known in advance. The runner hands an event whose line_type is not
 * `gin` only to the searches one of these shapes can pass.
 */
export const OTHER_EVENT_SHAPES = ['slog', 'stdlog', 'runner', 'panic', 'recovery', 'gin_debug', 'other'].map((lineType) => ({
  fields: ['sourcetype', 'line_type'],
  open: true,
  constants: { sourcetype: SOURCETYPE, line_type: lineType },
}));

/**
 * The fields every line other than gin gets from outside its text (the input, the options, the line's kind).
 * Any other field of such an event is text cut from the line (a pair's value, a message, a level), unless a
 * quoted value was unescaped; engine/other-dispatch.ts relies on it, and a test holds the parser to it.
 */
export const LINE_FIELDS_NOT_FROM_TEXT = ['_time', 'host', 'source', 'sourcetype', 'line_type', 'dest', 'vendor_product', 'app'] as const;

/**
 * A gin line read from its bytes whose closing quote ends it (LineParser.plainGin): its _raw is gin's padded
 * line and nothing more. The separators (its four bars and the path's opening quote) cut it into spans: the
 * stamp, the status and the latency, written in `fixedChars` alone, then the client, the method and the path,
 * each alone in its span but for spaces. A term holding no separator lies within one span, so it is looked for
 * in those three fields (search-match.ts); a test holds the parser to it.
 */
export const PLAIN_GIN_SHAPE = {
  ...GIN_EVENT_SHAPE,
  rawSpans: {
    separators: '|"',
    fixedChars: '[]gin 0123456789/-:.smu\u00b5\u03bc',
    fields: ['src', 'http_method', 'url'],
  },
} as const;

/**
 * A plain gin line behind a prefix (LineParser.ginPrefix): journald's, Docker's, compose's, in ASCII and ending
 * in a space. Its _raw is that prefix, then the plain gin line (PLAIN_GIN_SHAPE) from its first `[GIN] `. A
 * term can straddle the two only across the prefix's last space and the `[`: one that does not hold ` [` lies
 * in the prefix or in the line's spans, and the dispatch looks for it in the prefix and in the three fields
 * (search-gate.ts, fieldAlternatives); a test holds the parser to it.
 */
export const PREFIXED_PLAIN_GIN_SHAPE = {
  ...PLAIN_GIN_SHAPE,
  rawSpans: { ...PLAIN_GIN_SHAPE.rawSpans, after: '[GIN] ' },
} as const;

/** How far into a line a prefix in front of a gin line is looked for (prefix.ts examines 256 characters). */
const MAX_PREFIX = 192;

/** `[GIN] ` at byte `at`. */
function isGinMark(b: Buffer, at: number): boolean {
  return b[at] === 91 && b[at + 1] === 71 && b[at + 2] === 73 && b[at + 3] === 78 && b[at + 4] === 93 && b[at + 5] === 32;
}


const PANIC_START = /^(?:panic: |fatal error: |SIGSEGV|SIGBUS|SIGABRT|SIGILL|SIGFPE|\[signal |goroutine \d+ \[|runtime: |unexpected fault address)/;
const STD_LOGGER = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? /;
const STD_SOURCE = /^([\w.-]{1,64}\.go:\d{1,6}): /;
const STD_LEVEL = /^(TRACE|DEBUG|INFO|WARN|WARNING|ERROR)(?:[+-]\d+)? /;
const MSG_END = / [A-Za-z_][A-Za-z0-9_.]{0,63}=/;
const RUNNER = /^[A-Za-z_][A-Za-z0-9_]{0,63}(?:\(\))?:/;
const RECOVERY = /^\[Recovery\] (\d{4})\/(\d{2})\/(\d{2}) - (\d{2}):(\d{2}):(\d{2}) /;

export class LineParser {
  private lastMs: number;
  private inPanic = false;
  /** Year of lastMs, worked out only when a journald prefix without a year needs it. */
  private yearOf = { ms: NaN, year: 1970 };
  private readonly opts: LineParserOptions;
  /** The gin line parseBytes reads into: filled in place for each line. */
  private readonly gin = new GinLine();
  /** The head of the slog line parseBytes reads into (slog-bytes.ts). */
  private readonly slog = new SlogHead();
  /** The pairs of the slog or std-logger line being read (kv.ts's readPairs). */
  private readonly pairs: string[] = [];

  /** Whether the last line parseBytes read was a plain gin line (PLAIN_GIN_SHAPE). */
  plainGin = false;
  /**
   * Whether it was a plain gin line without a prefix: its _raw is gin's line alone, its separators at gin's
   * fixed places (engine/span-rex.ts).
   */
  bareGin = false;
  /**
   * For a gin line read from its bytes (with a prefix or not), the slots of its client, uri_path and path
   * (url) in the byte reader's caches (GinLine.clientSlot, uriPathSlot, pathSlot), for memos kept by slot
   * (field-dispatch.ts, span-rex.ts); -1 for any other line.
   */
  ginClientSlot = -1;
  ginUriPathSlot = -1;
  ginPathSlot = -1;
  /**
   * The `_time` and whether `line_type` is gin of the event parseBytes returned last: the runner reads these
   * here, where reading them from events of every shape (one for gin lines, one per run of slog keys) cost a
   * lookup of the name each time.
   */
  eventTime = 0;
  eventIsGin = false;
  /**
   * When it was a plain gin line behind a prefix (PREFIXED_PLAIN_GIN_SHAPE), that prefix: the same string
   * while the prefix's bytes stay the same (journald's, through a second); otherwise undefined.
   */
  ginPrefix: string | undefined = undefined;

  /** The host of a line without a prefix (a gin line read from its bytes). */
  private readonly ginHost: string;

  constructor(opts: LineParserOptions) {
    this.opts = opts;
    this.ginHost = opts.host ?? opts.defaultHost;
    this.lastMs = opts.fallbackMs;
  }

  parse(raw: string): Row {
    const o = this.opts;
    const pre = stripPrefixes(raw);
    const line = pre.line;
    const host = o.host ?? pre.host ?? o.defaultHost;
    const prefixMs = this.prefixTime(pre);
    const c0 = line.charCodeAt(0);

    if (c0 === 91 /* [ */ && line.startsWith('[GIN] ')) {
      const g = parseGin(line);
      if (g) return this.ginEvent(g, g.latency, raw, host);
    }

    if ((c0 === 116 /* t */ && line.startsWith('time=')) || (c0 === 108 /* l */ && line.startsWith('level='))) {
      this.inPanic = false;
      return this.structured(raw, line, 0, host, prefixMs, 'slog');
    }

    if (c0 >= 48 && c0 <= 57) {
      const m = STD_LOGGER.exec(line.length > 64 ? line.slice(0, 64) : line);
      if (m) {
        this.inPanic = false;
        const ms = o.tz.localToEpochMs(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!) + (m[7] ? Number('0.' + m[7]) * 1000 : 0);
        return this.stdLogger(raw, line, m[0].length, host, ms);
      }
    }

    let lineType = 'other';
    let ms: number | undefined = prefixMs;
    if (c0 === 91 && line.startsWith('[GIN-debug]')) lineType = 'gin_debug';
    else if (c0 === 91 && line.startsWith('[Recovery]')) {
      const r = RECOVERY.exec(line);
      if (r) ms = o.tz.localToEpochMs(+r[1]!, +r[2]!, +r[3]!, +r[4]!, +r[5]!, +r[6]!);
      lineType = 'recovery';
      this.inPanic = true;
    } else if (PANIC_START.test(line.length > 64 ? line.slice(0, 64) : line)) {
      lineType = 'panic';
      this.inPanic = true;
    } else if (this.inPanic && (c0 === 9 /* tab */ || line.length === 0 || /^(?:[\w./*()\[\]-]+\(.*\)|created by |\.\.\.|exit status )/.test(line.length > 512 ? line.slice(0, 512) : line))) {
      lineType = 'panic';
    } else {
      this.inPanic = false;
      if (RUNNER.test(line.length > 80 ? line.slice(0, 80) : line)) lineType = 'runner';
    }
    if (ms !== undefined) this.setTime(ms);
    return {
      _time: (ms ?? this.lastMs) / 1000, _raw: raw, host, source: o.source, sourcetype: SOURCETYPE,
      line_type: lineType, dest: host, vendor_product: VENDOR_PRODUCT, app: 'ollama',
    };
  }

  /**
   * The event for the line in bytes [s, e) of `buf`: what parse(the line decoded as UTF-8) gives. The common
   * gin line is read from its bytes (gin-bytes.ts), also behind a prefix (prefixedGin); any other line is
   * decoded and parsed as a string.
   */
  parseBytes(buf: Buffer, s: number, e: number): Row {
    const c0 = buf[s]!;
    this.ginPrefix = undefined;
    this.bareGin = false;
    this.ginClientSlot = this.ginUriPathSlot = this.ginPathSlot = -1;
    if (isGinMark(buf, s)) {
      const g = this.gin;
      const raw = parseGinBytes(buf, s, e, g);
      if (raw !== undefined) {
        this.plainGin = this.bareGin = g.plain;
        this.ginClientSlot = g.clientSlot; this.ginPathSlot = g.pathSlot; this.ginUriPathSlot = g.uriPathSlot;
        return this.ginEvent(g, raw.slice(g.latencyAt, 49), raw, this.ginHost, g.uriPath, g.uriQuery);
      }
      this.plainGin = false;
    } else {
      this.plainGin = false;
      if (c0 === 116 && readSlogHead(buf, s, e, this.slog, this.gin.wordsOf(buf))) return this.lastOf(this.slogEvent(utf8(buf, s, e)));
      // A line that starts as Ollama's own do ([, time=, level=) has no prefix (prefix.ts), nor has a JSON
      // wrapper one that ends before a gin line.
      if (c0 !== 91 && c0 !== 116 && c0 !== 108 && c0 !== 123) {
        const ev = this.prefixedGin(buf, s, e);
        if (ev) return ev;
      }
    }
    return this.lastOf(this.parse(utf8(buf, s, e)));
  }

  /** `ev`, its time and kind kept as parseBytes's last (eventTime, eventIsGin; a gin event's are kept by ginEvent). */
  private lastOf(ev: Row): Row {
    this.eventTime = ev._time as number;
    this.eventIsGin = ev.line_type === 'gin';
    return ev;
  }

  /** The last prefix read in front of a gin line, its bytes and the host it names (prefixedGin). */
  private readonly lastPrefix = new Uint8Array(MAX_PREFIX);
  private lastPrefixLength = -1;
  private lastPrefixHost: string | undefined;
  /** The last prefix as text, when it is ASCII. */
  private lastPrefixAscii: string | undefined;
  /** The last prefix as text when it is ASCII and ends in a space (a plain gin line behind it is PREFIXED_PLAIN_GIN_SHAPE's). */
  private lastPrefixText: string | undefined;

  /**
   * A gin line behind a prefix (journald, docker, compose: prefix.ts), the event parse() makes of it: the
   * prefix is read as text, and taken again without reading when its bytes are the last one's (journald's
   * stay the same through a busy second); the gin line is read from its bytes. Undefined when the line is
   * not one (parse() then reads it): no `[GIN] ` within the first MAX_PREFIX bytes, a prefix that
   * stripPrefixes does not take whole, or a gin line the byte reader declines.
   */
  private prefixedGin(buf: Buffer, s: number, e: number): Row | undefined {
    const end = Math.min(e - 6, s + MAX_PREFIX);
    const last = this.lastPrefix;
    let n = this.lastPrefixLength;
    // The last prefix's bytes again, and `[GIN] ` after them, is the last prefix: the last line had no mark
    // before that point, and none can start in the five bytes before a mark.
    let same = n > 0 && s + n <= end && isGinMark(buf, s + n);
    for (let i = 0; same && i < n; i++) same = buf[s + i] === last[i];
    let p = s + n;
    if (!same) {
      // Looked for; a prefix of the last one's length would have been taken above, so this one is new.
      p = s + 1;
      while (p <= end && !(buf[p] === 91 && isGinMark(buf, p))) p++;
      if (p > end) return undefined;
      n = p - s;
      // As parse() strips it from the whole line: the prefix's patterns end before the gin line starts.
      const text = utf8(buf, s, p);
      const pre = stripPrefixes(text + '[GIN] ');
      if (pre.line !== '[GIN] ') return undefined;
      let ascii = true;
      for (let i = 0; i < n; i++) { const c = buf[s + i]!; last[i] = c; if (c > 127) ascii = false; }
      this.lastPrefixLength = n;
      this.lastPrefixHost = pre.host;
      this.lastPrefixAscii = ascii ? text : undefined;
      this.lastPrefixText = ascii && buf[p - 1] === 32 ? text : undefined;
    }
    const g = this.gin;
    const ginRaw = parseGinBytes(buf, p, e, g);
    if (ginRaw === undefined) return undefined;
    if (g.plain) this.ginPrefix = this.lastPrefixText;
    this.ginClientSlot = g.clientSlot; this.ginUriPathSlot = g.uriPathSlot; this.ginPathSlot = g.pathSlot;
    // The gin line is decoded already: behind an ASCII prefix, the line is the two joined.
    const raw = this.lastPrefixAscii !== undefined ? this.lastPrefixAscii + ginRaw : utf8(buf, s, e);
    return this.ginEvent(g, ginRaw.slice(g.latencyAt, 49), raw, this.opts.host ?? this.lastPrefixHost ?? this.opts.defaultHost, g.uriPath, g.uriQuery);
  }

  /** `uriPath` and `uriQuery`: the path cut at its first `?` when the reader has done so already. */
  private ginEvent(g: GinHead, latency: string, raw: string, host: string, uriPath?: string, uriQuery?: string): Row {
    this.inPanic = false;
    const ms = this.ginTime(g);
    this.setTime(ms);
    if (uriPath === undefined) {
      const q = g.path.indexOf('?');
      uriPath = q < 0 ? g.path : g.path.slice(0, q);
      uriQuery = q < 0 ? undefined : g.path.slice(q + 1);
    }
    const src = g.client.length > 0 ? g.client : undefined;
    const time = ms / 1000;
    this.eventTime = time;
    this.eventIsGin = true;
    return {
      _time: time, _raw: raw, host, source: this.opts.source, sourcetype: SOURCETYPE, line_type: 'gin',
      status: g.status, http_response_code: g.status, response_time: latency, response_time_ms: g.latencyMs,
      src, src_ip: src, http_method: g.method, method: g.method,
      uri_path: uriPath, uri_query: uriQuery, url: g.path,
      dest: host, vendor_product: VENDOR_PRODUCT, app: 'ollama',
    };
  }

  // Gin lines carry whole seconds and a busy server writes many in the same second: the last one is kept.
  private lastGin = { y: -1, mo: 0, d: 0, h: 0, mi: 0, s: 0, ms: 0 };
  private ginTime(g: GinHead): number {
    const c = this.lastGin;
    if (g.s === c.s && g.mi === c.mi && g.h === c.h && g.d === c.d && g.mo === c.mo && g.y === c.y) return c.ms;
    const ms = this.opts.tz.localToEpochMs(g.y, g.mo, g.d, g.h, g.mi, g.s);
    this.lastGin = { y: g.y, mo: g.mo, d: g.d, h: g.h, mi: g.mi, s: g.s, ms };
    return ms;
  }

  private prefixTime(pre: { absoluteMs?: number; wall?: { y?: number; mo?: number; d: number; h: number; mi: number; s: number } }): number | undefined {
    if (pre.absoluteMs !== undefined) return pre.absoluteMs;
    const w = pre.wall;
    if (!w) return undefined;
    // journald's short format has no year: take the year of the stream so far.
    return this.opts.tz.localToEpochMs(w.y ?? this.lastYear(), w.mo ?? 1, w.d, w.h, w.mi, w.s);
  }

  private lastYear(): number {
    if (this.yearOf.ms !== this.lastMs) this.yearOf = { ms: this.lastMs, year: new Date(this.lastMs).getUTCFullYear() };
    return this.yearOf.year;
  }

  private setTime(ms: number): void {
    if (!Number.isFinite(ms)) return;
    this.lastMs = ms;
  }

  /** slog TextHandler lines: every pair becomes a field; `source` is Splunk's file path, so it goes to code_source. */
  private structured(raw: string, line: string, start: number, host: string, prefixMs: number | undefined, lineType: string): Row {
    const kv = readPairs(line, start, this.pairs);
    let ev: Row, from = 0;
    // slog starts its lines with these four: made in one step, in the order the pairs would have added them.
    if (kv.length >= 8 && kv[0] === 'time' && kv[2] === 'level' && kv[4] === 'source' && kv[6] === 'msg') {
      ev = {
        _time: 0, _raw: raw, host, source: this.opts.source, sourcetype: SOURCETYPE, line_type: lineType,
        dest: host, vendor_product: VENDOR_PRODUCT, app: 'ollama', time: kv[1], level: kv[3], code_source: kv[5], msg: kv[7],
      };
      from = 8;
    } else {
      ev = {
        _time: 0, _raw: raw, host, source: this.opts.source, sourcetype: SOURCETYPE, line_type: lineType,
        dest: host, vendor_product: VENDOR_PRODUCT, app: 'ollama',
      };
    }
    addPairs(ev, kv, from);
    let timeText: string | undefined;
    for (let i = 0; i < kv.length; i += 2) if (kv[i] === 'time') { timeText = kv[i + 1]; break; }
    let ms = timeText !== undefined ? parseRfc3339(timeText) : undefined;
    if (ms === undefined) ms = prefixMs;
    if (ms !== undefined) this.setTime(ms);
    ev._time = (ms ?? this.lastMs) / 1000;
    return ev;
  }

  /**
   * A slog line whose head readSlogHead has read: the event structured() makes of it (a line starting with
   * `time=` has no prefix), its four leading pairs taken from the head and the others read from the text.
   */
  private slogEvent(raw: string): Row {
    const h = this.slog;
    const host = this.ginHost;
    this.inPanic = false;
    const ev: Row = {
      _time: h.ms / 1000, _raw: raw, host, source: this.opts.source, sourcetype: SOURCETYPE, line_type: 'slog',
      dest: host, vendor_product: VENDOR_PRODUCT, app: 'ollama', time: raw.slice(5, h.timeEnd), level: h.level, code_source: h.source, msg: h.msg,
    };
    addPairs(ev, readPairs(raw, h.rest, this.pairs), 0);
    this.setTime(h.ms);
    return ev;
  }

  /** Go's std logger: `2024/05/12 06:47:18 routes.go:1006: INFO server config env="map[…]"`. */
  private stdLogger(raw: string, line: string, start: number, host: string, ms: number): Row {
    this.setTime(ms);
    const ev: Row = {
      _time: ms / 1000, _raw: raw, host, source: this.opts.source, sourcetype: SOURCETYPE, line_type: 'stdlog',
      dest: host, vendor_product: VENDOR_PRODUCT, app: 'ollama',
    };
    let rest = line.slice(start);
    const src = STD_SOURCE.exec(rest.length > 80 ? rest.slice(0, 80) : rest);
    if (src) { ev.code_source = src[1]; rest = rest.slice(src[0].length); }
    const lvl = STD_LEVEL.exec(rest.length > 16 ? rest.slice(0, 16) : rest);
    if (lvl) { ev.level = lvl[0].trim(); rest = rest.slice(lvl[0].length); }
    const end = MSG_END.exec(rest);
    const msg = (end ? rest.slice(0, end.index) : rest).trim();
    if (msg.length > 0) ev.msg = msg;
    if (end) {
      addPairs(ev, readPairs(rest, end.index + 1, this.pairs), 0);
    }
    return ev;
  }
}

/** The pairs from index `from` of `kv` (key, value, …) as fields: `source` as code_source, keys cleaned. */
