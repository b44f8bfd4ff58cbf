import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { BusinessCalendar, CalendarStamp } from '#calendar';
import { type CalendarAudit, CalendarProvider, CalendarStore, SEED_CALENDAR } from './calendar.provider.js';
import { SerialRefresh } from './serial-refresh.js';

/**
 * Signal on the @nestjs/event-emitter bus, emitted once a new calendar version is stored: every process sharing the
 * database (the ClusterBus carries it) serves that version from its next request on.
 */
export const CALENDAR_CHANGED = 'calendar.changed';

export interface CalendarChanged {
  calendarId: string;
  version: number;
}

/** How often a process re-reads the stored versions anyway: a safety net for a signal it missed. */
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
  private readonly rereads = new SerialRefresh(() => this.refresh());

  private readonly onCalendarChanged = (signal: Partial<CalendarChanged> | undefined) => {
    // A version this process already serves (its own publish, or a signal heard twice) costs no read.
    if (signal && typeof signal.calendarId === 'string' && typeof signal.version === 'number') {
      if (this.find({ calendarId: signal.calendarId, calendarVersion: signal.version })) return;
    }
    void this.rereads.request().catch((error: unknown) => this.logger.warn(`Re-reading the calendar failed: ${String(error)}`));
  };

  constructor(
    private readonly store: CalendarStore,
    @Inject(SEED_CALENDAR) private readonly seed: BusinessCalendar,
    @Optional() private readonly bus?: EventEmitter2,
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
    this.bus?.on(CALENDAR_CHANGED, this.onCalendarChanged);
    this.timer = setInterval(() => void this.refresh().catch((error: unknown) => this.logger.warn(String(error))), REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.bus?.off(CALENDAR_CHANGED, this.onCalendarChanged);
    if (this.timer) clearInterval(this.timer);
  }

  current(): BusinessCalendar {
    return this.latest;
  }

  find(stamp: CalendarStamp): BusinessCalendar | null {
    return this.versions.get(`${stamp.calendarId}@${stamp.calendarVersion}`) ?? null;
  }

  /**
   * Stores the next version (its version must be the current one + 1) and serves it from now on; resolves once the
   * other processes have been told, so whoever sees the answer finds the new version on any server.
   */
  async publish(calendar: BusinessCalendar, audit: CalendarAudit): Promise<boolean> {
    const saved = await this.store.save(calendar, audit);
    await this.refresh();
    if (saved) await this.bus?.emitAsync(CALENDAR_CHANGED, { calendarId: calendar.id, version: calendar.version } satisfies CalendarChanged);
    return saved;
  }

  async refresh(): Promise<void> {
    const all = await this.store.loadAll();
    this.versions = new Map(all.map((calendar) => [`${calendar.id}@${calendar.version}`, calendar]));
    const ofSeed = all.filter((calendar) => calendar.id === this.seed.id).sort((a, b) => b.version - a.version);
    this.latest = ofSeed[0] ?? this.seed;
  }
}
