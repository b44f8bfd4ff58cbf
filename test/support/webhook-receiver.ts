import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the receiver saw of one request. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A real HTTP receiver on loopback for webhook deliveries: it keeps every request it gets, and answers each path
 * with the statuses queued for it (`answer`), then `status` (200 unless another is given).
 */
export class WebhookReceiver {
  readonly received: ReceivedRequest[] = [];
  private readonly answers = new Map<string, number[]>();
  private readonly server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      this.received.push({ method: request.method ?? '', path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.statusCode = this.answers.get(path)?.shift() ?? this.status;
      response.end('ok');
    });
  });

  constructor(private readonly status = 200) {
    // Idle connections kept by the sender close soon, so stop() is not held up by them.
    this.server.keepAliveTimeout = 1_000;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** The next requests to `path` are answered with these statuses, in order. */
  answer(path: string, ...statuses: number[]): void {
    this.answers.set(path, statuses);
  }

  /** What reached `path`, in order. */
  at(path: string): ReceivedRequest[] {
    return this.received.filter((request) => request.path === path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** A loopback URL nobody listens on: a port that was just let go. */
export async function deadUrl(path: string): Promise<string> {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));
  return `http://127.0.0.1:${port}${path}`;
}
