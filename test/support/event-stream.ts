import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestApp } from './test-app.js';

export interface StreamMessage {
  id: string;
  event: string;
  data: { id: string; type: string; problem: { id: string; departmentId: string | null }; [key: string]: unknown };
}

/** The test app on a real loopback port (supertest uses it too once it listens). */
export async function listeningUrl(t: TestApp): Promise<string> {
  const server = t.app.getHttpServer() as http.Server;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A client of GET /events/stream: collects the Server-Sent Events it receives. */
export class StreamClient {
  readonly messages: StreamMessage[] = [];
  /** The reason the server's final `stream.closed` event gave, once it came (not counted in `messages`). */
  closedWith: string | null = null;
  /** Whether the server ended the response. */
  ended = false;
  body = '';
  private buffer = '';
  private waiters: Array<() => void> = [];

  private constructor(
    readonly status: number,
    readonly headers: http.IncomingHttpHeaders,
    private readonly request: http.ClientRequest,
    response: http.IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.body += chunk;
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        const frame = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of frame.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
        }
        if (fields.get('event') === 'stream.closed') {
          this.closedWith = (JSON.parse(fields.get('data')!) as { reason: string }).reason;
        } else if (fields.has('data')) {
          this.messages.push({ id: fields.get('id') ?? '', event: fields.get('event') ?? 'message', data: JSON.parse(fields.get('data')!) });
        }
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
    response.on('end', () => {
      this.ended = true;
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /**
   * `credentials`: an API token, or a session's `Cookie` header (`rk_session=…`, as a browser's EventSource sends it).
   * `body`: a JSON body sent with the GET (clients may send one; the stream must not mind).
   */
  static async open(t: TestApp, credentials: string | { cookie: string } | null, lastEventId?: string, body?: unknown): Promise<StreamClient> {
    const url = await listeningUrl(t);
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (typeof credentials === 'string' && credentials !== '') headers.Authorization = `Bearer ${credentials}`;
    else if (credentials) headers.Cookie = credentials.cookie;
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
    if (payload) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) });
    return new Promise((resolve, reject) => {
      // A stream that never answers fails the test rather than hanging it.
      const unanswered = setTimeout(() => {
        request.destroy();
        reject(new Error('GET /events/stream sent no answer within 5 s'));
      }, 5000);
      const request = http.request(`${url}/events/stream`, { method: 'GET', headers, agent: false }, (response) => {
        clearTimeout(unanswered);
        resolve(new StreamClient(response.statusCode ?? 0, response.headers, request, response));
      });
      request.on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)));
      request.end(payload ?? undefined);
    });
  }

  /** Waits until `predicate` holds for the messages received so far (fails after `timeoutMs`). */
  async waitFor(predicate: (messages: StreamMessage[]) => boolean, timeoutMs = 3000): Promise<StreamMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        const ending = this.ended ? ` (the server ended the stream${this.closedWith ? `: ${this.closedWith}` : ''})` : '';
        throw new Error(`Stream did not receive the expected events; got ${JSON.stringify(this.messages.map((m) => m.event))}${ending}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messages;
  }

  /** Waits until the server ends the response (fails after `timeoutMs`); returns the reason it gave. */
  async waitForEnd(timeoutMs = 3000): Promise<string | null> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`The server did not end the stream; got ${JSON.stringify(this.messages.map((m) => m.event))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.closedWith;
  }

  /** Whatever has arrived after giving the server a moment (used to check that something did NOT arrive). */
  async settle(ms = 300): Promise<StreamMessage[]> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.messages;
  }

  close(): void {
    this.request.destroy();
  }
}
