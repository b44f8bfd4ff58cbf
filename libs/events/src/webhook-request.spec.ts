import { describe, expect, it } from '@jest/globals';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { type ResolvedAddress, WebhookHostResolver } from './webhook-host.resolver.js';
import { guardedLookup } from './webhook-request.js';
import { TargetNotAllowedError, WebhookTargetPolicy } from './webhook-target.policy.js';

class FixedResolver extends WebhookHostResolver {
  constructor(private readonly answers: Record<string, ResolvedAddress[]>) {
    super();
  }

  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    const answer = this.answers[hostname];
    if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answer;
  }
}

/** What net.connect would get from the lookup. */
function lookUp(resolver: WebhookHostResolver, policy: WebhookTargetPolicy, hostname: string, options: LookupOptions) {
  return new Promise<{ error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number }>((resolve) => {
    guardedLookup(resolver, policy)(hostname, options, (error, address, family) => resolve({ error, address, family }));
  });
}

describe(guardedLookup.name, () => {
  const resolver = new FixedResolver({
    'public.example.org': [{ address: '93.184.215.14', family: 4 }, { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 }],
    'rebound.example.org': [{ address: '93.184.215.14', family: 4 }, { address: '10.0.0.5', family: 4 }],
    'mapped.example.org': [{ address: '::ffff:169.254.169.254', family: 6 }],
    'intranet.example.org': [{ address: '10.20.0.7', family: 4 }],
  });
  const policy = new WebhookTargetPolicy(['10.20.0.0/16']);

  it('hands over the addresses of a public name, in both forms net.connect asks for', async () => {
    expect(await lookUp(resolver, policy, 'public.example.org', { all: true })).toEqual({
      error: null,
      address: [{ address: '93.184.215.14', family: 4 }, { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 }],
      family: undefined,
    });
    expect(await lookUp(resolver, policy, 'public.example.org', { family: 6 })).toEqual({
      error: null,
      address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c',
      family: 6,
    });
  });

  it('fails the connection when any address of the name is refused, naming it', async () => {
    // when
    const { error } = await lookUp(resolver, policy, 'rebound.example.org', { all: true });

    // then
    expect(error).toBeInstanceOf(TargetNotAllowedError);
    expect(error!.message).toMatch(/^target address 10\.0\.0\.5 is not allowed \(private, 10\.0\.0\.0\/8\)/);
    expect(error!.code).toBe('WEBHOOK_TARGET_NOT_ALLOWED');
  });

  it('refuses an IPv4-mapped answer as the IPv4 address it carries', async () => {
    const { error } = await lookUp(resolver, policy, 'mapped.example.org', {});

    expect(error!.message).toContain('target address 169.254.169.254 is not allowed');
  });

  it('connects to an address the allow-list names', async () => {
    expect(await lookUp(resolver, policy, 'intranet.example.org', {})).toEqual({ error: null, address: '10.20.0.7', family: 4 });
  });

  it("passes the resolver's failure on", async () => {
    const { error } = await lookUp(resolver, policy, 'nowhere.example.org', {});

    expect(error).toMatchObject({ code: 'ENOTFOUND' });
  });
});
