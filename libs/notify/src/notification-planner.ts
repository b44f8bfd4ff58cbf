import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, DepartmentTree } from '#domain';
import { CalendarProvider, DeadlinePolicyProvider, ProblemRepository } from '#engine';
import type { OutboxEvent } from '#events';
import {
  DEFAULT_ROUTING,
  isUrgent,
  MANDATORY_EVENTS,
  type NotifiableEvent,
  rulesFor,
  policyOf,
} from '#rectification';
import { audienceOf, departmentsConcerned, type ProblemPlace } from './audience.js';
import { type EventFacts, type MessageContent, type ProblemFacts, renderEventMessage } from './message-templates.js';
import { messageId } from './message-id.js';
import { NOTIFY_OPTIONS, type NotifyOptions } from './notify.options.js';
import { type DirectoryDepartment, NotificationDirectory, type DirectoryPerson, NotificationStore } from './notify.ports.js';
import type { NotificationChannelRecord, NotificationRecord, RoutingRule } from './notify.records.js';
import { nextWorkingInstant } from './quiet-hours.js';

/** Events planned per transaction. */
const PLAN_BATCH = 100;

/** The routing table in force: the admin's, or the defaults of workflows/rectification/notification.routing.ts. */
export async function routingInForce(store: NotificationStore): Promise<RoutingRule[]> {
  return (
    (await store.routing()) ??
    DEFAULT_ROUTING.map((rule, index) => ({
      id: `default-${index}`,
      event: rule.event,
      level: rule.level ?? null,
      audience: rule.audience,
      route: rule.route,
      mandatory: rule.mandatory ?? MANDATORY_EVENTS.includes(rule.event),
    }))
  );
}

interface OutboxBody {
  occurredAt: string;
  problem: { id: string; stateDetail: string; severity: string; departmentId: string | null; deadline: string | null; light?: string | null };
  actor?: { name?: string };
  data?: { level?: number; step?: string; reason?: string; comment?: string; note?: string };
}

/**
 * Turns relayed events into messages, as the routing table says: for each rule of the event, its audience made
 * concrete (people, and their department's robots), one message per person by email or per robot, rendered in
 * the recipient's language and held to the next working hour unless urgent. Ids are derived (messageId), so a
 * batch planned twice inserts nothing new; the messages and the "planned" mark commit together.
 */
@Injectable()
export class NotificationPlanner {
  private readonly logger = new Logger(NotificationPlanner.name);

  constructor(
    private readonly store: NotificationStore,
    private readonly directory: NotificationDirectory,
    private readonly problems: ProblemRepository,
    private readonly calendars: CalendarProvider,
    private readonly clock: Clock,
    @Inject(NOTIFY_OPTIONS) private readonly options: NotifyOptions,
    private readonly deadlinePolicies: DeadlinePolicyProvider,
  ) {}

  /** Plans every event handed over; answers how many messages were made. */
  async planOnce(): Promise<number> {
    let made = 0;
    for (;;) {
      const events = await this.store.eventsToPlan(PLAN_BATCH);
      if (events.length === 0) return made;
      const messages = await this.messagesFor(events);
      made += await this.store.recordPlan(
        events.map((event) => event.id),
        messages,
        this.clock.now().toISOString(),
      );
      if (events.length < PLAN_BATCH) return made;
    }
  }

  private async messagesFor(events: OutboxEvent[]): Promise<NotificationRecord[]> {
    const rules = await routingInForce(this.store);
    const channels = (await this.store.listChannels()).filter((channel) => channel.active);
    // No channel, nobody to tell: the events are marked planned without reading their problems.
    if (channels.length === 0) return [];
    const tree = new DepartmentTree(await this.directory.departments());
    const messages: NotificationRecord[] = [];
    for (const event of events) {
      try {
        messages.push(...(await this.messagesOf(event, rules, channels, tree)));
      } catch (error) {
        // One event that cannot be planned (a problem gone, bad data) must not hold back the others.
        this.logger.error(`Planning notifications of ${event.type} ${event.id} failed: ${(error as Error).message}`);
      }
    }
    return messages;
  }

  private async messagesOf(
    event: OutboxEvent,
    rules: RoutingRule[],
    channels: NotificationChannelRecord[],
    tree: DepartmentTree<DirectoryDepartment>,
  ): Promise<NotificationRecord[]> {
    const body = JSON.parse(event.body) as OutboxBody;
    const level = event.type === 'problem.escalated' ? (body.data?.level ?? null) : null;
    const applying = rulesFor(rules, event.type, level);
    if (applying.length === 0) return [];
    const problem = await this.problems.findById(event.problemId);
    if (!problem) return [];
    await this.deadlinePolicies.ensure(problem.snapshot.context.deadlineBasis);
    const policy = policyOf(this.deadlinePolicies, problem.snapshot.context.deadlineBasis);
    const place: ProblemPlace = {
      departmentId: body.problem.departmentId,
      filedBy: problem.filedBy,
      filerDepartmentId: problem.filerDepartmentId,
      escalationLevel: level,
    };
    const concerned = departmentsConcerned(place, tree);
    const people = await this.directory.peopleOf(concerned);
    const extra = await this.directory.people([problem.filedBy].filter((id) => !people.some((p) => p.userId === id)));
    const everyone = new Map([...people, ...extra].map((p) => [p.userId, p]));
    const byDepartment = (departmentId: string) => people.filter((p) => p.departmentId === departmentId);
    const calendar = this.calendars.current();
    const now = this.clock.now();
    const urgent = isUrgent(event.type, body.problem.severity, this.options.criticalEscalationsImmediate);
    const notBefore = (urgent ? now : nextWorkingInstant(calendar, now)).toISOString();
    const facts: ProblemFacts = {
      id: problem.id,
      title: problem.title,
      severity: body.problem.severity,
      inspectionRef: problem.inspectionRef,
      departmentName: tree.get(body.problem.departmentId)?.name ?? null,
      deadline: body.problem.deadline,
      stateDetail: body.problem.stateDetail,
      escalationLevel: level ?? problem.escalationLevel,
      light: body.problem.light ?? null,
    };
    const eventFacts: EventFacts = {
      type: event.type,
      level,
      step: level === null ? null : (body.data?.step ?? null),
      occurredAt: body.occurredAt,
      actorName: body.actor?.name ?? null,
      note: body.data?.reason ?? body.data?.comment ?? body.data?.note ?? null,
    };
    const render = (language: 'zh' | 'en'): MessageContent =>
      renderEventMessage(eventFacts, facts, language, { consoleUrl: this.options.consoleUrl, timeZone: calendar.timeZone });
    const emailChannel = channels.find((channel) => channel.kind === 'email') ?? null;
    const out: NotificationRecord[] = [];
    const base = (channelId: string, recipientUserId: string | null): Omit<NotificationRecord, 'address' | 'mentionMobiles' | 'language' | keyof MessageContent | 'status' | 'lastError'> => ({
      id: messageId(event.id, channelId, recipientUserId),
      eventId: event.id,
      eventType: event.type,
      problemId: problem.id,
      channelId,
      recipientUserId,
      urgent,
      notBefore,
      attempts: 0,
      nextAttemptAt: notBefore,
      foldedInto: null,
      createdAt: now.toISOString(),
      sentAt: null,
    });
    for (const rule of applying) {
      const mandatory = rule.mandatory || MANDATORY_EVENTS.includes(event.type as NotifiableEvent);
      const wants = (person: DirectoryPerson) => mandatory || !person.optOuts.includes(event.type);
      const { departmentId, people: audience } = audienceOf(rule.audience, place, tree, byDepartment, (id) => everyone.get(id) ?? null, policy);
      if (rule.route === 'email') {
        if (!emailChannel) continue;
        for (const person of audience.filter(wants)) {
          const content = render(person.language);
          out.push({
            ...base(emailChannel.id, person.userId),
            ...content,
            address: person.email ?? '',
            mentionMobiles: [],
            language: person.language,
            // Kept in the log, so an admin sees who is missing an address.
            status: person.email ? 'pending' : 'undeliverable',
            lastError: person.email ? null : `${person.name} has no email address (set it in their profile).`,
            nextAttemptAt: person.email ? notBefore : null,
          });
        }
      } else {
        const robots = channels.filter((channel) => channel.kind !== 'email' && departmentId !== null && channel.departmentId === departmentId);
        const mentions = audience.filter(wants).flatMap((person) => (person.mobile ? [person.mobile] : []));
        for (const robot of robots) {
          out.push({
            ...base(robot.id, null),
            ...render(this.options.groupLanguage),
            address: '',
            mentionMobiles: mentions,
            language: this.options.groupLanguage,
            status: 'pending',
            lastError: null,
          });
        }
      }
    }
    // Two rules reaching one person through one channel: one message (the first rule's).
    return [...new Map(out.map((message) => [message.id, message])).values()];
  }
}
