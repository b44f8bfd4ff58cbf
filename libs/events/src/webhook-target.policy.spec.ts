import { describe, expect, it } from '@jest/globals';
import { parseAddressRange, WebhookTargetPolicy } from './webhook-target.policy.js';

describe(WebhookTargetPolicy.name, () => {
  const byDefault = new WebhookTargetPolicy([]);

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'unspecified ("this network")'],
    ['0.1.2.3', 'unspecified ("this network")'],
    ['::', 'unspecified'],
    ['10.0.0.5', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.10', 'private'],
    ['fc00::1', 'unique local (private)'],
    ['fd12:3456:789a::1', 'unique local (private)'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'],
    ['100.127.255.255', 'shared (carrier-grade NAT)'],
    ['192.0.0.8', 'IETF protocol assignment'],
    ['192.0.2.1', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'link-local'],
    ['::FFFF:10.1.2.3', 'private'],
    ['64:ff9b::a00:5', 'NAT64 (IPv4-embedded)'],
    ['2002:a00:5::1', '6to4 (IPv4-embedded)'],
    ['2001:0:4136:e378::1', 'IETF protocol assignment (Teredo among them)'],
    ['::127.0.0.1', 'reserved (not global unicast)'],
    ['fec0::1', 'site-local'],
    ['[::1]', 'loopback'],
    ['not-an-address', 'not an IP address'],
  ])('refuses %s by default (%s)', (address, kind) => {
    // when
    const verdict = byDefault.check(address);

    // then
    expect(verdict).toMatchObject({ allowed: false, kind });
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '1.1.1.1',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '169.253.255.255',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001:82a::200e',
    '::ffff:8.8.8.8',
  ])('allows the public address %s', (address) => {
    expect(byDefault.check(address)).toMatchObject({ allowed: true });
  });

  it('judges an IPv4-mapped address as the IPv4 address it carries, and names it so', () => {
    expect(byDefault.check('::ffff:7f00:1')).toEqual({ allowed: false, address: '127.0.0.1', kind: 'loopback', range: '127.0.0.0/8' });
    expect(byDefault.check('::ffff:8.8.8.8')).toEqual({ allowed: true, address: '8.8.8.8' });
  });

  it('allows what WEBHOOK_ALLOWED_TARGETS lists, and nothing next to it', () => {
    // given
    const policy = new WebhookTargetPolicy(['10.20.0.0/16', '127.0.0.1/32', 'fd00:1::/32', '::1']);

    // then
    expect(policy.check('10.20.3.4')).toMatchObject({ allowed: true });
    expect(policy.check('::ffff:10.20.3.4')).toMatchObject({ allowed: true });
    expect(policy.check('127.0.0.1')).toMatchObject({ allowed: true });
    expect(policy.check('::1')).toMatchObject({ allowed: true });
    expect(policy.check('fd00:1:abcd::5')).toMatchObject({ allowed: true });
    expect(policy.check('10.21.0.1')).toMatchObject({ allowed: false, kind: 'private' });
    expect(policy.check('127.0.0.2')).toMatchObject({ allowed: false, kind: 'loopback' });
    expect(policy.check('fd00:2::1')).toMatchObject({ allowed: false, kind: 'unique local (private)' });
    expect(policy.check('169.254.169.254')).toMatchObject({ allowed: false, kind: 'link-local' });
  });

  it('refuses an entry that is not an address or range', () => {
    expect(() => new WebhookTargetPolicy(['intranet'])).toThrow('"intranet"');
  });

  describe('checkUrl', () => {
    it.each([
      ['http://127.0.0.1:6379/', '127.0.0.1'],
      ['http://[::1]:22/', '::1'],
      ['http://[::ffff:127.0.0.1]/', '127.0.0.1'],
      ['http://0x7f000001/', '127.0.0.1'],
      ['http://0/', '0.0.0.0'],
      ['http://localhost:8080/', '127.0.0.1'],
      ['http://LOCALHOST./', '127.0.0.1'],
      ['https://admin.localhost/', '127.0.0.1'],
    ])('refuses %s as %s', (url, address) => {
      expect(byDefault.checkUrl(url)).toMatchObject({ allowed: false, address });
    });

    it('leaves a host name to the connection, and allows a public literal', () => {
      expect(byDefault.checkUrl('https://ledger.example.org/hooks')).toBeNull();
      expect(byDefault.checkUrl('https://93.184.215.14/hooks')).toEqual({ allowed: true, address: '93.184.215.14' });
    });

    it('allows localhost only when both its loopback addresses are allowed', () => {
      expect(new WebhookTargetPolicy(['127.0.0.1/32']).checkUrl('http://localhost/')).toMatchObject({ allowed: false, address: '::1' });
      expect(new WebhookTargetPolicy(['127.0.0.0/8', '::1/128']).checkUrl('http://localhost/')).toMatchObject({ allowed: true });
    });
  });
});

describe(parseAddressRange.name, () => {
  it.each([
    ['10.20.0.0/16', { address: '10.20.0.0', prefix: 16, family: 'ipv4' }],
    ['127.0.0.1', { address: '127.0.0.1', prefix: 32, family: 'ipv4' }],
    [' fd00::/8 ', { address: 'fd00::', prefix: 8, family: 'ipv6' }],
    ['::1', { address: '::1', prefix: 128, family: 'ipv6' }],
    ['0.0.0.0/0', { address: '0.0.0.0', prefix: 0, family: 'ipv4' }],
  ])('reads %s', (entry, range) => {
    expect(parseAddressRange(entry)).toEqual(range);
  });

  it.each(['intranet', '10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/8/8', '[::1]', '10.0.0.0/-1', '10.0.0.0/1e1', '300.0.0.1'])('refuses %s', (entry) => {
    expect(parseAddressRange(entry)).toBeNull();
  });
});
