// Address parsing and CIDR matching (cidrmatch, the trusted-network macros, sort by ip).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cidrMatch, parseIp } from './cidr.js';

const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : undefined);
const mapped = (a: number, b: number, c: number, d: number) => '00000000000000000000ffff' + [a, b, c, d].map((x) => x.toString(16).padStart(2, '0')).join('');

test('dotted quads: four parts of one to three digits, each at most 255; anything else is not an address', () => {
  assert.equal(hex(parseIp('10.0.0.1')), mapped(10, 0, 0, 1));
  assert.equal(hex(parseIp('255.255.255.255')), mapped(255, 255, 255, 255));
  assert.equal(hex(parseIp('0.0.0.0')), mapped(0, 0, 0, 0));
  assert.equal(hex(parseIp('010.001.000.009')), mapped(10, 1, 0, 9), 'leading zeros are decimal');
  assert.equal(hex(parseIp('  192.168.1.20 ')), mapped(192, 168, 1, 20), 'spaces around');
  assert.equal(hex(parseIp('[10.0.0.1]')), mapped(10, 0, 0, 1), 'brackets');
  for (const bad of ['256.0.0.1', '1.2.3.256', '1.2.3', '1.2.3.4.5', '1..2.3', '.1.2.3', '1.2.3.', '1.2.3.4 5', '1234.1.1.1', '1.2.3.a', '', '.', '...', '-1.2.3.4', '1.2.3.4/8', '１.2.3.4']) {
    assert.equal(parseIp(bad), undefined, bad);
  }
});

test('a dotted quad reads as the regular-expression reader it replaced read it, for random strings of digits and dots', () => {
  const reference = (s: string): string | undefined => {
    const parts = s.trim().split('.');
    if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
    return mapped(...(parts.map(Number) as [number, number, number, number]));
  };
  let seed = 11;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const alphabet = '0123456789.....25 ';
  for (let i = 0; i < 20_000; i++) {
    let s = '';
    for (let n = 1 + random(17); n > 0; n--) s += alphabet[random(alphabet.length)];
    assert.equal(hex(parseIp(s)), reference(s), JSON.stringify(s));
  }
});

test('IPv6, IPv4-mapped and zone-scoped addresses', () => {
  assert.equal(hex(parseIp('::1')), '00000000000000000000000000000001');
  assert.equal(hex(parseIp('fd12:3456::1')), 'fd123456000000000000000000000001');
  assert.equal(hex(parseIp('::ffff:10.9.9.9')), mapped(10, 9, 9, 9));
  assert.equal(hex(parseIp('fe80::1%eth0')), 'fe800000000000000000000000000001');
  assert.equal(parseIp('1::2::3'), undefined);
  assert.equal(parseIp('12345::1'), undefined);
});

test('cidrmatch: the same address tested against several networks in a row, then others', () => {
  const nets = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '::1/128', 'fd00::/8'];
  const hits = (ip: string) => nets.filter((n) => cidrMatch(n, ip));
  assert.deepEqual(hits('10.1.2.3'), ['10.0.0.0/8']);
  assert.deepEqual(hits('172.31.255.255'), ['172.16.0.0/12']);
  assert.deepEqual(hits('172.32.0.1'), []);
  assert.deepEqual(hits('::ffff:192.168.4.4'), ['192.168.0.0/16']);
  assert.deepEqual(hits('::1'), ['::1/128']);
  assert.deepEqual(hits('fd12::1'), ['fd00::/8']);
  assert.deepEqual(hits('10.1.2.3'), ['10.0.0.0/8'], 'again, after others');
  assert.deepEqual(hits('not an address'), []);
  assert.equal(cidrMatch('10.0.0.1', '10.0.0.1'), true, 'a bare address');
  assert.equal(cidrMatch('10.0.0.0/33', '10.0.0.1'), false, 'no such network');
});
