import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

/**
 * Holds the event loop open while the worker runs. Its loops' timers are unref'd (so tests and the CLI never wait
 * on them) and the pool closes idle connections after 10 s, or all at once when the database restarts: a worker
 * sweeping less often than that had nothing left keeping it alive and ended, with exit code 0 and not a word,
 * before its next sweep. The server has its listening socket for this.
 */
@Injectable()
export class KeepAlive implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => undefined, 3_600_000);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
