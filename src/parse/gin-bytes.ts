// The common gin access line read from its bytes, before it is a string: byte reads cost a third of
// charCodeAt on this path, and an ASCII line decodes as Latin-1 at two thirds of UTF-8's cost. It accepts
// only what parseGinFixed (gin.ts) reads at gin's padded positions, and declines everything else (any other
// non-ASCII byte, an escape, a backslash or ESC in the path, an unknown latency form), so that the caller
// falls back to the string readers. Declining is always safe; a test holds it to the string reader on real,
// generated and mangled lines.
import { decimalMs, stampInRange, type GinHead } from './gin.js';
import { ByteStringCache, latin1, latin1Without, utf8 } from './byte-strings.js';

/**
 * What parseGinBytes read: one object per parser, filled in place for every line (no object per line), and
 * read before the next line is. The line's text and its latency's are not kept here: a string made for each
 * line and stored in this long-lived object costs the collector's write barrier for each store.
 */
export class GinLine implements GinHead {
  y = 0; mo = 0; d = 0; h = 0; mi = 0; s = 0;
  status = 0;
  /** Where the latency's text starts in the line's (padding left out); it ends at character 49. */
  latencyAt = 0;
  latencyMs = 0;
  client = '';
  method = '';
  path = '';
  pathClosed = false;
  /**
   * The closing quote is the line's last byte: the line is gin's own and nothing else, so its text is fixed
   * spans and the client, method and path between separators (PLAIN_GIN_SHAPE in line-parser.ts).
   */
  plain = false;
  /**
   * The slots of `client` and `path` in their byte caches (CLIENT_SLOTS, PATH_SLOTS), -1 when not kept there
   * (an empty or overlong client; a path with a query, or overlong): engine/field-dispatch.ts (client) and
   * engine/span-rex.ts (both) keep what they learn of a value by its slot.
   */
  clientSlot = -1;
  pathSlot = -1;
  /** The slot of `uriPath` (the path before any `?`), -1 when overlong. */
  uriPathSlot = -1;
  /** The path before any `?`, and what follows it (undefined without one): as line-parser.ts cuts them. */
  uriPath = '';
  uriQuery: string | undefined = undefined;
  /** Whether y…s hold a stamp (stampAt) and these its bytes: its first, then the other 20 as four-byte words (little-endian). */
  stampValid = false;
  b0 = 0; w0 = 0; w1 = 0; w2 = 0; w3 = 0; w4 = 0;
  private wordsBuffer: Uint8Array | undefined;
  private words: DataView | undefined;
  /** A view of `b` for reading words (one per buffer: a reader hands the parser the same buffer for many lines). */
  wordsOf(b: Uint8Array): DataView {
    if (b !== this.wordsBuffer) { this.wordsBuffer = b; this.words = new DataView(b.buffer, b.byteOffset, b.byteLength); }
    return this.words!;
  }
}

// Clients fit gin's 15 characters; paths longer than 96 bytes are rare and often unique. A client whose slot
// another took is decoded again, into a new string: the bench's 462 clients left 205 sharing a slot of 1,024
// (5,483 decoded again in 200,000 lines) and 86 of 4,096 (2,262). Only what the reader has checked goes in
// (a client that is one word, a path without a quote, `?`, escape or byte outside ASCII), so bytes equal to a
// kept value need no checking again (CLIENTS.kept, PATHS.kept below).
const CLIENTS = new ByteStringCache(4096, 15);
const PATHS = new ByteStringCache(2048, 96);
export const CLIENT_SLOTS = CLIENTS.slots;
export const PATH_SLOTS = PATHS.slots;

/** The number written in bytes [at, at + n) of `b`, or -1 when one of them is not a digit. */
export function digitsAt(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * `2006/01/02 - 15:04:05` at s+6, checked as gin.ts's readStamp checks it, into `g`. A busy server writes
 * many lines in one second: the same 21 bytes as the last stamp read are that stamp, already in `g`.
 */
function stampAt(b: Uint8Array, s: number, g: GinLine): boolean {
  if (g.stampValid) {
    // Four bytes at a time (GinLine.wordsOf), the seconds' word first: the bytes most likely to differ.
    const v = g.wordsOf(b);
    if (v.getUint32(s + 23, true) === g.w4 && b[s + 6] === g.b0 && v.getUint32(s + 7, true) === g.w0
      && v.getUint32(s + 11, true) === g.w1 && v.getUint32(s + 15, true) === g.w2 && v.getUint32(s + 19, true) === g.w3) return true;
  }
  const y = digitsAt(b, s + 6, 4), mo = digitsAt(b, s + 11, 2), d = digitsAt(b, s + 14, 2);
  const h = digitsAt(b, s + 19, 2), mi = digitsAt(b, s + 22, 2), sec = digitsAt(b, s + 25, 2);
  if (!stampInRange(y, mo, d, h, mi, sec)) return false;
  if (b[s + 10] !== 47 || b[s + 13] !== 47 || b[s + 16] !== 32 || b[s + 17] !== 45 || b[s + 18] !== 32 || b[s + 21] !== 58 || b[s + 24] !== 58) return false;
  g.y = y; g.mo = mo; g.d = d; g.h = h; g.mi = mi; g.s = sec;
  const v = g.wordsOf(b);
  g.b0 = b[s + 6]!; g.w0 = v.getUint32(s + 7, true); g.w1 = v.getUint32(s + 11, true); g.w2 = v.getUint32(s + 15, true);
  g.w3 = v.getUint32(s + 19, true); g.w4 = v.getUint32(s + 23, true);
  g.stampValid = true;
  return true;
}

/**
 * A one-unit latency in bytes [a, z) in milliseconds, by gin.ts's decimalMs (so the same double);
 * -1 for any other form. `wide` says the unit is a two-byte micro sign (µ C2 B5 or μ CE BC).
 */
function latencyAt(b: Uint8Array, a: number, z: number, wide: boolean): number {
  let i = a, n = 0, digits = 0, scale = 0, dot = false;
  for (; i < z; i++) {
    const c = b[i]!;
    if (c >= 48 && c <= 57) { n = n * 10 + (c - 48); digits++; if (dot) scale++; }
    else if (c === 46 && !dot) dot = true;
    else break;
  }
  if (digits === 0 || digits > 15) return -1;
  let mul: number;
  const unit = z - i, u0 = b[i]!, u1 = b[i + 1]!;
  if (wide) {
    if (unit !== 3 || b[i + 2] !== 115 || !((u0 === 0xc2 && u1 === 0xb5) || (u0 === 0xce && u1 === 0xbc))) return -1;
    mul = 1e-3;
  } else if (unit === 1 && u0 === 115 /* s */) mul = 1000;
  else if (unit === 2 && u1 === 115) {
    if (u0 === 109 /* m */) mul = 1;
    else if (u0 === 117 /* u */) mul = 1e-3;
    else if (u0 === 110 /* n */) mul = 1e-6;
    else return -1;
  } else return -1;
  return decimalMs(n, scale, mul);
}

/** gin's methods by their bytes at `at` (length `len`); undefined for any other word (then cut from the string). */
function methodAt(b: Uint8Array, at: number, len: number): string | undefined {
  const c = b[at];
  switch (len) {
    case 3: return c === 71 && b[at + 1] === 69 && b[at + 2] === 84 ? 'GET' : c === 80 && b[at + 1] === 85 && b[at + 2] === 84 ? 'PUT' : undefined;
    case 4: return c === 80 && b[at + 1] === 79 && b[at + 2] === 83 && b[at + 3] === 84 ? 'POST'
      : c === 72 && b[at + 1] === 69 && b[at + 2] === 65 && b[at + 3] === 68 ? 'HEAD' : undefined;
    case 5: return c === 80 && b[at + 1] === 65 && b[at + 2] === 84 && b[at + 3] === 67 && b[at + 4] === 72 ? 'PATCH' : undefined;
    case 6: return c === 68 && b[at + 1] === 69 && b[at + 2] === 76 && b[at + 3] === 69 && b[at + 4] === 84 && b[at + 5] === 69 ? 'DELETE' : undefined;
    case 7: return c === 79 && b[at + 1] === 80 && b[at + 2] === 84 && b[at + 3] === 73 && b[at + 4] === 79 && b[at + 5] === 78 && b[at + 6] === 83 ? 'OPTIONS' : undefined;
    default: return undefined;
  }
}

/** 1 for a byte of a client or method word: printable ASCII other than space and `|`. */
const WORD_BYTE = new Uint8Array(256);
for (let c = 33; c < 127; c++) if (c !== 124) WORD_BYTE[c] = 1;

// What a byte of the path is to the reader, by table (as WORD_BYTE): one load and one test for the common
// byte, instead of five comparisons; the path is most of a gin line's bytes.
const QUOTE = 1, DECLINE = 2, QUERY = 3;
const PATH_BYTE = new Uint8Array(256);
PATH_BYTE[34] = QUOTE;
PATH_BYTE[63] = QUERY;
for (const c of [92 /* \ */, 27 /* ESC */]) PATH_BYTE[c] = DECLINE;
for (let c = 128; c < 256; c++) PATH_BYTE[c] = DECLINE;

/**
 * Reads the gin line in bytes [s, e) of `b` (no newline, no CR) into `g` and returns the line as a string
 * (exactly what UTF-8 decoding of its bytes gives); undefined when it is not the common padded shape (`g`
 * then holds nothing to use), and the caller decodes the line and reads it with parseGin.
 * Character positions are gin's padded ones (gin.ts); in bytes, everything after the latency sits one further
 * on when its unit is a two-byte µ, and everything after the client `w` further on when it overflows.
 */
export function parseGinBytes(b: Buffer, s: number, e: number, g: GinLine): string | undefined {
  // "[GIN] " is the caller's test; the quote at character 79 is the shortest line.
  if (e - s <= 79 || !stampAt(b, s, g)) return undefined;
  if (b[s + 27] !== 32 || b[s + 28] !== 124 || b[s + 29] !== 32 || b[s + 33] !== 32 || b[s + 34] !== 124 || b[s + 35] !== 32) return undefined;
  const status = digitsAt(b, s + 30, 3);
  if (status < 0) return undefined;
  // The latency ends one byte later when its unit is µs: the bar tells which.
  let k: number;
  if (b[s + 50] === 124 && b[s + 49] === 32) k = 0;
  else if (b[s + 51] === 124 && b[s + 50] === 32) k = 1;
  else return undefined;
  if (e - s <= 79 + k) return undefined;
  let la = s + 36;
  const lz = s + 49 + k;
  while (la < lz && b[la] === 32) la++;
  if (la === lz) return undefined;
  const latencyMs = latencyAt(b, la, lz, k === 1);
  if (latencyMs < 0) return undefined;
  // Client: right-aligned in 15 characters, one word of printable ASCII. A longer one (an IPv6 address)
  // overflows its field and moves everything after it by `w` bytes, as gin's %15s does.
  if (b[s + 51 + k] !== 32) return undefined;
  let ca = s + 52 + k;
  const c15 = s + 67 + k;
  while (ca < c15 && b[ca] === 32) ca++;
  // A client the cache keeps and that fills its field to the bar is a word (only words are kept, below).
  const words = g.wordsOf(b);
  const keptClient = ca < c15 && b[c15] === 32 && b[c15 + 1] === 124 ? CLIENTS.kept(b, ca, c15, words) : undefined;
  let cz = ca;
  if (keptClient !== undefined) { cz = c15; g.clientSlot = CLIENTS.slot; }
  else while (cz < e && WORD_BYTE[b[cz]!] === 1) cz++;
  // gin.ts takes clients up to 64 characters; a word ending before the field's end is not gin's padding.
  if (cz < c15 || cz - ca > 64 || b[cz] !== 32 || b[cz + 1] !== 124 || b[cz + 2] !== 32) return undefined;
  const w = cz - c15;
  // Method: a word from character 70, padded with spaces to the quote at 79.
  const ma = s + 70 + k + w, q = s + 79 + k + w;
  if (q >= e) return undefined;
  let me = ma;
  while (me < q && WORD_BYTE[b[me]!] === 1) me++;
  // At most seven letters: gin.ts wants characters 77 and 78 to be padding.
  if (me === ma || me > s + 77 + k + w) return undefined;
  for (let i = me; i < q; i++) if (b[i] !== 32) return undefined;
  if (b[q] !== 34) return undefined;
  // Path: up to the first quote. A backslash before it (an escape), ESC (gin's colours are stripped from the
  // whole line by the string reader) or a byte outside ASCII is left to the string reader; so is a line that
  // holds anything outside ASCII after the quote, which must be decoded as UTF-8 rather than Latin-1.
  let close = -1, query = -1;
  let i = q + 1;
  // Most lines end at their path's quote with a path the cache keeps, and a kept path holds no quote, query,
  // escape or byte outside ASCII (only such spans are kept, below): the line needs no scan for them.
  const keptPath = b[e - 1] === 34 && e - 1 > i ? PATHS.kept(b, i, e - 1, words) : undefined;
  if (keptPath !== undefined) { close = e - 1; i = e; }
  for (; i < e; i++) {
    const kind = PATH_BYTE[b[i]!]!;
    if (kind === 0) continue;
    if (kind === QUOTE) { close = i; break; }
    if (kind === DECLINE) return undefined;
    if (query < 0) query = i;
  }
  // Up to the path's end the line is ASCII but for a wide unit's two bytes: a micro sign (C2 B5) is Latin-1.
  let ascii = true;
  if (close >= 0) for (i = close + 1; i < e; i++) if (b[i]! > 127) { ascii = false; break; }
  const raw = !ascii ? utf8(b, s, e) : k === 0 ? latin1(b, s, e) : b[lz - 3] === 0xc2 ? latin1Without(b, g.wordsOf(b), s, e, lz - 3) : utf8(b, s, e);
  // In characters: the latency ends at 49, the client at 67 + w, the method starts at 70 + w and the path at 80 + w.
  const pathEnd = close < 0 ? e : close;
  const mlen = me - ma;
  let path: string, uriPath: string, uriQuery: string | undefined;
  if (keptPath !== undefined) { path = uriPath = keptPath; g.pathSlot = g.uriPathSlot = PATHS.slot; }
  else if (query < 0) { path = uriPath = PATHS.get(b, q + 1, pathEnd, words); g.pathSlot = g.uriPathSlot = PATHS.slot; }
  else {
    g.pathSlot = -1;
    path = raw.slice(80 + w, pathEnd - s - k);
    uriPath = PATHS.get(b, q + 1, query, words);
    g.uriPathSlot = PATHS.slot;
    uriQuery = raw.slice(query + 1 - s - k, pathEnd - s - k);
  }
  g.status = status; g.latencyAt = la - s; g.latencyMs = latencyMs;
  if (keptClient !== undefined) g.client = keptClient;
  else if (ca === cz) { g.client = ''; g.clientSlot = -1; }
  else { g.client = CLIENTS.get(b, ca, cz, words); g.clientSlot = CLIENTS.slot; }
  g.method = methodAt(b, ma, mlen) ?? raw.slice(70 + w, 70 + w + mlen);
  g.path = path; g.pathClosed = close >= 0; g.plain = close === e - 1; g.uriPath = uriPath; g.uriQuery = uriQuery;
  return raw;
}
