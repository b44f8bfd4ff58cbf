import { BlockList, isIP } from 'node:net';

/** One address range: `10.0.0.0/8`. */
export interface AddressRange {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** Parses `10.20.0.0/16`, `fd00::/8` or a single address (`10.20.0.5`: /32, `::1`: /128); null when it is none. */
export function parseAddressRange(entry: string): AddressRange | null {
  const [address, prefixText, ...rest] = entry.trim().split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return null;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const widest = version === 4 ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: widest, family };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > widest) return null;
  return { address, prefix: Number(prefixText), family };
}

/**
 * Ranges no webhook may reach unless WEBHOOK_ALLOWED_TARGETS lists them: the IANA special-purpose registries, so
 * that a subscription cannot probe the server's own host, its network or the cloud metadata service. The first
 * match names the reason; the last IPv6 rows refuse everything outside global unicast (2000::/3).
 */
const REFUSED_RANGES: ReadonlyArray<{ cidr: string; kind: string }> = [
  { cidr: '0.0.0.0/8', kind: 'unspecified ("this network")' },
  { cidr: '10.0.0.0/8', kind: 'private' },
  { cidr: '100.64.0.0/10', kind: 'shared (carrier-grade NAT)' },
  { cidr: '127.0.0.0/8', kind: 'loopback' },
  { cidr: '169.254.0.0/16', kind: 'link-local' },
  { cidr: '172.16.0.0/12', kind: 'private' },
  { cidr: '192.0.0.0/24', kind: 'IETF protocol assignment' },
  { cidr: '192.0.2.0/24', kind: 'documentation' },
  { cidr: '192.88.99.0/24', kind: '6to4 relay' },
  { cidr: '192.168.0.0/16', kind: 'private' },
  { cidr: '198.18.0.0/15', kind: 'benchmarking' },
  { cidr: '198.51.100.0/24', kind: 'documentation' },
  { cidr: '203.0.113.0/24', kind: 'documentation' },
  { cidr: '224.0.0.0/4', kind: 'multicast' },
  { cidr: '255.255.255.255/32', kind: 'broadcast' },
  { cidr: '240.0.0.0/4', kind: 'reserved' },
  { cidr: '::/128', kind: 'unspecified' },
  { cidr: '::1/128', kind: 'loopback' },
  // NAT64 and 6to4 carry an IPv4 address inside: a private one would be reached through the translator.
  { cidr: '64:ff9b::/96', kind: 'NAT64 (IPv4-embedded)' },
  { cidr: '64:ff9b:1::/48', kind: 'local NAT64 (IPv4-embedded)' },
  { cidr: '100::/64', kind: 'discard-only' },
  { cidr: '2001::/23', kind: 'IETF protocol assignment (Teredo among them)' },
  { cidr: '2001:db8::/32', kind: 'documentation' },
  { cidr: '2002::/16', kind: '6to4 (IPv4-embedded)' },
  { cidr: '3fff::/20', kind: 'documentation' },
  { cidr: 'fc00::/7', kind: 'unique local (private)' },
  { cidr: 'fe80::/10', kind: 'link-local' },
  { cidr: 'fec0::/10', kind: 'site-local' },
  { cidr: 'ff00::/8', kind: 'multicast' },
  { cidr: '::/3', kind: 'reserved (not global unicast)' },
  { cidr: '4000::/2', kind: 'reserved (not global unicast)' },
  { cidr: '8000::/1', kind: 'reserved (not global unicast)' },
];

/** Whether an address may be reached; when not, which refused range it falls in. */
export type TargetVerdict = { allowed: true; address: string } | { allowed: false; address: string; kind: string; range: string };

/** The error of an attempt (or lookup) refused by the policy. */
export class TargetNotAllowedError extends Error {
  readonly code = 'WEBHOOK_TARGET_NOT_ALLOWED';

  constructor(readonly verdict: Extract<TargetVerdict, { allowed: false }>) {
    super(
      `target address ${verdict.address} is not allowed (${verdict.kind}, ${verdict.range}); ` +
        'list it in WEBHOOK_ALLOWED_TARGETS to deliver inside your own network',
    );
    this.name = 'TargetNotAllowedError';
  }
}

/** A BlockList holding one family only: node's BlockList matches IPv4 rules against IPv4-mapped IPv6 and back. */
function listOf(ranges: AddressRange[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) list.addSubnet(range.address, range.prefix, range.family);
  return list;
}

/** `::ffff:7f00:1` and `::ffff:127.0.0.1` → `127.0.0.1`; any other address as it is. */
function unmapped(address: string): string {
  if (isIP(address) !== 6) return address;
  // The WHATWG URL serialiser writes every IPv6 address in one canonical, compressed, lower-case form.
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!mapped) return canonical;
  const high = parseInt(mapped[1], 16);
  const low = parseInt(mapped[2], 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * Which addresses webhook deliveries may connect to: public unicast addresses, and whatever WEBHOOK_ALLOWED_TARGETS
 * lists besides. IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
 */
export class WebhookTargetPolicy {
  private readonly allowed: Record<'ipv4' | 'ipv6', BlockList>;
  private readonly refused: Array<{ kind: string; range: string; family: 'ipv4' | 'ipv6'; list: BlockList }>;

  constructor(allowedTargets: readonly string[]) {
    const ranges = allowedTargets.map((entry) => {
      const range = parseAddressRange(entry);
      if (!range) throw new Error(`Not an IP address or CIDR range: "${entry}"`);
      return range;
    });
    this.allowed = {
      ipv4: listOf(ranges.filter((range) => range.family === 'ipv4')),
      ipv6: listOf(ranges.filter((range) => range.family === 'ipv6')),
    };
    this.refused = REFUSED_RANGES.map(({ cidr, kind }) => {
      const range = parseAddressRange(cidr)!;
      return { kind, range: cidr, family: range.family, list: listOf([range]) };
    });
  }

  /** Judges one IP address (as a resolver returns it, or as a URL holds it). Anything not an IP is refused. */
  check(rawAddress: string): TargetVerdict {
    const address = unmapped(rawAddress.trim().replace(/^\[(.*)\]$/, '$1'));
    const version = isIP(address);
    if (version === 0) return { allowed: false, address, kind: 'not an IP address', range: '-' };
    const family = version === 4 ? 'ipv4' : 'ipv6';
    if (this.allowed[family].check(address, family)) return { allowed: true, address };
    const refused = this.refused.find((range) => range.family === family && range.list.check(address, family));
    return refused ? { allowed: false, address, kind: refused.kind, range: refused.range } : { allowed: true, address };
  }

  /**
   * What can be told from the URL alone: its host when that is an IP literal, or the loopback addresses of
   * `localhost` (and names under it, RFC 6761). Null for any other name: its addresses are checked when connecting.
   */
  checkUrl(url: string): TargetVerdict | null {
    const host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
    if (host === 'localhost' || host.endsWith('.localhost')) {
      return [this.check('127.0.0.1'), this.check('::1')].find((verdict) => !verdict.allowed) ?? { allowed: true, address: '127.0.0.1' };
    }
    return isIP(host.replace(/^\[(.*)\]$/, '$1')) === 0 ? null : this.check(host);
  }
}
