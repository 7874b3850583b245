import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from './capture-address.ts';

/** Addresses a capture must refuse, with why: each is, or relays to, a network the server must not reach. */
const REFUSED: ReadonlyArray<readonly [address: string, why: string]> = [
  ['127.0.0.1', 'loopback'],
  ['127.1', 'loopback, short form'],
  ['0x7f.1', 'loopback, hex short form'],
  ['0177.0.0.1', 'loopback, octal'],
  ['2130706433', 'loopback, one number'],
  ['0.0.0.0', 'unspecified'],
  ['10.1.2.3', 'private'],
  ['172.16.0.1', 'private'],
  ['192.168.1.1', 'private'],
  ['100.64.0.1', 'carrier-grade NAT'],
  ['169.254.169.254', 'link-local: cloud metadata'],
  ['192.0.2.1', 'documentation'],
  ['198.18.0.1', 'benchmarking'],
  ['224.0.0.1', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  ['::', 'unspecified'],
  ['[::]', 'unspecified, bracketed'],
  ['::1', 'loopback'],
  ['[::1]', 'loopback, bracketed'],
  ['fc00::', 'unique local'],
  ['fd00::1', 'unique local'],
  ['fe80::', 'link-local'],
  ['fe80::1%eth0', 'link-local with a zone'],
  ['fec0::1', 'deprecated site-local'],
  ['ff02::1', 'multicast'],
  ['2001:db8::1', 'documentation'],
  ['100::1', 'discard'],
  ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
  ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'],
  ['0:0:0:0:0:ffff:7f00:0001', 'IPv4-mapped loopback, full form'],
  ['::ffff:10.0.0.1', 'IPv4-mapped private'],
  ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata, hex'],
  ['::ffff:0:7f00:1', 'RFC 6145 translated loopback'],
  ['::127.0.0.1', 'IPv4-compatible loopback'],
  ['::7f00:1', 'IPv4-compatible loopback, hex'],
  ['::10.0.0.1', 'IPv4-compatible private'],
  ['64:ff9b::7f00:1', 'NAT64 loopback'],
  ['64:ff9b::127.0.0.1', 'NAT64 loopback, dotted'],
  ['64:ff9b::a9fe:a9fe', 'NAT64 metadata'],
  ['64:ff9b:1::808:808', 'NAT64 local-use prefix'],
  ['2002:7f00:1::', '6to4 of loopback'],
  ['2002:c0a8:101::1', '6to4 of a private address'],
  ['2002:a9fe:a9fe::', '6to4 of metadata'],
  ['2001:0:7f00:1::', 'Teredo server on loopback'],
  ['2001:0:808:808:0:0:f5ff:fffe', 'Teredo client on 10.0.0.1'],
  ['localhost', 'a name, not an address'],
  ['', 'empty'],
];

const ALLOWED: readonly string[] = [
  '93.184.216.34',
  '8.8.8.8',
  '1.1.1.1',
  '2606:4700::1111',
  '[2a00:1450:4001:80b::200e]',
  '::ffff:8.8.8.8',
  '::ffff:808:808',
  '64:ff9b::808:808',
  '2002:808:808::1',
  '2001:0:808:808:0:0:f7f7:f7f7',
];

describe('isPrivateAddress', () => {
  it.each(REFUSED)('refuses %s (%s)', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });
  it.each(ALLOWED)('allows %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});
