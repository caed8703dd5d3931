// Strings for the ASCII values a log repeats (clients, request paths), kept by their bytes so that the same
// value comes back as the same string: no string is cut per line, and the detections' lookups by value
// (memos, group maps, `values()`) meet one string whose hash V8 has already worked out and which stays in
// the CPU's caches, instead of a new copy on every event. A fixed number of slots, each value in the slot
// its hash names, replacing what was there: memory stays bounded whatever the log holds.

export class ByteStringCache {
  private readonly bytes: Uint8Array;
  private readonly lens: Int32Array;
  private readonly strs: Array<string | undefined>;
  private readonly mask: number;
  /** `bytes` as four-byte words, to compare a value with its slot's in a quarter of the reads. */
  private readonly words: DataView;
  /**
   * The slot of the value the last get() returned, or -1 when it was too long to keep: the same value is in
   * the same slot until another takes it, so a reader can keep what it learnt of a value by slot, checking
   * that the value it kept it for is the one it has (engine/field-dispatch.ts, engine/span-rex.ts).
   */
  slot = -1;
  readonly slots: number;

  /** `slots` a power of two; values longer than `width` bytes are decoded each time, not kept. */
  constructor(slots: number, private readonly width: number) {
    if ((slots & (slots - 1)) !== 0) throw new Error('slots must be a power of two');
    this.mask = slots - 1;
    this.slots = slots;
    this.bytes = new Uint8Array(slots * width);
    this.lens = new Int32Array(slots).fill(-1);
    this.strs = new Array<string | undefined>(slots).fill(undefined);
    this.words = new DataView(this.bytes.buffer);
  }

  /**
   * The text of bytes [a, z) of `b`, which must all be ASCII (decoded as Latin-1). `v`, when given, is a
   * DataView of `b`'s bytes (as GinLine.wordsOf makes), for comparing them four at a time.
   */
  get(b: Buffer, a: number, z: number, v?: DataView): string {
    const n = z - a;
    if (n > this.width) { this.slot = -1; return latin1(b, a, z); }
    const kept = this.kept(b, a, z, v);
    if (kept !== undefined) return kept;
    const s = latin1(b, a, z);
    const base = this.slot * this.width, bytes = this.bytes;
    for (let i = 0; i < n; i++) bytes[base + i] = b[a + i]!;
    this.lens[this.slot] = n;
    this.strs[this.slot] = s;
    return s;
  }

  /**
   * The string kept for bytes [a, z) of `b`, or undefined when they are not kept (too long, or their slot,
   * then `slot`, holds another value). Nothing is kept by it: only get() keeps.
   */
  kept(b: Buffer, a: number, z: number, v?: DataView): string | undefined {
    const n = z - a;
    if (n > this.width) { this.slot = -1; return undefined; }
    let h: number;
    if (n < 8) {
      h = 0x811c9dc5 ^ n; // FNV-1a
      for (let i = a; i < z; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    } else {
      // Seven bytes stand for the value: its first two, its middle and its last four, where addresses and
      // paths of one length differ most (the last octets, the file name). Hashing every byte was a fifth of
      // reading a gin line; values that share a slot only decode again, the comparison below decides.
      h = Math.imul(n ^ (b[a]! << 8) ^ (b[a + 1]! << 16) ^ (b[a + (n >> 1)]! << 24), 0x9e3779b1);
      h = Math.imul(h ^ b[z - 1]! ^ (b[z - 2]! << 8) ^ (b[z - 3]! << 16) ^ (b[z - 4]! << 24), 0x85ebca6b);
    }
    const slot = (h ^ (h >>> 15)) & this.mask;
    const base = slot * this.width;
    this.slot = slot;
    const bytes = this.bytes;
    if (this.lens[slot] === n) {
      let i = 0;
      if (v !== undefined) {
        const w = this.words;
        while (i + 4 <= n && w.getUint32(base + i) === v.getUint32(a + i)) i += 4;
      }
      while (i < n && bytes[base + i] === b[a + i]) i++;
      if (i === n) return this.strs[slot]!;
    }
    return undefined;
  }
}

// Buffer's own decoders, called without toString's argument checks and encoding lookup (about 15 ns of
// 65 for a 96-byte line). They are on Buffer.prototype in every Node release; toString stands in otherwise.
type Decoder = (b: Buffer, a: number, z: number) => string;
interface NativeSlices { latin1Slice?: (a: number, z: number) => string; utf8Slice?: (a: number, z: number) => string }
const PROTO = Buffer.prototype as unknown as NativeSlices;

/** Bytes [a, z) of `b` (within it) as Latin-1: one character per byte. */
export const latin1: Decoder = typeof PROTO.latin1Slice === 'function'
  ? (b, a, z) => (b as unknown as Required<NativeSlices>).latin1Slice(a, z)
  : (b, a, z) => b.toString('latin1', a, z);

/** Bytes [a, z) of `b` (within it) decoded as UTF-8, invalid sequences as U+FFFD. */
export const utf8: Decoder = typeof PROTO.utf8Slice === 'function'
  ? (b, a, z) => (b as unknown as Required<NativeSlices>).utf8Slice(a, z)
  : (b, a, z) => b.toString('utf8', a, z);

let scratch = Buffer.allocUnsafe(256);
let scratchView = new DataView(scratch.buffer, scratch.byteOffset, scratch.byteLength);

/**
 * Bytes [a, z) of `b` less the byte at `p`, as Latin-1: a line whose only bytes outside ASCII are gin's
 * micro sign (C2 B5, U+00B5, a Latin-1 character) is its bytes without the C2. `v` is a DataView of `b`.
 */
export function latin1Without(b: Uint8Array, v: DataView, a: number, z: number, p: number): string {
  const n = z - a - 1;
  if (scratch.length < n + 4) {
    scratch = Buffer.allocUnsafe(Math.max(n + 4, 2 * scratch.length));
    scratchView = new DataView(scratch.buffer, scratch.byteOffset, scratch.byteLength);
  }
  const out = scratchView;
  let i = a, j = 0;
  for (; i + 4 <= p; i += 4, j += 4) out.setUint32(j, v.getUint32(i));
  for (; i < p; i++, j++) out.setUint8(j, b[i]!);
  for (i = p + 1; i + 4 <= z; i += 4, j += 4) out.setUint32(j, v.getUint32(i));
  for (; i < z; i++, j++) out.setUint8(j, b[i]!);
  return latin1(scratch, 0, n);
}
