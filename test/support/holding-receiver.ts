import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback webhook receiver that answers each POST at once (or after `answerAfterMs`), or, while `held`, keeps
 * every request open until `release()` answers them all. It records the event id of each request as it arrives.
 */
export class HoldingReceiver {
  readonly eventIds: string[] = [];
  private readonly waiting: http.ServerResponse[] = [];
  private readonly server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      this.eventIds.push(String(request.headers['x-rectification-event-id']));
      if (this.held) this.waiting.push(response);
      else if (this.answerAfterMs > 0) setTimeout(() => response.writeHead(204).end(), this.answerAfterMs);
      else response.writeHead(204).end();
    });
  });

  constructor(
    public held = false,
    private readonly answerAfterMs = 0,
  ) {}

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** Answers the held requests, and every later one at once. */
  release(): void {
    this.held = false;
    for (const response of this.waiting.splice(0)) response.writeHead(204).end();
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
