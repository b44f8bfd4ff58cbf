import ICAL from 'ical.js';
import { reviseCalendar, type BusinessCalendar } from './business-calendar.js';
import { InvalidCalendarError } from './calendar.errors.js';
import { addDays, daysBetween, isLocalDate, type LocalDate } from './local-date.js';

export interface IcsImportOptions {
  /** What an ordinary all-day event becomes: a public holiday (default) or an organisation closure. */
  readonly as?: 'holiday' | 'closure';
  /** Recurring events are expanded up to this date, included; without it they are skipped and reported. */
  readonly recurUntil?: LocalDate;
}

export interface ImportedDay {
  readonly date: LocalDate;
  readonly kind: 'holiday' | 'closure' | 'makeUpWorkday';
  readonly name: string;
}

export interface SkippedEvent {
  readonly uid: string | null;
  readonly summary: string | null;
  readonly reason: string;
}

export interface IcsImportResult {
  /** The next version of the calendar, or the same calendar when the file added nothing new. */
  readonly calendar: BusinessCalendar;
  readonly imported: readonly ImportedDay[];
  /** Events that did not become whole days, with why, so nothing in the file is dropped silently. */
  readonly skipped: readonly SkippedEvent[];
}

/** One event longer than this is more likely a mistake than a closure. */
const MAX_EVENT_DAYS = 366;
/**
 * Apple's holiday calendars (and chinese-days' .ics files) mark a make-up working day (调休上班) with
 * X-APPLE-SPECIAL-DAY:ALTERNATE-WORKDAY and a day off with WORK-HOLIDAY.
 */
const MAKE_UP_WORKDAY_MARK = 'ALTERNATE-WORKDAY';

/**
 * Adds the all-day events of an iCalendar (RFC 5545) file to a calendar. DTEND of an all-day event is exclusive
 * (RFC 5545 §3.6.1), so DTSTART 20260803 / DTEND 20260808 covers 3–7 August; an event with neither DTEND nor
 * DURATION lasts its one day. Timed events, cancelled events and unbounded recurrences are reported as skipped.
 */
export function importIcsHolidays(
  calendar: BusinessCalendar,
  icsText: string,
  options: IcsImportOptions = {},
): IcsImportResult {
  if (options.recurUntil !== undefined && !isLocalDate(options.recurUntil)) {
    throw new InvalidCalendarError(`recurUntil must be a YYYY-MM-DD date, not "${options.recurUntil}".`);
  }
  const kind = options.as ?? 'holiday';
  const imported: ImportedDay[] = [];
  const skipped: SkippedEvent[] = [];

  for (const component of parse(icsText).getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(component);
    const uid = event.uid ?? null;
    const summary = event.summary ?? null;
    const skip = (reason: string): void => {
      skipped.push({ uid, summary, reason });
    };

    // An overridden occurrence is applied through its recurring event's expansion below.
    if (event.isRecurrenceException()) continue;
    if (String(component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') {
      skip('cancelled');
      continue;
    }
    if (!event.startDate || !event.startDate.isDate) {
      skip('timed event: only all-day events (DTSTART;VALUE=DATE) become whole days off');
      continue;
    }
    const mark = String(component.getFirstPropertyValue('x-apple-special-day') ?? '').toUpperCase();
    const dayKind: ImportedDay['kind'] = mark === MAKE_UP_WORKDAY_MARK ? 'makeUpWorkday' : kind;

    const occurrences: { start: ICAL.Time; end: ICAL.Time; name: string | null }[] = [];
    if (event.isRecurring()) {
      if (options.recurUntil === undefined) {
        skip('recurring event: pass recurUntil to expand it');
        continue;
      }
      const until = options.recurUntil;
      const expansion = event.iterator();
      for (let next = expansion.next(); next && next.toString() <= until; next = expansion.next()) {
        const details = event.getOccurrenceDetails(next);
        occurrences.push({ start: details.startDate, end: details.endDate, name: details.item.summary ?? summary });
      }
    } else {
      occurrences.push({ start: event.startDate, end: event.endDate, name: summary });
    }

    for (const occurrence of occurrences) {
      const name = occurrence.name?.trim();
      if (!name) {
        skip(`no SUMMARY on ${occurrence.start.toString()}: a day off needs a name`);
        continue;
      }
      const first = occurrence.start.toString();
      const end = occurrence.end.toString().slice(0, 10);
      const length = Math.max(1, daysBetween(first, end));
      if (length > MAX_EVENT_DAYS) {
        skip(`${length} days long, from ${first}: longer than ${MAX_EVENT_DAYS} days`);
        continue;
      }
      for (let offset = 0; offset < length; offset += 1) {
        imported.push({ date: addDays(first, offset), kind: dayKind, name });
      }
    }
  }

  return { calendar: merge(calendar, imported), imported, skipped };
}

function parse(icsText: string): ICAL.Component {
  let jcal: unknown;
  try {
    jcal = ICAL.parse(icsText);
  } catch (error) {
    throw new InvalidCalendarError(`The file is not valid iCalendar: ${(error as Error).message}`);
  }
  const root = new ICAL.Component(jcal as unknown[]);
  if (root.name !== 'vcalendar') throw new InvalidCalendarError('The file holds no VCALENDAR.');
  return root;
}

function merge(calendar: BusinessCalendar, days: readonly ImportedDay[]): BusinessCalendar {
  const records = {
    holiday: { ...calendar.holidays },
    closure: { ...calendar.closures },
    makeUpWorkday: { ...calendar.makeUpWorkdays },
  };
  const fromFile = {
    holiday: new Set<LocalDate>(),
    closure: new Set<LocalDate>(),
    makeUpWorkday: new Set<LocalDate>(),
  };
  for (const { date, kind, name } of days) {
    const record: Record<LocalDate, string> = records[kind];
    // The file replaces what the calendar said for that date; two events of the file on one day keep both names.
    record[date] = fromFile[kind].has(date) && record[date] !== name ? `${record[date]} / ${name}` : name;
    fromFile[kind].add(date);
  }
  const conflicts = Object.keys(records.holiday).filter((date) => date in records.makeUpWorkday);
  if (conflicts.length > 0) {
    throw new InvalidCalendarError(
      `The import would make ${conflicts.join(', ')} both a holiday and a make-up working day. ` +
        'Remove one of them from the file or the calendar first.',
      { dates: conflicts },
    );
  }
  return reviseCalendar(calendar, {
    holidays: records.holiday,
    closures: records.closure,
    makeUpWorkdays: records.makeUpWorkday,
  });
}
