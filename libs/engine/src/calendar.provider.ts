import type { BusinessCalendar, CalendarStamp } from '#calendar';

/**
 * Port: the organisation's business calendar, and the versions deadlines were stamped with. Synchronous, from
 * memory: implementations load and refresh what they serve.
 */
export abstract class CalendarProvider {
  abstract current(): BusinessCalendar;

  /** The calendar version a deadline was computed with, when still known. */
  abstract find(stamp: CalendarStamp): BusinessCalendar | null;
}

/** The national calendar the organisation's calendar starts from (BUSINESS_CALENDAR). */
export const SEED_CALENDAR = Symbol('SEED_CALENDAR');

export interface CalendarAudit {
  actorId: string;
  actorName: string;
  action: string;
  details: Record<string, unknown>;
  at: string;
}

/** Port: where an organisation's edited calendar versions are kept; each edit is a new version, audited. */
export abstract class CalendarStore {
  /** Every stored version of every calendar, oldest first. */
  abstract loadAll(): Promise<BusinessCalendar[]>;
  /** Stores a new version; false when that id and version already exist (someone else edited first). */
  abstract save(calendar: BusinessCalendar, audit: CalendarAudit | null): Promise<boolean>;
}
