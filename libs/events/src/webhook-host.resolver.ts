import { lookup } from 'node:dns/promises';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Port: how webhook deliveries turn a receiver's host name into addresses (tests bind one that needs no DNS). */
export abstract class WebhookHostResolver {
  /** Every address the name has; rejects when it has none. */
  abstract resolve(hostname: string): Promise<ResolvedAddress[]>;
}

/** The system resolver, as node's http client would use it (getaddrinfo: /etc/hosts, then DNS). */
export class DnsWebhookHostResolver extends WebhookHostResolver {
  resolve(hostname: string): Promise<ResolvedAddress[]> {
    return lookup(hostname, { all: true, verbatim: true });
  }
}
