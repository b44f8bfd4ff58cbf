import { Inject, Injectable } from '@nestjs/common';
import {
  addDays,
  type BusinessCalendar,
  coverageWarning,
  endOfWorkingDay,
  instantAt,
  isoWeekday,
  isWorkingDay,
  localDateAt,
  type LocalDate,
} from '#calendar';
import { Clock, DepartmentTree } from '#domain';
import { CalendarProvider } from '#engine';
import { type DailyDigestSections, type ProblemFacts, renderCoverageWarning, renderDailyDigest } from './message-templates.js';
import { messageId } from './message-id.js';
import { routingInForce } from './notification-planner.js';
import { NOTIFY_OPTIONS, type NotifyOptions } from './notify.options.js';
import { type DigestProblem, type DirectoryPerson, NotificationDirectory, NotificationStore } from './notify.ports.js';
import type { NotificationChannelRecord, NotificationRecord } from './notify.records.js';

/** Problems one department's digest reads at most. */
const DIGEST_PROBLEM_LIMIT = 500;
const DAILY_DIGEST = 'daily.digest';
const COVERAGE_WARNING = 'calendar.coverage_ending';

/**
 * The messages that come from the calendar rather than from an event:
 * - the daily digest, at NOTIFY_DAILY_DIGEST_AT on working days, to whom the routing table's `daily.digest` lines
 *   name: per department (its robot, its head) what is due today, overdue, escalated and waiting for a decision;
 *   per supervisor the same over the departments below their office. Empty digests are not sent.
 * - the calendar coverage warning to administrators, weekly (on working days) from NOTIFY_COVERAGE_WARNING_DAYS
 *   before the holiday data ends until next year's schedule is imported.
 * Ids name the day (or week) and the recipient, so a round run twice, or by two processes, makes each once.
 */
@Injectable()
export class DailyDigests {
  constructor(
    private readonly store: NotificationStore,
    private readonly directory: NotificationDirectory,
    private readonly calendars: CalendarProvider,
    private readonly clock: Clock,
    @Inject(NOTIFY_OPTIONS) private readonly options: NotifyOptions,
  ) {}

  /** Makes the digests and warnings due now (none outside working hours); answers how many are new. */
  async makeDue(): Promise<number> {
    const now = this.clock.now();
    const calendar = this.calendars.current();
    const today = localDateAt(now, calendar.timeZone);
    if (!isWorkingDay(calendar, today) || now.getTime() >= endOfWorkingDay(calendar, today).getTime()) return 0;
    const email = (await this.store.listChannels()).find((channel) => channel.kind === 'email' && channel.active) ?? null;
    const messages = [...(await this.coverageWarnings(calendar, today, now, email)), ...(await this.dailyDigests(calendar, today, now, email))];
    return messages.length === 0 ? 0 : this.store.insertMessages(messages);
  }

  private async coverageWarnings(calendar: BusinessCalendar, today: LocalDate, now: Date, email: NotificationChannelRecord | null): Promise<NotificationRecord[]> {
    if (!email || now.getTime() < instantAt(today, calendar.workingHours.start, calendar.timeZone).getTime()) return [];
    const warning = coverageWarning(calendar, today, this.options.coverageWarningDays);
    if (!warning) return [];
    const week = addDays(today, 1 - isoWeekday(today));
    return (await this.directory.administrators())
      .filter((admin) => admin.email)
      .map((admin) => {
        const id = messageId(COVERAGE_WARNING, calendar.id, warning.endsOn, week, admin.userId);
        const content = renderCoverageWarning(calendar.name, warning.endsOn, warning.daysLeft, admin.language, { consoleUrl: this.options.consoleUrl });
        return this.message(id, COVERAGE_WARNING, email, admin, content, now);
      });
  }

  private async dailyDigests(calendar: BusinessCalendar, today: LocalDate, now: Date, email: NotificationChannelRecord | null): Promise<NotificationRecord[]> {
    const at = this.options.dailyDigestAt;
    if (!at || now.getTime() < instantAt(today, at, calendar.timeZone).getTime()) return [];
    const rules = (await routingInForce(this.store)).filter((rule) => rule.event === DAILY_DIGEST);
    if (rules.length === 0) return [];
    const departments = await this.directory.departments();
    const tree = new DepartmentTree(departments);
    const people = await this.directory.peopleOf(departments.map((department) => department.id));
    const problems = await this.directory.openProblems(departments.map((department) => department.id), DIGEST_PROBLEM_LIMIT * Math.max(1, departments.length));
    const robots = (await this.store.listChannels()).filter((channel) => channel.kind !== 'email' && channel.active && channel.dailyDigest);
    const options = { consoleUrl: this.options.consoleUrl, timeZone: calendar.timeZone };
    const ofDepartments = (ids: ReadonlySet<string>) => problems.filter((problem) => problem.departmentId !== null && ids.has(problem.departmentId));
    const wants = (person: DirectoryPerson) => !person.optOuts.includes(DAILY_DIGEST);
    const out: NotificationRecord[] = [];
    const facts = (problem: DigestProblem): ProblemFacts => ({ ...problem, departmentName: tree.get(problem.departmentId)?.name ?? null });
    const sectionsOf = (list: DigestProblem[]): DailyDigestSections | null => {
      const sections: DailyDigestSections = {
        dueToday: list.filter((p) => p.deadline !== null && localDateAt(new Date(p.deadline), calendar.timeZone) === today && (p.deadlineState === 'onTrack' || p.deadlineState === 'dueSoon')).map(facts),
        overdue: list.filter((p) => p.deadlineState === 'overdue').map(facts),
        escalated: list.filter((p) => p.deadlineState === 'escalated').map(facts),
        awaitingDecision: list.filter((p) => p.pendingRequest).map(facts),
      };
      return Object.values(sections).some((section) => section.length > 0) ? sections : null;
    };
    // One mail digest per person and day (its id says so): a supervisor who also heads a department, or the head
    // of two, gets one listing every department they are told of, not just the last rule's.
    const mailed = new Map<string, { person: DirectoryPerson; departments: Set<string> }>();
    for (const rule of rules) {
      if (rule.audience === 'responsibleMembers' && rule.route === 'robot') {
        for (const robot of robots.filter((channel) => channel.departmentId !== null)) {
          const sections = sectionsOf(ofDepartments(new Set([robot.departmentId!])));
          if (!sections) continue;
          const name = tree.get(robot.departmentId)?.name ?? robot.name;
          const content = renderDailyDigest(name, today, sections, this.options.groupLanguage, options);
          out.push({ ...this.message(messageId(DAILY_DIGEST, today, robot.id, null), DAILY_DIGEST, robot, null, content, now), language: this.options.groupLanguage });
        }
      } else if (rule.route === 'email' && email && (rule.audience === 'responsibleHead' || rule.audience === 'officeSupervisors')) {
        const recipients: Array<{ person: DirectoryPerson; departments: Set<string> }> =
          rule.audience === 'responsibleHead'
            ? departments.flatMap((department) => {
                const head = people.find((person) => person.userId === department.headUserId);
                return head ? [{ person: head, departments: new Set([department.id]) }] : [];
              })
            : people
                .filter((person) => person.role === 'supervisor' && person.departmentId !== null)
                .map((person) => ({
                  person,
                  departments: new Set(departments.filter((d) => tree.chain(d.id).slice(1).some((office) => office.id === person.departmentId)).map((d) => d.id)),
                }));
        for (const { person, departments: covered } of recipients) {
          const entry = mailed.get(person.userId) ?? { person, departments: new Set<string>() };
          for (const id of covered) entry.departments.add(id);
          mailed.set(person.userId, entry);
        }
      }
    }
    for (const { person, departments: covered } of mailed.values()) {
      if (!email || !person.email || !wants(person)) continue;
      const sections = sectionsOf(ofDepartments(covered));
      if (!sections) continue;
      const content = renderDailyDigest(person.name, today, sections, person.language, options);
      out.push(this.message(messageId(DAILY_DIGEST, today, email.id, person.userId), DAILY_DIGEST, email, person, content, now));
    }
    return [...new Map(out.map((message) => [message.id, message])).values()];
  }

  private message(
    id: string,
    eventType: string,
    channel: NotificationChannelRecord,
    person: DirectoryPerson | null,
    content: ReturnType<typeof renderDailyDigest>,
    now: Date,
  ): NotificationRecord {
    return {
      id,
      eventId: id,
      eventType,
      problemId: null,
      channelId: channel.id,
      recipientUserId: person?.userId ?? null,
      address: person?.email ?? '',
      mentionMobiles: [],
      language: person?.language ?? this.options.groupLanguage,
      urgent: false,
      ...content,
      status: 'pending',
      notBefore: now.toISOString(),
      attempts: 0,
      nextAttemptAt: now.toISOString(),
      foldedInto: null,
      createdAt: now.toISOString(),
      sentAt: null,
      lastError: null,
    };
  }
}
