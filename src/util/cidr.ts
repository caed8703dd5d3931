// CIDR matching for IPv4 and IPv6 (including IPv4-mapped IPv6 such as ::ffff:10.0.0.1).

/** 16-byte form of an IPv4 or IPv6 address, or undefined when the text is not one. */
export function parseIp(text: string): Uint8Array | undefined {
  // A plain dotted quad, what a client address most often is, without the clean-up below.
  const quick = parseV4(text);
  if (quick) return v4Mapped(quick);
  const s = text.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (s.length === 0 || s.length > 45) return undefined;
  if (!s.includes(':')) {
    const v4 = parseV4(s);
    return v4 ? v4Mapped(v4) : undefined;
  }
  let head = s;
  let tailV4: Uint8Array | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tailV4 = parseV4(s.slice(lastColon + 1));
    if (!tailV4) return undefined;
    head = s.slice(0, lastColon) + ':0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (p: string) => (p === '' ? [] : p.split(':'));
  const left = parseGroups(halves[0]!);
  const right = halves.length === 2 ? parseGroups(halves[1]!) : [];
  const total = left.length + right.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const groups = [...left, ...Array<string>(8 - total).fill('0'), ...right];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const g = groups[i]!;
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  }
  if (tailV4) out.set(tailV4, 12);
  return out;
}

/** Four parts of one to three digits each, at most 255, joined by dots (leading zeros allowed: 010 is 10). */
function parseV4(s: string): Uint8Array | undefined {
  const n = s.length;
  if (n < 7 || n > 15) return undefined;
  const out = new Uint8Array(4);
  let part = 0, digits = 0, v = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return undefined;
      v = v * 10 + (c - 48);
    } else if (c === 46 && digits > 0 && part < 3) {
      if (v > 255) return undefined;
      out[part++] = v;
      digits = 0;
      v = 0;
    } else return undefined;
  }
  if (part !== 3 || digits === 0 || v > 255) return undefined;
  out[3] = v;
  return out;
}

function v4Mapped(v4: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out[10] = 0xff; out[11] = 0xff;
  out.set(v4, 12);
  return out;
}

function isV4Mapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

interface Net { bytes: Uint8Array; bits: number; v4: boolean }

// Detections test the same few networks against the same few thousand client addresses millions of times:
// networks are parsed once (a bounded map); an address is parsed once for the tests of it in a row (a trusted-
// network macro's dozen cidrmatch calls), and the memos of the expressions that test it keep their answers.
// (A bounded map of addresses, cleared when full, cost more than it saved in a scan of a million addresses.)
const nets = new Map<string, Net | null>();
let lastIp: string | undefined;
let lastAddr: Uint8Array | null = null;

function parseNet(cidr: string): Net | null {
  let n = nets.get(cidr);
  if (n !== undefined) return n;
  const slash = cidr.indexOf('/');
  const netText = slash < 0 ? cidr : cidr.slice(0, slash);
  const bytes = parseIp(netText);
  const v4 = !netText.includes(':');
  let bits = 128;
  if (slash >= 0) {
    const b = cidr.slice(slash + 1);
    bits = /^\d{1,3}$/.test(b) ? Number(b) + (v4 ? 96 : 0) : -1;
    if (bits > 128 || (v4 && Number(b) > 32)) bits = -1;
  }
  n = bytes && bits >= 0 ? { bytes, bits, v4 } : null;
  if (nets.size > 1000) nets.clear();
  nets.set(cidr, n);
  return n;
}

/** The address's bytes (shared with the next call for the same text: read only). */
function parseAddr(ip: string): Uint8Array | null {
  if (ip === lastIp) return lastAddr;
  lastAddr = parseIp(ip) ?? null;
  lastIp = ip;
  return lastAddr;
}

/** True when `ip` lies in `cidr` (`10.0.0.0/8`, `fd00::/8`, or a bare address). */
export function cidrMatch(cidr: string, ip: string): boolean {
  const n = parseNet(cidr);
  const addr = parseAddr(ip);
  if (!n || !addr) return false;
  const net = n.bytes;
  let bits = n.bits;
  if (n.v4 && !isV4Mapped(addr)) return false;
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((net[i]! & mask) !== (addr[i]! & mask)) return false;
  }
  return true;
}
