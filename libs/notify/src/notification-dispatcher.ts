import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ChannelAdapters } from './channel-adapters.js';
import { DailyDigests } from './daily-digests.js';
import { NotificationPlanner } from './notification-planner.js';
import { NotificationSender } from './notification-sender.js';
import { NOTIFY_OPTIONS, type NotifyOptions } from './notify.options.js';

/**
 * Runs notifications inside the process every NOTIFY_INTERVAL_MS (0: not at all): plan the events the relay
 * handed over, make the daily digests and coverage warnings that are due, send what is due. One round never
 * overlaps the next; on shutdown the round in flight is awaited. Several processes on one PostgreSQL may all run
 * it: ids are derived, robot rounds hold the robot's row and email claims skip rows another process holds.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(NotificationDispatcher.name);
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly planner: NotificationPlanner,
    private readonly digests: DailyDigests,
    private readonly sender: NotificationSender,
    private readonly adapters: ChannelAdapters,
    @Inject(NOTIFY_OPTIONS) private readonly options: NotifyOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.intervalMs > 0) this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.round;
    await this.adapters.close();
  }

  /** One round by hand (tests, the CLI): plan, digests, send. */
  async runOnce(): Promise<{ planned: number; digests: number; sent: number }> {
    const planned = await this.planner.planOnce();
    const digests = await this.digests.makeDue();
    const sent = await this.sender.sendDue();
    return { planned, digests, sent };
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.round = this.runOnce()
        .then(() => undefined)
        .catch((error: Error) => this.logger.error(`Notification round failed (tried again next round): ${error.message}`))
        .finally(() => {
          this.round = null;
          if (!this.stopped) this.schedule();
        });
    }, this.options.intervalMs);
    this.timer.unref();
  }
}
