// key=value pairs as Go's slog TextHandler writes them (bare or Go-quoted values, Go-quoted keys when needed), and
// the fields an event gets from them (addPairs).
import { readGoQuoted } from './gostring.js';
import type { Row } from '../engine/value.js';

// Keys repeat on every line (time, level, source, msg…): the same text gives back the same string, whose hash
// V8 has worked out and which it has internalized as a property name, instead of a new string for every pair.
// A fixed number of slots, each key in the one its length and characters name: bounded whatever the log holds.
const KEY_SLOTS = 256, KEY_MAX = 40;
const keys: string[] = new Array<string>(KEY_SLOTS).fill('');

/** Keys the last readPairs found in no slot of `keys` (new to it, or overlong, or quoted): addPairs reads it. */
let freshKeys = 0;

function keyAt(s: string, a: number, z: number): string {
  const n = z - a;
  if (n === 0 || n > KEY_MAX) { freshKeys++; return s.slice(a, z); }
  const slot = (n * 29 + s.charCodeAt(a) * 7 + s.charCodeAt(a + (n >> 1)) * 3 + s.charCodeAt(z - 1)) & (KEY_SLOTS - 1);
  const k = keys[slot]!;
  if (k.length === n && s.startsWith(k, a)) return k;
  freshKeys++;
  const fresh = s.slice(a, z);
  keys[slot] = fresh;
  return fresh;
}

/**
 * Reads pairs from `start` into `out` (emptied first) as key, value, key, value…; text that is not a pair (a
 * truncated tail) is skipped, never an error. One array per caller, no call per pair.
 */
export function readPairs(s: string, start: number, out: string[]): string[] {
  out.length = 0;
  freshKeys = 0;
  let i = start;
  const n = s.length;
  // The next backslash at or after i (n when none): a quoted value before it has no escape and is cut out
  // whole. Looked for again only once i has passed it, so the line is searched once however many values it has.
  let slash = -1;
  while (i < n) {
    while (i < n && s.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    let key: string;
    if (s.charCodeAt(i) === 34) {
      const q = readGoQuoted(s, i);
      key = q.value;
      i = q.end;
      freshKeys++;
    } else {
      const k0 = i;
      while (i < n) {
        const c = s.charCodeAt(i);
        if (c === 61 /* = */ || c === 32) break;
        i++;
      }
      key = keyAt(s, k0, i);
    }
    if (s.charCodeAt(i) !== 61) {
      // Not a pair: skip the word.
      i = wordEnd(s, i);
      continue;
    }
    i++;
    let value: string;
    if (s.charCodeAt(i) === 34) {
      const close = s.indexOf('"', i + 1);
      if (slash < i) { slash = s.indexOf('\\', i); if (slash < 0) slash = n; }
      if (close >= 0 && close < slash) {
        value = s.slice(i + 1, close);
        i = close + 1;
      } else {
        const q = readGoQuoted(s, i);
        value = q.value;
        i = q.end;
      }
    } else {
      const v0 = i;
      i = wordEnd(s, i);
      value = s.slice(v0, i);
    }
    if (key.length > 0) out.push(key, value);
  }
  return out;
}

/** Where the word at i ends: the next space, or the end of the text (the string's own search, not a loop). */
function wordEnd(s: string, i: number): number {
  const sp = s.indexOf(' ', i);
  return sp < 0 ? s.length : sp;
}

/** Splunk's automatic extraction cleans key names: anything but letters, digits and `_` becomes `_`. */
export function cleanKey(key: string): string {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95)) return key.replace(/[^A-Za-z0-9_]/g, '_');
  }
  return key;
}

/** Index-time fields that a key=value pair in the line must never replace. */
const PROTECTED = new Set(['host', 'sourcetype', 'index', '_raw', '_time', 'linecount', 'splunk_server', 'line_type', 'vendor_product', 'app', 'dest']);
/**
 * Names an event answers for from Object.prototype (`constructor`, `toString`…): a pair of such a name is
 * a field of the event's own, never the inherited value. With PROTECTED, so that a pair costs one lookup.
 */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));
const SPECIAL = new Set([...PROTECTED, ...INHERITED]);

// An event whose pairs are many, or whose keys the key cache had not seen, is of a shape V8 has not met: each
// key added to it would make a hidden class of its own (a log of lines of 20 unseen keys parsed at 29 µs a
// line). As a dictionary, adding a key is a hash insert (2–3 µs for such a line); a line of the usual keys
// stays as it is (made a dictionary, one of four usual pairs would cost 0.45 µs more).
const MANY_PAIRS = 12, FRESH_KEYS = 4;

/** Makes `ev` a dictionary, its properties and their order unchanged: V8 does so when a property that is not the last is deleted. */
function toDictionary(ev: Row): void {
  ev.__a = 0;
  ev.__b = 0;
  delete ev.__a;
  delete ev.__b;
}

/** Adds pairs `kv` from index `from` (key, value, …; as readPairs read them last) to `ev` as its fields. */
export function addPairs(ev: Row, kv: string[], from: number): void {
  if (kv.length - from >= 2 * MANY_PAIRS || freshKeys >= FRESH_KEYS) toDictionary(ev);
  for (let i = from; i < kv.length; i += 2) {
    const key = kv[i]!;
    addField(ev, key === 'source' ? 'code_source' : cleanKey(key), kv[i + 1]!);
  }
}

function addField(ev: Row, key: string, value: string): void {
  // A name starting with `_` is an internal field's (Splunk's field names cannot start with one): never from
  // a pair, as with HEC's fields (watch/events.ts). That also keeps `__proto__` from reaching the prototype.
  if (key.charCodeAt(0) === 95 /* _ */) return;
  let prev: Row[string];
  if (SPECIAL.has(key)) {
    if (PROTECTED.has(key)) return;
    prev = Object.hasOwn(ev, key) ? ev[key] : undefined;
  } else prev = ev[key];
  if (prev === undefined) ev[key] = value;
  else if (Array.isArray(prev)) prev.push(value);
  else ev[key] = [prev, value];
}
