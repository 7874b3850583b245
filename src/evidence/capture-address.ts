import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { VigilError } from '../domain/errors.ts';
import { required } from '../domain/required.ts';

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

function v4(hi: number, lo: number): IPv4 {
  return new ipaddr.IPv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
}

/**
 * The IPv4 addresses an IPv6 address carries inside it, which is where a packet to it can end
 * up: IPv4-mapped (::ffff:a.b.c.d) and its RFC 6145 twin, IPv4-compatible (::a.b.c.d, deprecated),
 * NAT64 (64:ff9b::/96), 6to4 (2002:AABB:CCDD::/16) and Teredo (server and client, 2001::/32).
 */
function embeddedIPv4(ip: IPv6): IPv4[] {
  // An IPv6 address always has its eight 16-bit parts.
  const p = (i: number) => required(ip.parts[i], 'a part of an IPv6 address');
  switch (ip.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
    case 'rfc6052':
      return [v4(p(6), p(7))];
    case '6to4':
      return [v4(p(1), p(2))];
    case 'teredo':
      // The client's address is stored inverted (RFC 4380 section 4).
      return [v4(p(2), p(3)), v4(p(6) ^ 0xffff, p(7) ^ 0xffff)];
    default:
      return ip.parts.slice(0, 6).every((x) => x === 0) ? [v4(p(6), p(7))] : [];
  }
}

/**
 * Ranges of IPv6 that only relay to an embedded IPv4 address; the address is judged by that IPv4
 * address. The NAT64 local-use prefix (64:ff9b:1::/48, RFC 8215) is not among them: where it puts
 * the IPv4 address depends on the operator, so it is refused like any other special range.
 */
function isRelayRange(ip: IPv6): boolean {
  const range = ip.range();
  if (range === 'rfc6052') return ip.match(ipaddr.IPv6.parse('64:ff9b::'), 96);
  return range === 'ipv4Mapped' || range === 'rfc6145' || range === '6to4' || range === 'teredo';
}

/**
 * True when `address` (an IP literal, in any form the address library reads: `127.1`, `0x7f.1`,
 * `[::ffff:7f00:1]`…) is anything but a public unicast address, or is not an address at all. A
 * server-side capture must not reach these (SSRF): loopback, private, link-local (cloud metadata
 * at 169.254.169.254), carrier-grade NAT, multicast, reserved and documentation ranges. The ranges
 * are ipaddr.js's, which follow the IANA special-purpose registries; only `unicast` passes. An IPv6
 * address that carries an IPv4 address is refused when the IPv4 address would be.
 */
export function isPrivateAddress(address: string): boolean {
  const text = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(text)) return true;
  const ip = ipaddr.parse(text);
  if (ip.kind() === 'ipv4') return ip.range() !== 'unicast';
  const ip6 = ip as IPv6;
  const embedded = embeddedIPv4(ip6);
  if (embedded.some((x) => x.range() !== 'unicast')) return true;
  if (isRelayRange(ip6)) return false;
  return ip6.range() !== 'unicast';
}

/** The refusal for a host on a network captures may not reach. */
export function refused(host: string): VigilError {
  return new VigilError(
    'capture.address_refused',
    `${host} is a loopback, private or reserved address; this server does not capture those`,
    { path: 'url' },
  );
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that refuses hosts resolving to a blocked address. The check is
 * made on the address the socket then connects to, so a name that resolves to a public address
 * when checked and a private one when used (DNS rebinding) cannot slip through.
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const list = addresses as LookupAddress[];
    const [first] = list;
    if (first === undefined || list.some((a) => isPrivateAddress(a.address)))
      return callback(refused(hostname) as unknown as NodeJS.ErrnoException, '');
    if (options.all) return callback(null, list);
    return callback(null, first.address, first.family);
  });
}

/** Resolves `hostname` and tells whether every address it has is public (for the browser's requests). */
export async function isPublicHost(hostname: string): Promise<boolean> {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return !isPrivateAddress(host);
  return new Promise((resolve) => {
    dnsLookup(host, { all: true }, (err, addresses) => {
      resolve(!err && addresses.length > 0 && addresses.every((a) => !isPrivateAddress(a.address)));
    });
  });
}
