import { describe, expect, it } from 'vitest';
import { internalAddressKind } from '../../../src/services/media/address-policy.js';

describe('internalAddressKind', () => {
  it.each(['93.184.216.34', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e'])(
    'lets the public unicast address %s through',
    (address) => {
      expect(internalAddressKind(address)).toBeNull();
    },
  );

  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.255.254', 'a loopback address'],
    ['10.1.2.3', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.0.10', 'a private address'],
    ['100.64.0.1', 'a carrier-grade NAT address'],
    ['100.127.255.254', 'a carrier-grade NAT address'],
    ['169.254.169.254', 'a link-local address'],
    ['0.0.0.0', 'an unspecified address'],
    ['0.1.2.3', 'an unspecified address'],
    ['224.0.0.1', 'a multicast address'],
    ['255.255.255.255', 'a broadcast address'],
    ['::1', 'a loopback address'],
    ['::', 'an unspecified address'],
    ['fe80::1', 'a link-local address'],
    ['fc00::1', 'a unique-local address'],
    ['fd12:3456::1', 'a unique-local address'],
    ['ff02::1', 'a multicast address'],
    // IPv4-mapped forms are judged as the IPv4 address they carry.
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['::ffff:169.254.169.254', 'a link-local address'],
    ['::ffff:10.0.0.1', 'a private address'],
    ['::ffff:100.64.0.1', 'a carrier-grade NAT address'],
    // The deprecated IPv4-compatible form too.
    ['::127.0.0.1', 'a loopback address'],
  ])('refuses %s as %s', (address, kind) => {
    expect(internalAddressKind(address)).toBe(kind);
  });

  it.each([
    '192.0.2.1', // documentation
    '198.18.0.1', // benchmarking
    '240.0.0.1', // reserved
    '64:ff9b::7f00:1', // NAT64 of 127.0.0.1
    '2002:7f00:1::1', // 6to4 of 127.0.0.1
    '2001:db8::1', // documentation
    'fec0::1', // site-local (deprecated)
    '::ffff:0:7f00:1', // SIIT (RFC 6145) of 127.0.0.1
  ])('refuses the special-purpose address %s', (address) => {
    expect(internalAddressKind(address)).toMatch(/^not a public address/);
  });

  it('refuses what is not an address at all', () => {
    expect(internalAddressKind('localhost')).toBe('not an IP address');
  });
});
