import ipaddr from 'ipaddr.js';

/** ipaddr.js's name for an address that routes on the public internet. */
const PUBLIC = 'unicast';
/** IPv6 global unicast, 2000::/3: the only IPv6 block the public internet routes today. */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

const RANGE_NAMES: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private address',
  uniqueLocal: 'a unique-local address',
};

/**
 * What kind of internal address this is ("a loopback address"…), or null when it is a public
 * unicast address and may be fetched from. v4 and v6, IPv4-mapped forms included. Every special-purpose range ipaddr.js knows is
 * refused (loopback, RFC 1918, CGNAT, link-local with the 169.254.169.254 metadata service,
 * unique-local, multicast, documentation, NAT64, 6to4…): a media host is on the public internet.
 */
export function internalAddressKind(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  // process() turns ::ffff:127.0.0.1 into 127.0.0.1, so the v4 rules apply to the mapped form.
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === PUBLIC && (parsed instanceof ipaddr.IPv4 || parsed.match(GLOBAL_UNICAST_V6))) return null;
  return RANGE_NAMES[range] ?? `not a public address (${range === PUBLIC ? 'unassigned' : range})`;
}
