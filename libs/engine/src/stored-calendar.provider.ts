import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { BusinessCalendar, CalendarStamp } from '#calendar';
import { type CalendarAudit, CalendarProvider, CalendarStore, SEED_CALENDAR } from './calendar.provider.js';

/** How often a process looks for calendar versions another server stored. */
const REFRESH_MS = 30_000;

/**
 * Serves the organisation's calendar from memory, loaded from the CalendarStore: the latest version is current,
 * every older version stays available to explain the deadlines stamped with it. On first start the national
 * calendar (BUSINESS_CALENDAR) is stored as version 1.
 */
@Injectable()
export class StoredCalendarProvider extends CalendarProvider implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Calendar');
  private versions = new Map<string, BusinessCalendar>();
  private latest: BusinessCalendar;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: CalendarStore,
    @Inject(SEED_CALENDAR) private readonly seed: BusinessCalendar,
  ) {
    super();
    this.latest = seed;
  }

  async onModuleInit(): Promise<void> {
    await this.refresh();
    if (![...this.versions.values()].some((calendar) => calendar.id === this.seed.id)) {
      await this.store.save(this.seed, null);
      await this.refresh();
    }
    this.timer = setInterval(() => void this.refresh().catch((error: unknown) => this.logger.warn(String(error))), REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  current(): BusinessCalendar {
    return this.latest;
  }

  find(stamp: CalendarStamp): BusinessCalendar | null {
    return this.versions.get(`${stamp.calendarId}@${stamp.calendarVersion}`) ?? null;
  }

  /** Stores the next version (its version must be the current one + 1) and serves it from now on. */
  async publish(calendar: BusinessCalendar, audit: CalendarAudit): Promise<boolean> {
    const saved = await this.store.save(calendar, audit);
    await this.refresh();
    return saved;
  }

  async refresh(): Promise<void> {
    const all = await this.store.loadAll();
    this.versions = new Map(all.map((calendar) => [`${calendar.id}@${calendar.version}`, calendar]));
    const ofSeed = all.filter((calendar) => calendar.id === this.seed.id).sort((a, b) => b.version - a.version);
    this.latest = ofSeed[0] ?? this.seed;
  }
}
