import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A webhook receiver on loopback, as a subscriber would run one: it checks each delivery's signature (README,
 * "Webhooks") against the secret it is given, answers 204, and records every event id it received and how often.
 * Deliveries are at least once, so the same id may come several times; what matters to the reliability suites
 * is which ids came at all, and that none came that the outbox does not hold.
 */
export class WebhookReceiver {
  /** Event id → times received (a retry after a crash counts again). */
  readonly received = new Map<string, number>();
  /** Deliveries whose signature, timestamp or body did not check out. */
  readonly rejected: Array<{ eventId: string; reason: string }> = [];
  private secret: string | null = null;
  private readonly server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const eventId = String(request.headers['x-rectification-event-id'] ?? '');
      const problem = this.check(request.headers, body, eventId);
      if (problem) {
        this.rejected.push({ eventId, reason: problem });
        response.writeHead(401).end();
        return;
      }
      this.received.set(eventId, (this.received.get(eventId) ?? 0) + 1);
      response.writeHead(204).end();
    });
  });

  /** The signing secret, shown once when the subscription was created. */
  useSecret(secret: string): void {
    this.secret = secret;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/rectification`;
  }

  /** Deliveries received, counting retries. */
  get deliveries(): number {
    let total = 0;
    for (const count of this.received.values()) total += count;
    return total;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Why a delivery is refused, or null when it checks out. */
  private check(headers: http.IncomingHttpHeaders, body: string, eventId: string): string | null {
    if (this.secret === null) return 'no secret yet';
    const timestamp = String(headers['x-rectification-timestamp'] ?? '');
    const given = String(headers['x-rectification-signature'] ?? '');
    const expected = `sha256=${createHmac('sha256', this.secret).update(`${timestamp}.${body}`).digest('hex')}`;
    if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) return 'bad signature';
    if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return `stale timestamp ${timestamp}`;
    let parsed: { id?: unknown };
    try {
      parsed = JSON.parse(body) as { id?: unknown };
    } catch {
      return 'body is not JSON';
    }
    if (parsed.id !== eventId) return `body id ${String(parsed.id)} differs from header id ${eventId}`;
    return null;
  }
}
