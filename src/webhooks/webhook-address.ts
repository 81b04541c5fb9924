import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

// The address ranges no webhook may reach: a webhook must not become a way into the API's own network.
const BLOCKED_V4: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'private'], // carrier-grade NAT
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'private'], // IETF protocol assignments
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'private'], // benchmarking
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'], // and 255.255.255.255, broadcast
];
const BLOCKED_V6: Array<[string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'link-local'], // the deprecated site-local range
  ['fc00::', 7, 'unique-local'],
  ['ff00::', 8, 'multicast'],
];

const blocked = new Map<string, BlockList>();
for (const [network, prefix, reason] of [...BLOCKED_V4.map((entry) => [...entry, 'ipv4'] as const), ...BLOCKED_V6.map((entry) => [...entry, 'ipv6'] as const)]) {
  const list = blocked.get(reason) ?? new BlockList();
  list.addSubnet(network, prefix, network.includes(':') ? 'ipv6' : 'ipv4');
  blocked.set(reason, list);
}

/** The IPv4 address an IPv6 one carries (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`). */
function embeddedIpv4(address: string): string | null {
  const groups = expandIpv6(address);
  if (!groups) return null;
  const prefix = groups.slice(0, 6);
  const mapped = prefix.slice(0, 5).every((group) => group === 0) && (prefix[5] === 0xffff || prefix[5] === 0);
  const nat64 = prefix[0] === 0x64 && prefix[1] === 0xff9b && prefix.slice(2).every((group) => group === 0);
  if (!mapped && !nat64) return null;
  if (mapped && prefix[5] === 0 && groups[6] === 0 && groups[7] <= 1) return null; // `::` and `::1` themselves
  return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
}

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail included), or null when it is not one. */
function expandIpv6(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - headGroups.length - tailGroups.length }, () => '0');
  return [...headGroups, ...zeros, ...tailGroups].map((group) => parseInt(group, 16));
}

/** Why no webhook may reach `address` (`loopback`, `private`...), or null when it is a public address. */
export function blockedReason(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  if (family === 6) {
    const ipv4 = embeddedIpv4(address);
    if (ipv4) return blockedReason(ipv4);
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [reason, list] of blocked) {
    if (list.check(address.replace(/%.*$/, ''), type)) return reason;
  }
  return null;
}

/** A URL's host name as the allow-list compares it: lower case, an IPv6 address without brackets. */
export function bareHost(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

export class BlockedAddressError extends Error {}

/**
 * The addresses `host` resolves to, each of them allowed; throws BlockedAddressError naming the first that
 * is not (a host is refused when any of its addresses is, since the connection may use any of them).
 */
export async function resolveAllowed(host: string, allowedHosts: readonly string[]): Promise<Array<{ address: string; family: number }>> {
  const bare = bareHost(host);
  const addresses = isIP(bare) ? [{ address: bare, family: isIP(bare) }] : await lookup(bare, { all: true, verbatim: true });
  if (allowedHosts.includes(bare)) return addresses;
  for (const { address } of addresses) {
    if (allowedHosts.includes(address)) continue;
    const reason = blockedReason(address);
    if (reason) throw new BlockedAddressError(`${host} resolves to ${address}, a ${reason} address`);
  }
  return addresses;
}
