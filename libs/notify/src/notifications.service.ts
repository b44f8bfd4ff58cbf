import { Injectable } from '@nestjs/common';
import { type Actor, Clock, DomainError, newId, UnknownDepartmentError } from '#domain';
import { OrganisationDirectory } from '#access';
import { WebhookTargetPolicy } from '#events';
import { auditEntry } from '#identity';
import { MANDATORY_EVENTS, type NotifiableEvent } from '#rectification';
import type { ChannelKind, EmailTarget, RobotTarget, SendResult } from './channels/channel.js';
import { renderTestMessage } from './message-templates.js';
import { messageId } from './message-id.js';
import { NotificationSender } from './notification-sender.js';
import { routingInForce } from './notification-planner.js';
import { NotificationStore, type NotificationQuery } from './notify.ports.js';
import type { ContactPreferences, NotificationAttemptRecord, NotificationChannelRecord, NotificationRecord, RoutingRule } from './notify.records.js';
import { ChannelSecrets } from './channel-secrets.js';

/** A channel as admins see it after creation: never its URL, key or password; only where it points. */
export type ChannelSummary = Omit<NotificationChannelRecord, 'sealedTarget'> & { target: string };

export interface NewChannel {
  kind: ChannelKind;
  name: string;
  departmentId?: string | null;
  dailyDigest?: boolean;
  /** Robots: the webhook URL the vendor gave, and the 加签 secret (DingTalk, Feishu) when signing is on. */
  webhookUrl?: string;
  secret?: string | null;
  /** Email: smtp://user:password@host:port (or smtps://), and the From address. */
  smtpUrl?: string;
  from?: string;
}

/** Admin use cases of channels, routing and the delivery log, and each person's own contact settings. Audited. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly store: NotificationStore,
    private readonly organisation: OrganisationDirectory,
    private readonly targets: WebhookTargetPolicy,
    private readonly secrets: ChannelSecrets,
    private readonly sender: NotificationSender,
    private readonly clock: Clock,
  ) {}

  async createChannel(admin: Actor, input: NewChannel): Promise<ChannelSummary> {
    if (!this.secrets.available) {
      throw new DomainError(
        'NOTIFY.NO_SECRET_KEY',
        'Channels are stored sealed, and this server has no key to seal them with: set NOTIFY_SECRET_KEY (32 random bytes, base64 or hex, e.g. `openssl rand -base64 32`) and restart.',
      );
    }
    const target = this.targetOf(input);
    const departmentId = input.departmentId ?? null;
    if (departmentId !== null && !(await this.organisation.isActiveDepartment(departmentId))) {
      throw new UnknownDepartmentError(departmentId, 'departmentId');
    }
    const now = this.clock.now();
    const channel: NotificationChannelRecord = {
      id: newId(now.getTime()),
      kind: input.kind,
      name: input.name,
      departmentId,
      sealedTarget: this.secrets.seal(JSON.stringify(target)),
      dailyDigest: input.dailyDigest ?? input.kind !== 'email',
      active: true,
      createdAt: now.toISOString(),
      pausedUntil: null,
    };
    await this.store.insertChannel(
      channel,
      auditEntry(admin, 'notification.channel_created', 'notification', channel.id, { kind: channel.kind, name: channel.name, departmentId, target: describe(target) }, now),
    );
    return this.summary(channel);
  }

  async listChannels(): Promise<ChannelSummary[]> {
    return (await this.store.listChannels()).map((channel) => this.summary(channel));
  }

  async updateChannel(admin: Actor, id: string, changes: { name?: string; active?: boolean; dailyDigest?: boolean; departmentId?: string | null }): Promise<ChannelSummary> {
    await this.channel(id);
    if (changes.departmentId && !(await this.organisation.isActiveDepartment(changes.departmentId))) {
      throw new UnknownDepartmentError(changes.departmentId, 'departmentId');
    }
    const now = this.clock.now();
    await this.store.updateChannel(id, changes, auditEntry(admin, 'notification.channel_changed', 'notification', id, { ...changes }, now));
    return this.summary(await this.channel(id));
  }

  /**
   * Sends a test message through the channel now (to the admin's own address, for email), recorded in the
   * delivery log like any other, and answers what the vendor said.
   */
  async testChannel(admin: Actor, id: string): Promise<{ notification: NotificationRecord; result: SendResult }> {
    const channel = await this.channel(id);
    const contact = await this.store.contact(admin.userId);
    if (channel.kind === 'email' && !contact?.email) {
      throw new DomainError('NOTIFY.NO_EMAIL_ADDRESS', 'A test email goes to your own address, and you have none: set it first (PUT /me/notification-settings).', { field: 'email' });
    }
    const now = this.clock.now();
    const language = contact?.language ?? 'zh';
    const message: NotificationRecord = {
      id: messageId('test', channel.id, now.toISOString(), newId()),
      eventId: 'test',
      eventType: 'channel.test',
      problemId: null,
      channelId: channel.id,
      recipientUserId: channel.kind === 'email' ? admin.userId : null,
      address: channel.kind === 'email' ? contact!.email! : '',
      mentionMobiles: [],
      language,
      urgent: true,
      ...renderTestMessage(channel.name, language, now.toISOString()),
      status: 'pending',
      notBefore: now.toISOString(),
      attempts: 0,
      // Not due for the queue: the test is sent here, and its outcome recorded below.
      nextAttemptAt: null,
      foldedInto: null,
      createdAt: now.toISOString(),
      sentAt: null,
      lastError: null,
    };
    await this.store.insertMessages([message]);
    const result = await this.sender.sendNow(channel, message);
    return { notification: (await this.store.findNotification(message.id))!, result };
  }

  async routing(): Promise<{ rules: RoutingRule[]; isDefault: boolean }> {
    const stored = await this.store.routing();
    return { rules: stored ?? (await routingInForce(this.store)), isDefault: stored === null };
  }

  async replaceRouting(admin: Actor, rules: Array<Omit<RoutingRule, 'id'>>): Promise<{ rules: RoutingRule[]; isDefault: boolean }> {
    const now = this.clock.now();
    const stored = rules.map((rule) => ({
      ...rule,
      id: newId(now.getTime()),
      // Escalations are supervision itself: nobody opts out of them, whatever the table says.
      mandatory: rule.mandatory || MANDATORY_EVENTS.includes(rule.event as NotifiableEvent),
    }));
    await this.store.replaceRouting(stored, auditEntry(admin, 'notification.routing_replaced', 'notification', 'routing', { rules: stored.length }, now));
    return this.routing();
  }

  async notifications(query: NotificationQuery): Promise<NotificationRecord[]> {
    return this.store.listNotifications(query);
  }

  async notification(id: string): Promise<NotificationRecord & { attempts: number; log: NotificationAttemptRecord[] }> {
    const found = await this.store.findNotification(id);
    if (!found) throw new DomainError('NOTIFY.NOTIFICATION_NOT_FOUND', `No notification with id ${id}. List them with GET /admin/notifications.`);
    return { ...found, log: await this.store.listAttempts(id) };
  }

  async redeliver(admin: Actor, id: string): Promise<NotificationRecord> {
    await this.notification(id);
    const now = this.clock.now();
    await this.store.requestRedelivery(id, now.toISOString(), auditEntry(admin, 'notification.redelivery_requested', 'notification', id, {}, now));
    return (await this.store.findNotification(id))!;
  }

  async contactOf(actor: Actor): Promise<ContactPreferences> {
    return (await this.store.contact(actor.userId)) ?? { email: null, mobile: null, language: 'zh', optOuts: [] };
  }

  async updateContact(actor: Actor, changes: Partial<ContactPreferences>): Promise<ContactPreferences & { mandatory: readonly string[] }> {
    return this.saveContact(actor, actor.userId, await this.contactOf(actor), changes);
  }

  /** An admin sets someone else's address (people who never sign in to the console still get their mail). */
  async updateContactOf(admin: Actor, userId: string, changes: Partial<ContactPreferences>): Promise<ContactPreferences & { mandatory: readonly string[] }> {
    const current = await this.store.contact(userId);
    if (!current) throw new DomainError('USER.NOT_FOUND', `No user with id ${userId}. List them with GET /admin/users.`);
    return this.saveContact(admin, userId, current, changes);
  }

  private async saveContact(
    actor: Actor,
    userId: string,
    current: ContactPreferences,
    changes: Partial<ContactPreferences>,
  ): Promise<ContactPreferences & { mandatory: readonly string[] }> {
    const next: ContactPreferences = {
      email: changes.email !== undefined ? changes.email : current.email,
      mobile: changes.mobile !== undefined ? changes.mobile : current.mobile,
      language: changes.language ?? current.language,
      optOuts: changes.optOuts ? [...new Set(changes.optOuts)].sort() : current.optOuts,
    };
    const now = this.clock.now();
    await this.store.updateContact(userId, next, auditEntry(actor, 'user.notification_settings_changed', 'user', userId, { fields: Object.keys(changes) }, now));
    return { ...next, mandatory: MANDATORY_EVENTS };
  }

  private async channel(id: string): Promise<NotificationChannelRecord> {
    const channel = await this.store.findChannel(id);
    if (!channel) throw new DomainError('NOTIFY.CHANNEL_NOT_FOUND', `No notification channel with id ${id}. List them with GET /admin/notification-channels.`);
    return channel;
  }

  private targetOf(input: NewChannel): RobotTarget | EmailTarget {
    if (input.kind === 'email') {
      const url = parseUrl(input.smtpUrl, 'smtpUrl', ['smtp:', 'smtps:'], 'an SMTP URL such as smtps://user:password@smtp.example.org:465');
      if (!input.from) throw invalid('from', 'An email channel needs a From address (from), e.g. "整改平台 <noreply@example.org>".');
      return { smtpUrl: url.toString(), from: input.from };
    }
    const url = parseUrl(input.webhookUrl, 'webhookUrl', ['https:', 'http:'], "the robot's webhook URL as the vendor shows it");
    const verdict = this.targets.checkUrl(url.toString());
    if (verdict && !verdict.allowed) {
      throw new DomainError(
        'WEBHOOK.TARGET_NOT_ALLOWED',
        `Robots may not target ${verdict.address}: it is a ${verdict.kind} address (${verdict.range}). List it in WEBHOOK_ALLOWED_TARGETS to allow it.`,
        { field: 'webhookUrl', address: verdict.address, range: verdict.range },
      );
    }
    if (input.kind === 'wecom' && input.secret) throw invalid('secret', 'WeCom group robots do not sign: the key in the webhook URL is the credential. Leave secret out.');
    return { webhookUrl: url.toString(), secret: input.secret ?? null };
  }

  private summary(channel: NotificationChannelRecord): ChannelSummary {
    const { sealedTarget, ...rest } = channel;
    let target = '(sealed with another key)';
    try {
      target = describe(JSON.parse(this.secrets.open(sealedTarget)) as RobotTarget | EmailTarget);
    } catch {
      // Shown as such: the key changed since the channel was added.
    }
    return { ...rest, target };
  }
}

/** Where a target points, without its credentials: scheme, host and port. */
function describe(target: RobotTarget | EmailTarget): string {
  const url = new URL('smtpUrl' in target ? target.smtpUrl : target.webhookUrl);
  return `${url.protocol}//${url.host}${'smtpUrl' in target ? '' : url.pathname}`;
}

function parseUrl(value: string | undefined, field: string, protocols: string[], what: string): URL {
  let url: URL;
  try {
    url = new URL(value ?? '');
  } catch {
    throw invalid(field, `${field} must be ${what}.`);
  }
  if (!protocols.includes(url.protocol)) throw invalid(field, `${field} must be ${what} (${protocols.join(' or ')}).`);
  return url;
}

function invalid(field: string, message: string): DomainError {
  return new DomainError('NOTIFY.INVALID_TARGET', message, { field });
}
