import ICAL from 'ical.js';
import { DomainError } from '#domain';
import { reviseCalendar, type BusinessCalendar, type HolidayCoverage } from './business-calendar.js';
import { InvalidCalendarError } from './calendar.errors.js';
import { addDays, daysBetween, isLocalDate, type LocalDate, yearOf } from './local-date.js';

export interface IcsImportOptions {
  /** What an ordinary all-day event becomes: a public holiday (default) or an organisation closure. */
  readonly as?: 'holiday' | 'closure';
  /** Recurring events are expanded up to this date, included; without it they are skipped and reported. */
  readonly recurUntil?: LocalDate;
  /**
   * Today in the calendar's zone: no day later than `maxYearsAhead` years after it is taken (a recurrence reaching
   * further is refused, a single event that far is skipped). Without it only the count limits apply.
   */
  readonly today?: LocalDate;
  /**
   * The file is the complete public-holiday schedule up to this date, included (e.g. next year's State Council
   * schedule: its last day): the calendar's holiday coverage is extended to it, so deadlines counted up to it are no
   * longer provisional. Only with `as: 'holiday'`; coverage never shrinks.
   */
  readonly coverageUntil?: LocalDate;
}

/**
 * What one file may add (README "Business calendar"): each bounds the work and the size of the calendar, so a
 * daily rule expanded to year 9999 is refused at once instead of holding the server for minutes.
 */
export const ICS_IMPORT_LIMITS = {
  maxEventsPerFile: 1000,
  maxDaysPerFile: 5000,
  maxOccurrencesPerEvent: 1000,
  /**
   * Steps of the recurrence iterators, all events together (about half a second): a rule that never matches
   * (30 February) still stops, and so does a file of many rules started long ago.
   */
  maxExpansionSteps: 50_000,
  maxYearsAhead: 10,
  /** Longest SUMMARY taken as the name of a day off (a closure's reason takes as many). */
  maxNameLength: 200,
} as const;

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
  if (options.today !== undefined && !isLocalDate(options.today)) {
    throw new InvalidCalendarError(`today must be a YYYY-MM-DD date, not "${options.today}".`);
  }
  const limits = ICS_IMPORT_LIMITS;
  const kind = options.as ?? 'holiday';
  const latest = options.today === undefined ? undefined : yearsAfter(options.today, limits.maxYearsAhead);
  if (options.coverageUntil !== undefined) {
    if (!isLocalDate(options.coverageUntil)) {
      throw new InvalidCalendarError(`coverageUntil must be a YYYY-MM-DD date, not "${options.coverageUntil}".`);
    }
    // Closures are the organisation's own: a file of them says nothing about which public holidays are known.
    if (kind !== 'holiday') throw new InvalidCalendarError('coverageUntil applies to an import of public holidays (as: "holiday") only.');
    if (latest !== undefined && options.coverageUntil > latest) {
      throw new InvalidCalendarError(
        `coverageUntil ${options.coverageUntil} is after ${latest}, the latest date the calendar takes (${limits.maxYearsAhead} years from today).`,
      );
    }
  }
  const imported: ImportedDay[] = [];
  const skipped: SkippedEvent[] = [];
  const steps = { taken: 0 };

  const components = parse(icsText).getAllSubcomponents('vevent');
  if (components.length > limits.maxEventsPerFile) {
    throw new DomainError(
      'CALENDAR.IMPORT_TOO_LARGE',
      `The file has ${components.length} events; one import takes at most ${limits.maxEventsPerFile}. Split it into several files.`,
      { events: components.length, maxEvents: limits.maxEventsPerFile },
    );
  }
  for (const component of components) {
    const event = new ICAL.Event(component);
    const uid = event.uid ?? null;
    // A name is echoed back in the report: never more of it than a day off may carry.
    const fullSummary = event.summary ?? null;
    const summary = fullSummary === null ? null : String(fullSummary).slice(0, limits.maxNameLength);
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
      for (const next of expand(event, { uid, summary }, options.recurUntil, latest, steps)) {
        const details = event.getOccurrenceDetails(next);
        occurrences.push({ start: details.startDate, end: details.endDate, name: details.item.summary ?? fullSummary });
      }
    } else {
      occurrences.push({ start: event.startDate, end: event.endDate, name: fullSummary });
    }

    for (const occurrence of occurrences) {
      const name = occurrence.name?.trim();
      if (!name) {
        skip(`no SUMMARY on ${occurrence.start.toString()}: a day off needs a name`);
        continue;
      }
      if (name.length > limits.maxNameLength) {
        skip(`SUMMARY on ${occurrence.start.toString()} is longer than ${limits.maxNameLength} characters: shorten the name of the day off`);
        continue;
      }
      const first = occurrence.start.toString();
      const end = occurrence.end.toString().slice(0, 10);
      if (!isLocalDate(first) || !isLocalDate(end)) {
        skip(`dates ${first} to ${end} are not dates of years 0001 to 9999`);
        continue;
      }
      const length = Math.max(1, daysBetween(first, end));
      if (length > MAX_EVENT_DAYS) {
        skip(`${length} days long, from ${first}: longer than ${MAX_EVENT_DAYS} days`);
        continue;
      }
      const last = addDays(first, length - 1);
      if (!isLocalDate(last)) {
        skip(`ends after 9999-12-31`);
        continue;
      }
      if (latest !== undefined && last > latest) {
        skip(`ends after ${latest}, the latest date the calendar takes (${limits.maxYearsAhead} years from today)`);
        continue;
      }
      if (imported.length + length > limits.maxDaysPerFile) {
        throw new DomainError(
          'CALENDAR.IMPORT_TOO_LARGE',
          `The file adds more than ${limits.maxDaysPerFile} days off; one import takes at most that many. Split it into several files.`,
          { maxDays: limits.maxDaysPerFile, uid, summary },
        );
      }
      for (let offset = 0; offset < length; offset += 1) {
        imported.push({ date: addDays(first, offset), kind: dayKind, name });
      }
    }
  }

  const holidayCoverage = extendedCoverage(calendar.holidayCoverage, imported, options.coverageUntil);
  return { calendar: merge(calendar, imported, holidayCoverage), imported, skipped };
}

/**
 * The occurrences of a recurring event up to `until`, included, each bound checked as the expansion goes: the
 * number of occurrences, the horizon (`latest`) and the iterator steps of the whole file (`steps`). ical.js's
 * iterator loops without end inside next() on a rule that never matches (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30), so
 * its per-step check is wrapped while this expansion runs (synchronously, so no other expansion sees it).
 */
function expand(
  event: ICAL.Event,
  named: { uid: string | null; summary: string | null },
  until: LocalDate,
  latest: LocalDate | undefined,
  steps: { taken: number },
): ICAL.Time[] {
  const limits = ICS_IMPORT_LIMITS;
  const beyondHorizon = latest !== undefined && until > latest;
  const stopAt = ICAL.Time.fromDateString(beyondHorizon ? latest : until);
  const tooLong = (why: string, details: Record<string, unknown>) =>
    new DomainError(
      'CALENDAR.RECURRENCE_TOO_LONG',
      `The recurring event ${named.uid ?? '(no UID)'} "${named.summary ?? ''}" ${why}. Give it an end (UNTIL or COUNT), or pass an earlier recurUntil.`,
      { uid: named.uid, summary: named.summary, ...details },
    );
  const pastHorizon = () =>
    tooLong(`repeats after ${latest}, the latest date the calendar takes (${limits.maxYearsAhead} years from today)`, { latestDate: latest });

  type Cursor = { last: ICAL.Time; completed: boolean };
  const iterator = ICAL.RecurIterator.prototype as unknown as { check_contracting_rules(this: Cursor): boolean };
  const checkContractingRules = iterator.check_contracting_rules;
  let cursorPassedEnd = false;
  iterator.check_contracting_rules = function guarded(this: Cursor): boolean {
    if ((steps.taken += 1) > limits.maxExpansionSteps) {
      throw tooLong(`takes more than ${limits.maxExpansionSteps} steps to expand`, { maxExpansionSteps: limits.maxExpansionSteps });
    }
    // Past the end: the rule is done (the expansion drops a completed rule, so note that it got there).
    if (this.last.compare(stopAt) > 0) {
      this.completed = true;
      cursorPassedEnd = true;
      return true;
    }
    return checkContractingRules.call(this);
  };
  const occurrences: ICAL.Time[] = [];
  try {
    const expansion = event.iterator();
    for (let next = expansion.next(); next; next = expansion.next()) {
      if (next.compare(stopAt) > 0) {
        if (beyondHorizon) throw pastHorizon();
        break;
      }
      if (occurrences.length >= limits.maxOccurrencesPerEvent) {
        throw tooLong(`has more than ${limits.maxOccurrencesPerEvent} occurrences up to ${until}`, { maxOccurrences: limits.maxOccurrencesPerEvent });
      }
      occurrences.push(next);
    }
    // Past the horizon, a rule whose cursor got there might yet have had an occurrence before `until`.
    if (cursorPassedEnd && beyondHorizon) throw pastHorizon();
  } catch (error) {
    if (error instanceof DomainError) {
      throw error;
    } else {
      throw new InvalidCalendarError(`The recurrence rule of event ${named.uid ?? '(no UID)'} cannot be expanded: ${(error as Error).message}`, {
        uid: named.uid,
      });
    }
  } finally {
    iterator.check_contracting_rules = checkContractingRules;
  }
  return occurrences;
}

/** The same day `years` later (29 February becomes 1 March). */
function yearsAfter(date: LocalDate, years: number): LocalDate {
  const year = String(yearOf(date) + years).padStart(4, '0');
  const same = `${year}${date.slice(4)}`;
  return isLocalDate(same) ? same : addDays(`${year}-02-28`, 1);
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

/** The coverage once the file's schedule up to `until` is known; a calendar that tracked none starts at the file. */
function extendedCoverage(
  coverage: HolidayCoverage | null,
  days: readonly ImportedDay[],
  until: LocalDate | undefined,
): HolidayCoverage | null {
  if (until === undefined) return coverage;
  if (coverage !== null) return { from: coverage.from, to: until > coverage.to ? until : coverage.to };
  const first = days.map(({ date }) => date).reduce((a, b) => (b < a ? b : a), until);
  return { from: first, to: until };
}

function merge(calendar: BusinessCalendar, days: readonly ImportedDay[], holidayCoverage: HolidayCoverage | null): BusinessCalendar {
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
    holidayCoverage,
  });
}
