import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, newId } from '#domain';
import { ChannelAdapters } from './channel-adapters.js';
import type { EmailTarget, OutgoingMessage, RobotTarget, SendResult } from './channels/channel.js';
import { renderBurstDigest } from './message-templates.js';
import { messageId } from './message-id.js';
import { notifyBackoffMs, NOTIFY_OPTIONS, type NotifyOptions, ROBOT_PAUSE_MS } from './notify.options.js';
import { NotificationStore, type RobotClaim, type RobotQueue } from './notify.ports.js';
import type { NotificationChannelRecord, NotificationRecord } from './notify.records.js';
import { PACING_WINDOW_MS, planRobotRound } from './robot-pacing.js';
import { ChannelSecrets } from './channel-secrets.js';

/** Robots served per round, and emails claimed per round. */
const ROBOTS_PER_ROUND = 50;
const EMAILS_PER_ROUND = 20;
/** Emails sent at once (one SMTP conversation each). */
const EMAIL_CONCURRENCY = 4;

/**
 * Sends due messages. Robots are paced: per robot, in a transaction holding its row, the attempts of the last
 * minute and its queue decide what goes (robot-pacing.ts): at most NOTIFY_ROBOT_PER_MINUTE in any 60 s, a burst
 * beyond that folded into digests, nothing dropped. A vendor's "too fast" pauses the robot for 10 minutes. Emails
 * go a few at a time. Every attempt is logged with the vendor's answer; failures are retried with backoff up to
 * NOTIFY_MAX_ATTEMPTS, then marked failed for an admin to redeliver. Claims lease the rows, so a sender that dies
 * mid-send leaves them to be sent again once the lease ends (consumers see one message id).
 */
@Injectable()
export class NotificationSender {
  private readonly logger = new Logger(NotificationSender.name);

  constructor(
    private readonly store: NotificationStore,
    private readonly adapters: ChannelAdapters,
    private readonly secrets: ChannelSecrets,
    private readonly clock: Clock,
    @Inject(NOTIFY_OPTIONS) private readonly options: NotifyOptions,
  ) {}

  /** One round: every robot with due messages, then due emails. Answers how many sends were attempted. */
  async sendDue(): Promise<number> {
    let sent = 0;
    const now = this.clock.now();
    for (const channelId of await this.store.robotsWithDueMessages(now.toISOString(), ROBOTS_PER_ROUND)) {
      sent += await this.serveRobot(channelId);
    }
    for (;;) {
      const emails = await this.store.claimDueEmails(this.clock.now().toISOString(), this.leaseUntil(), EMAILS_PER_ROUND);
      for (let start = 0; start < emails.length; start += EMAIL_CONCURRENCY) {
        await Promise.all(emails.slice(start, start + EMAIL_CONCURRENCY).map(({ channel, message }) => this.attempt(channel, message)));
      }
      sent += emails.length;
      if (emails.length < EMAILS_PER_ROUND) return sent;
    }
  }

  /**
   * Sends one message now, outside the queue (an admin's test of a channel), recording the attempt in the log as
   * any other; it is not retried: a failure is the answer.
   */
  async sendNow(channel: NotificationChannelRecord, message: NotificationRecord): Promise<SendResult> {
    return (await this.attempt(channel, message, { retry: false })).result;
  }

  private async serveRobot(channelId: string): Promise<number> {
    const now = this.clock.now();
    const claimed = await this.store.claimRobotRound(
      channelId,
      now.toISOString(),
      this.leaseUntil(),
      new Date(now.getTime() - PACING_WINDOW_MS).toISOString(),
      (queue) => this.decide(queue, now),
    );
    if (!claimed) return 0;
    // One after another: the robot's budget was counted for exactly these, and a "too fast" stops the rest.
    let attempted = 0;
    for (const message of claimed.messages) {
      const { paused } = await this.attempt(claimed.channel, message);
      attempted += 1;
      if (paused) break;
    }
    return attempted;
  }

  private decide(queue: RobotQueue, now: Date): RobotClaim {
    const plan = planRobotRound({
      limitPerMinute: this.options.robotPerMinute,
      recentAttempts: queue.recentAttempts,
      now,
      pending: queue.pending.map(({ id, urgent, createdAt }) => ({ id, urgent, createdAt })),
      digestMaxItems: this.options.digestMaxItems,
    });
    const byId = new Map(queue.pending.map((message) => [message.id, message]));
    return {
      alone: plan.alone,
      digests: plan.digests.map((ids) => ({ digest: this.digestOf(queue.channel, ids.map((id) => byId.get(id)!), now), folded: ids })),
    };
  }

  /** A burst's messages folded into one: listed by title, each with its link; its id derived from theirs. */
  private digestOf(channel: NotificationChannelRecord, folded: NotificationRecord[], now: Date): NotificationRecord {
    const language = folded[0]?.language ?? this.options.groupLanguage;
    const content = renderBurstDigest(folded.map(({ title, link }) => ({ title, link })), language);
    const id = messageId('digest', channel.id, ...folded.map((message) => message.id));
    return {
      id,
      eventId: id,
      eventType: 'burst.digest',
      problemId: null,
      channelId: channel.id,
      recipientUserId: null,
      address: '',
      mentionMobiles: [...new Set(folded.flatMap((message) => message.mentionMobiles))].slice(0, 20),
      language,
      urgent: folded.some((message) => message.urgent),
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

  /** Sends and records one attempt; answers what the vendor said and whether it paused the robot. */
  private async attempt(
    channel: NotificationChannelRecord,
    message: NotificationRecord,
    { retry = true }: { retry?: boolean } = {},
  ): Promise<{ result: SendResult; paused: boolean }> {
    const attemptedAt = this.clock.now();
    const result = await this.send(channel, message);
    const at = this.clock.now();
    const attempts = message.attempts + 1;
    const giveUp = !result.delivered && (!retry || !result.retryable || attempts >= this.options.maxAttempts);
    const pauseUntil = result.rateLimited ? new Date(at.getTime() + ROBOT_PAUSE_MS).toISOString() : undefined;
    const retryAt = pauseUntil ?? new Date(at.getTime() + notifyBackoffMs(attempts)).toISOString();
    if (!result.delivered) this.logger.warn(`Notification ${message.id} via ${channel.kind} ${channel.id}: ${result.detail}`);
    try {
      await this.store.recordOutcome({
        attempt: {
          id: newId(at.getTime()),
          notificationId: message.id,
          channelId: channel.id,
          attemptedAt: attemptedAt.toISOString(),
          delivered: result.delivered,
          statusCode: result.statusCode,
          vendorCode: result.vendorCode,
          detail: result.detail.slice(0, 500),
          durationMs: result.durationMs,
        },
        notification: result.delivered
          ? { status: 'sent', attempts, nextAttemptAt: null, sentAt: at.toISOString(), lastError: null }
          : giveUp
            ? { status: 'failed', attempts, nextAttemptAt: null, sentAt: null, lastError: result.detail.slice(0, 500) }
            : { status: 'pending', attempts, nextAttemptAt: retryAt, sentAt: null, lastError: result.detail.slice(0, 500) },
        pauseChannelUntil: pauseUntil,
      });
    } catch (error) {
      this.logger.error(`Notification ${message.id}: recording the attempt failed (sent again once its lease runs out): ${(error as Error).message}`);
    }
    return { result, paused: pauseUntil !== undefined };
  }

  private async send(channel: NotificationChannelRecord, message: NotificationRecord): Promise<SendResult> {
    let target: RobotTarget | EmailTarget;
    try {
      target = JSON.parse(this.secrets.open(channel.sealedTarget)) as RobotTarget | EmailTarget;
    } catch {
      return refused('The channel target cannot be unsealed: NOTIFY_SECRET_KEY is not the key it was sealed with.');
    }
    const outgoing: OutgoingMessage = {
      id: message.id,
      title: message.title,
      text: message.text,
      markdown: message.markdown,
      html: message.html,
      link: message.link,
      linkLabel: message.linkLabel,
      mentionMobiles: message.mentionMobiles,
      to: message.address ? [message.address] : [],
      language: message.language,
    };
    try {
      return channel.kind === 'email'
        ? await this.adapters.email().send(target as EmailTarget, outgoing, this.clock.now())
        : await this.adapters.robot(channel.kind).send(target as RobotTarget, outgoing, this.clock.now());
    } catch (error) {
      return { ...refused(`Sending failed: ${(error as Error).message}`), retryable: true };
    }
  }

  private leaseUntil(): string {
    // A minute past the send timeout: only a dead sender's claims run out.
    return new Date(this.clock.now().getTime() + this.options.timeoutMs + 60_000).toISOString();
  }
}

function refused(detail: string): SendResult {
  return { delivered: false, retryable: false, rateLimited: false, statusCode: null, vendorCode: null, detail, durationMs: 0 };
}
