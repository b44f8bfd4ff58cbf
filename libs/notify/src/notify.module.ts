import { type DynamicModule, Module } from '@nestjs/common';
import http from 'node:http';
import https from 'node:https';
import { EventIntake, guardedLookup, type OutboxEvent, WebhookHostResolver, WebhookTargetPolicy } from '#events';
import { NOTIFIABLE_EVENTS } from '#rectification';
import { ChannelAdapters } from './channel-adapters.js';
import { ChannelSecrets } from './channel-secrets.js';
import type { ChannelAdapter, EmailTarget, RobotKind, RobotTarget } from './channels/channel.js';
import { DingTalkChannel } from './channels/dingtalk.channel.js';
import { DEFAULT_EMAIL_OPTIONS, EmailChannel } from './channels/email.channel.js';
import { FeishuChannel } from './channels/feishu.channel.js';
import { WeComChannel } from './channels/wecom.channel.js';
import { DailyDigests } from './daily-digests.js';
import { NotificationDispatcher } from './notification-dispatcher.js';
import { NotificationPlanner } from './notification-planner.js';
import { NotificationSender } from './notification-sender.js';
import { NotificationsService } from './notifications.service.js';
import { NOTIFY_OPTIONS, type NotifyOptions } from './notify.options.js';

/** Events the planner is handed: those a routing rule may name. */
class NotifiableEventIntake extends EventIntake {
  private readonly types = new Set<string>(NOTIFIABLE_EVENTS);

  wants(event: OutboxEvent): boolean {
    return this.types.has(event.type);
  }
}

/** Robots go through the outbound target policy of webhooks (internal addresses refused unless allow-listed). */
class PolicedChannelAdapters extends ChannelAdapters {
  private readonly agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  private readonly robots: Record<RobotKind, ChannelAdapter<RobotTarget>>;
  private readonly mail: EmailChannel;

  constructor(policy: WebhookTargetPolicy, resolver: WebhookHostResolver, options: NotifyOptions) {
    super();
    const connection = { policy, lookup: guardedLookup(resolver, policy), agents: this.agents };
    const robotOptions = { timeoutMs: options.timeoutMs };
    this.robots = {
      dingtalk: new DingTalkChannel(connection, robotOptions),
      feishu: new FeishuChannel(connection, robotOptions),
      wecom: new WeComChannel(connection, robotOptions),
    };
    this.mail = new EmailChannel({ ...DEFAULT_EMAIL_OPTIONS, connectionTimeoutMs: options.timeoutMs, greetingTimeoutMs: options.timeoutMs });
  }

  robot(kind: RobotKind): ChannelAdapter<RobotTarget> {
    return this.robots[kind];
  }

  email(): ChannelAdapter<EmailTarget> {
    return this.mail;
  }

  async close(): Promise<void> {
    this.agents.http.destroy();
    this.agents.https.destroy();
    await this.mail.close();
  }
}

/**
 * Notifications: the relay hands events over (EventIntake), the planner makes messages as routing says, the
 * sender paces and sends them through email and the group robots, the dispatcher runs it all in the background.
 * Its ports (NotificationStore, NotificationDirectory) are bound by the PersistenceModule.
 */
@Module({})
export class NotifyModule {
  static forRoot(options: NotifyOptions): DynamicModule {
    return {
      module: NotifyModule,
      global: true,
      providers: [
        { provide: NOTIFY_OPTIONS, useValue: options },
        { provide: ChannelSecrets, useValue: new ChannelSecrets(options.secretKey) },
        { provide: EventIntake, useValue: new NotifiableEventIntake() },
        {
          provide: ChannelAdapters,
          useFactory: (policy: WebhookTargetPolicy, resolver: WebhookHostResolver) => new PolicedChannelAdapters(policy, resolver, options),
          inject: [WebhookTargetPolicy, WebhookHostResolver],
        },
        NotificationPlanner,
        NotificationSender,
        DailyDigests,
        NotificationDispatcher,
        NotificationsService,
      ],
      exports: [NOTIFY_OPTIONS, EventIntake, ChannelSecrets, NotificationPlanner, NotificationSender, DailyDigests, NotificationDispatcher, NotificationsService],
    };
  }
}
