import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AuditTrail } from '#engine';
import { Repeating } from './repeating.js';
import { SCHEDULER_OPTIONS, type SchedulerOptions } from './scheduler.options.js';

/**
 * Seals each completed day of history with its anchor (the tamper-evident audit trail, see AuditTrail), on its own
 * timer beside the deadline scheduler, wherever the scheduler runs. Sealing is idempotent (a day is anchored once),
 * so several processes sealing together do no harm; a failure is logged and tried again at the next round.
 */
@Injectable()
export class HistorySealer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('HistorySealer');
  private readonly repeating: Repeating;

  constructor(
    private readonly auditTrail: AuditTrail,
    @Inject(SCHEDULER_OPTIONS) options: SchedulerOptions,
  ) {
    // seal() never throws: it logs its own failures.
    this.repeating = new Repeating(options.intervalMs, () => this.seal(), () => undefined);
  }

  onApplicationBootstrap(): void {
    this.repeating.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.repeating.stop();
  }

  /** Anchors every completed day not anchored yet; answers the days sealed. Never throws. */
  async seal(): Promise<string[]> {
    try {
      const days = await this.auditTrail.anchorCompletedDays();
      if (days.length > 0) this.logger.log(`History anchored for ${days.join(', ')}`);
      return days;
    } catch (error) {
      this.logger.error(`Anchoring history failed: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }
}
