// Hex digests of short texts (a finding's identity for each row a scan records, eval's md5(), sha1() and
// sha256() for each event): Node's one-shot crypto.hash (20.12 and later) makes no Hash object per call, about half of
// createHash's time for such texts (0.6 against 1.4 µs here). Older Node 20 releases get createHash.
import * as crypto from 'node:crypto';

type OneShot = (algorithm: string, data: string, encoding: 'hex') => string;

const oneShot: OneShot | undefined = typeof crypto.hash === 'function' ? crypto.hash : undefined;

/**
 * `text`'s digest (of its UTF-8) by `algorithm` (md5, sha1, sha256), in lower-case hex. `viaHashObject`: by
 * createHash even where the one-shot exists (the test holds the two ways to each other).
 */
export function hexDigest(algorithm: string, text: string, viaHashObject = oneShot === undefined): string {
  return viaHashObject ? crypto.createHash(algorithm).update(text).digest('hex') : oneShot!(algorithm, text, 'hex');
}
