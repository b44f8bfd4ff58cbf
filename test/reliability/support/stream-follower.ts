import http from 'node:http';

/** One event as a stream delivered it, and when it arrived (ms since the epoch). */
export interface Followed {
  id: string;
  type: string;
  problemId: string;
  problemVersion: number;
  arrivedAt: number;
}

/**
 * A client of `GET /events/stream` that stays on: when the stream ends (its server killed or restarted, the
 * connection cut) it reconnects to the same server with `Last-Event-ID` of the last event it saw, as a browser's
 * EventSource does, every 250 ms until the server answers again. Everything it receives is kept, in order, so a
 * suite can check that each event came once and in order across the reconnects.
 */
export class StreamFollower {
  readonly events: Followed[] = [];
  /** Connections opened (the first one included). */
  connections = 0;
  /** `stream.closed` reasons the server gave, in order. */
  readonly closedWith: string[] = [];
  /** Answers other than 200 to a (re)connect, e.g. `503` while the database was away. */
  readonly refusals: string[] = [];
  /** When it had no stream: [lost, back again] (ms since the epoch). */
  readonly gaps: Array<[number, number]> = [];
  private lostAt: number | null = null;
  private request: http.ClientRequest | null = null;
  private stopped = false;

  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Opens the stream and resolves once the server answered 200 (fails after `timeoutMs`). */
  async start(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.connect())) {
      if (Date.now() > deadline) throw new Error(`GET ${this.baseUrl}/events/stream did not answer 200 within ${timeoutMs} ms: ${this.refusals.join('; ')}`);
      await new Promise((done) => setTimeout(done, 250));
    }
  }

  /** Whether it had a stream open at `at`. */
  connectedAt(at: number): boolean {
    return !this.gaps.some(([from, to]) => at >= from && at <= to) && (this.lostAt === null || at < this.lostAt);
  }

  /** Drops the connection (as a network blip or a proxy's idle timeout would); it reconnects by itself. */
  cut(): void {
    this.request?.destroy();
  }

  stop(): void {
    this.stopped = true;
    this.request?.destroy();
  }

  /** Resolves true once connected (200), false when refused or unreachable; on 200 it follows until the end. */
  private connect(): Promise<boolean> {
    const last = this.events.at(-1)?.id;
    return new Promise((resolve) => {
      const request = http.get(
        `${this.baseUrl}/events/stream`,
        { headers: { Accept: 'text/event-stream', Authorization: `Bearer ${this.token}`, ...(last ? { 'Last-Event-ID': last } : {}) } },
        (response) => {
          if (response.statusCode !== 200) {
            this.refusals.push(String(response.statusCode));
            response.resume();
            resolve(false);
            return;
          }
          this.connections += 1;
          if (this.lostAt !== null) this.gaps.push([this.lostAt, Date.now()]);
          this.lostAt = null;
          resolve(true);
          this.follow(response);
        },
      );
      // Unreachable, or cut off: the caller tries again (a cut-off stream also ends its response, below).
      request.on('error', () => resolve(false));
      request.setTimeout(10_000, () => request.destroy());
      this.request = request;
    });
  }

  private follow(response: http.IncomingMessage): void {
    // A quiet stream (heartbeats every 15 s) must not count as dead.
    this.request?.setTimeout(0);
    response.setEncoding('utf8');
    let buffer = '';
    response.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of frame.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
        }
        const data = fields.get('data');
        if (data === undefined) continue;
        if (fields.get('event') === 'stream.closed') {
          this.closedWith.push((JSON.parse(data) as { reason: string }).reason);
          continue;
        }
        const event = JSON.parse(data) as { id: string; type: string; problem: { id: string; version: number } };
        this.events.push({ id: event.id, type: event.type, problemId: event.problem.id, problemVersion: event.problem.version, arrivedAt: Date.now() });
      }
    });
    response.on('error', () => undefined);
    response.on('close', () => {
      this.lostAt = Date.now();
      this.reconnectLater();
    });
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    setTimeout(() => {
      if (this.stopped) return;
      void this.connect().then((connected) => {
        if (!connected && !this.stopped) this.reconnectLater();
      });
    }, 250);
  }
}
