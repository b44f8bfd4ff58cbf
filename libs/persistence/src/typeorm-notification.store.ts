import { type EntityManager, In, IsNull, LessThan, LessThanOrEqual, MoreThan, Not } from 'typeorm';
import type { OutboxEvent } from '#events';
import type { AuditRecord } from '#identity';
import {
  type ContactPreferences,
  type DirectoryDepartment,
  type DigestProblem,
  type DirectoryPerson,
  NotificationDirectory,
  type NotificationAttemptRecord,
  type NotificationChannelRecord,
  type NotificationOutcome,
  type NotificationQuery,
  type NotificationRecord,
  NotificationStore,
  type RobotClaim,
  type RobotQueue,
  type RoutingRule,
} from '#notify';
import type { Database } from './database.js';
import {
  AuditLogEntity,
  DepartmentEntity,
  NotificationAttemptEntity,
  NotificationChannelEntity,
  NotificationEntity,
  NotificationEventEntity,
  NotificationRoutingEntity,
  OutboxEventEntity,
  ProblemEntity,
  UserEntity,
} from './entities/index.js';
import { toOutboxEvent } from './typeorm-event-delivery.repository.js';

/** Rows per multi-row INSERT, well under SQLite's and PostgreSQL's bound-parameter limits (23 columns a row). */
const INSERT_CHUNK = 40;
/** Due messages of one robot a claim looks at: enough for a full minute's budget of digests. */
const ROBOT_QUEUE_WINDOW = 1000;

const toChannel = (row: NotificationChannelEntity): NotificationChannelRecord => ({
  ...row,
  kind: row.kind as NotificationChannelRecord['kind'],
  dailyDigest: Boolean(row.dailyDigest),
  active: Boolean(row.active),
});

const toNotification = (row: NotificationEntity): NotificationRecord => ({
  ...row,
  mentionMobiles: JSON.parse(row.mentionMobiles) as string[],
  language: row.language === 'en' ? 'en' : 'zh',
  urgent: Boolean(row.urgent),
  status: row.status as NotificationRecord['status'],
});

const toRow = (record: NotificationRecord): NotificationEntity => ({ ...record, mentionMobiles: JSON.stringify(record.mentionMobiles) });

const toAttempt = (row: NotificationAttemptEntity): NotificationAttemptRecord => ({ ...row, delivered: Boolean(row.delivered) });

const toPerson = (row: UserEntity): DirectoryPerson => ({
  userId: row.id,
  name: row.name,
  role: row.role,
  departmentId: row.departmentId,
  active: Boolean(row.active),
  email: row.email,
  mobile: row.mobile,
  language: row.language === 'en' ? 'en' : 'zh',
  optOuts: JSON.parse(row.notifyOptOuts || '[]') as string[],
});

async function writeAudit(manager: EntityManager, audit: AuditRecord): Promise<void> {
  await manager.insert(AuditLogEntity, { ...audit, details: JSON.stringify(audit.details) });
}

async function insertIgnoring(manager: EntityManager, messages: readonly NotificationRecord[]): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < messages.length; start += INSERT_CHUNK) {
    const chunk = messages.slice(start, start + INSERT_CHUNK);
    const existing = new Set(
      (await manager.find(NotificationEntity, { select: { id: true }, where: { id: In(chunk.map((message) => message.id)) } })).map((row) => row.id),
    );
    const fresh = chunk.filter((message) => !existing.has(message.id));
    if (fresh.length === 0) continue;
    // orIgnore as well: another planner may insert the same ids between the look-up and the insert (PostgreSQL).
    await manager.createQueryBuilder().insert().into(NotificationEntity).values(fresh.map(toRow)).orIgnore().execute();
    inserted += fresh.length;
  }
  return inserted;
}

export class TypeOrmNotificationStore extends NotificationStore {
  constructor(private readonly db: Database) {
    super();
  }

  async insertChannel(channel: NotificationChannelRecord, audit: AuditRecord): Promise<void> {
    await this.db.write(async (manager) => {
      await manager.insert(NotificationChannelEntity, channel);
      await writeAudit(manager, audit);
    });
  }

  async listChannels(): Promise<NotificationChannelRecord[]> {
    return (await this.db.read((manager) => manager.find(NotificationChannelEntity, { order: { id: 'ASC' } }))).map(toChannel);
  }

  async findChannel(id: string): Promise<NotificationChannelRecord | null> {
    const row = await this.db.read((manager) => manager.findOneBy(NotificationChannelEntity, { id }));
    return row ? toChannel(row) : null;
  }

  async updateChannel(
    id: string,
    changes: Partial<Pick<NotificationChannelRecord, 'name' | 'active' | 'dailyDigest' | 'departmentId'>>,
    audit: AuditRecord,
  ): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    await this.db.write(async (manager) => {
      // Re-enabling also lifts a vendor's pause: the admin says the robot is fixed.
      await manager.update(NotificationChannelEntity, { id }, changes.active ? { ...changes, pausedUntil: null } : changes);
      await writeAudit(manager, audit);
    });
  }

  async routing(): Promise<RoutingRule[] | null> {
    const rows = await this.db.read((manager) => manager.find(NotificationRoutingEntity, { order: { position: 'ASC' } }));
    if (rows.length === 0) return null;
    return rows.map(({ position: _position, ...rule }) => ({
      ...rule,
      audience: rule.audience as RoutingRule['audience'],
      route: rule.route as RoutingRule['route'],
      mandatory: Boolean(rule.mandatory),
    }));
  }

  async replaceRouting(rules: RoutingRule[], audit: AuditRecord): Promise<void> {
    await this.db.write(async (manager) => {
      await manager.clear(NotificationRoutingEntity);
      for (let start = 0; start < rules.length; start += 100) {
        await manager.insert(
          NotificationRoutingEntity,
          rules.slice(start, start + 100).map((rule, index) => ({ ...rule, position: start + index })),
        );
      }
      await writeAudit(manager, audit);
    });
  }

  async eventsToPlan(limit: number): Promise<OutboxEvent[]> {
    return this.db.read(async (manager) => {
      const queued = await manager.find(NotificationEventEntity, { where: { plannedAt: IsNull() }, order: { eventId: 'ASC' }, take: limit });
      if (queued.length === 0) return [];
      const rows = await manager.find(OutboxEventEntity, { where: { id: In(queued.map((row) => row.eventId)) }, order: { id: 'ASC' } });
      return rows.map(toOutboxEvent);
    });
  }

  recordPlan(eventIds: readonly string[], messages: readonly NotificationRecord[], at: string): Promise<number> {
    return this.db.write(async (manager) => {
      const inserted = await insertIgnoring(manager, messages);
      if (eventIds.length > 0) await manager.update(NotificationEventEntity, { eventId: In([...eventIds]) }, { plannedAt: at });
      return inserted;
    });
  }

  insertMessages(messages: readonly NotificationRecord[]): Promise<number> {
    return this.db.write((manager) => insertIgnoring(manager, messages));
  }

  async robotsWithDueMessages(now: string, limit: number): Promise<string[]> {
    const rows: Array<{ channel_id: string }> = await this.db.read((manager) =>
      manager
        .createQueryBuilder(NotificationEntity, 'n')
        .select('DISTINCT n.channel_id', 'channel_id')
        .innerJoin(NotificationChannelEntity, 'c', 'c.id = n.channel_id')
        .where('n.status = :pending', { pending: 'pending' })
        .andWhere('n.next_attempt_at <= :now AND n.not_before <= :now', { now })
        .andWhere("c.kind <> 'email' AND c.active = :active", { active: true })
        .andWhere('(c.paused_until IS NULL OR c.paused_until <= :now)', { now })
        .limit(limit)
        .getRawMany(),
    );
    return rows.map((row) => row.channel_id);
  }

  claimRobotRound(
    channelId: string,
    now: string,
    leaseUntil: string,
    windowStart: string,
    decide: (queue: RobotQueue) => RobotClaim,
  ): Promise<{ channel: NotificationChannelRecord; messages: NotificationRecord[] } | null> {
    return this.db.write(async (manager) => {
      const channelQuery = manager.createQueryBuilder(NotificationChannelEntity, 'c').where('c.id = :channelId', { channelId });
      // The robot's row is the lock: two senders never pace one robot at once (SQLite's queue already serialises).
      if (!this.db.isSqlite) channelQuery.setLock('pessimistic_write');
      const channelRow = await channelQuery.getOne();
      if (!channelRow || !channelRow.active || (channelRow.pausedUntil !== null && channelRow.pausedUntil > now)) return null;
      const channel = toChannel(channelRow);
      const recentAttempts = (
        await manager.find(NotificationAttemptEntity, {
          select: { attemptedAt: true },
          where: { channelId, attemptedAt: MoreThan(windowStart) },
        })
      ).map((row) => row.attemptedAt);
      const pending = (
        await manager.find(NotificationEntity, {
          where: { channelId, status: 'pending', nextAttemptAt: LessThanOrEqual(now), notBefore: LessThanOrEqual(now) },
          order: { createdAt: 'ASC', id: 'ASC' },
          take: ROBOT_QUEUE_WINDOW,
        })
      ).map(toNotification);
      const claim = decide({ channel, recentAttempts, pending });
      const toSend = [...claim.alone];
      for (const { digest, folded } of claim.digests) {
        await insertIgnoring(manager, [{ ...digest, nextAttemptAt: leaseUntil }]);
        await manager.update(NotificationEntity, { id: In(folded) }, { status: 'folded', foldedInto: digest.id, nextAttemptAt: null });
        toSend.push(digest.id);
      }
      if (toSend.length === 0) return { channel, messages: [] };
      await manager.update(NotificationEntity, { id: In(claim.alone.length > 0 ? claim.alone : ['']) }, { nextAttemptAt: leaseUntil });
      const messages = (await manager.findBy(NotificationEntity, { id: In(toSend) })).map(toNotification);
      return { channel, messages };
    });
  }

  claimDueEmails(now: string, leaseUntil: string, limit: number): Promise<Array<{ channel: NotificationChannelRecord; message: NotificationRecord }>> {
    return this.db.write(async (manager) => {
      const query = manager
        .createQueryBuilder(NotificationEntity, 'n')
        .where('n.status = :pending', { pending: 'pending' })
        .andWhere('n.next_attempt_at <= :now AND n.not_before <= :now', { now })
        .andWhere("n.channel_id IN (SELECT c.id FROM notification_channels c WHERE c.kind = 'email' AND c.active = :active)", { active: true })
        .orderBy('n.urgent', 'DESC')
        .addOrderBy('n.nextAttemptAt', 'ASC')
        .addOrderBy('n.id', 'ASC')
        .limit(limit);
      if (!this.db.isSqlite) query.setLock('pessimistic_write').setOnLocked('skip_locked');
      const rows = await query.getMany();
      if (rows.length === 0) return [];
      await manager.update(NotificationEntity, { id: In(rows.map((row) => row.id)) }, { nextAttemptAt: leaseUntil });
      const channels = new Map(
        (await manager.findBy(NotificationChannelEntity, { id: In([...new Set(rows.map((row) => row.channelId))]) })).map((row) => [row.id, toChannel(row)]),
      );
      return rows.map((row) => ({ channel: channels.get(row.channelId)!, message: toNotification(row) }));
    });
  }

  async recordOutcome({ attempt, notification, pauseChannelUntil }: NotificationOutcome): Promise<void> {
    await this.db.write(async (manager) => {
      await manager.insert(NotificationAttemptEntity, attempt);
      await manager.update(NotificationEntity, { id: attempt.notificationId }, notification);
      if (pauseChannelUntil) await manager.update(NotificationChannelEntity, { id: attempt.channelId }, { pausedUntil: pauseChannelUntil });
    });
  }

  async listNotifications(query: NotificationQuery): Promise<NotificationRecord[]> {
    const rows = await this.db.read(async (manager) => {
      const filters = {
        ...(query.status ? { status: query.status } : {}),
        ...(query.channelId ? { channelId: query.channelId } : {}),
        ...(query.problemId ? { problemId: query.problemId } : {}),
        ...(query.recipientUserId ? { recipientUserId: query.recipientUserId } : {}),
      };
      // Newest first; ids are derived (not time-ordered), so the page after a row is the rows older than it, or as
      // old with a smaller id.
      const last = query.after ? await manager.findOne(NotificationEntity, { select: { id: true, createdAt: true }, where: { id: query.after } }) : null;
      if (query.after && !last) return [];
      const where = last ? [{ ...filters, createdAt: LessThan(last.createdAt) }, { ...filters, createdAt: last.createdAt, id: LessThan(last.id) }] : filters;
      return manager.find(NotificationEntity, { where, order: { createdAt: 'DESC', id: 'DESC' }, take: query.limit });
    });
    return rows.map(toNotification);
  }

  async findNotification(id: string): Promise<NotificationRecord | null> {
    const row = await this.db.read((manager) => manager.findOneBy(NotificationEntity, { id }));
    return row ? toNotification(row) : null;
  }

  async listAttempts(notificationId: string): Promise<NotificationAttemptRecord[]> {
    const rows = await this.db.read((manager) => manager.find(NotificationAttemptEntity, { where: { notificationId }, order: { attemptedAt: 'ASC', id: 'ASC' } }));
    return rows.map(toAttempt);
  }

  async requestRedelivery(id: string, at: string, audit: AuditRecord): Promise<void> {
    await this.db.write(async (manager) => {
      await manager.update(NotificationEntity, { id }, { status: 'pending', nextAttemptAt: at, notBefore: at, foldedInto: null, lastError: null });
      await writeAudit(manager, audit);
    });
  }

  async contact(userId: string): Promise<ContactPreferences | null> {
    const row = await this.db.read((manager) => manager.findOneBy(UserEntity, { id: userId }));
    if (!row) return null;
    const { email, mobile, language, optOuts } = toPerson(row);
    return { email, mobile, language, optOuts };
  }

  async updateContact(userId: string, contact: ContactPreferences, audit: AuditRecord): Promise<void> {
    await this.db.write(async (manager) => {
      const { email, mobile, language, optOuts } = contact;
      await manager.update(UserEntity, { id: userId }, { email, mobile, language, notifyOptOuts: JSON.stringify(optOuts) });
      await writeAudit(manager, audit);
    });
  }
}

export class TypeOrmNotificationDirectory extends NotificationDirectory {
  constructor(private readonly db: Database) {
    super();
  }

  async departments(): Promise<DirectoryDepartment[]> {
    const rows = await this.db.read((manager) => manager.find(DepartmentEntity, { where: { active: true } }));
    return rows.map(({ id, name, parentId, headUserId }) => ({ id, name, parentId, headUserId }));
  }

  async peopleOf(departmentIds: readonly string[]): Promise<DirectoryPerson[]> {
    if (departmentIds.length === 0) return [];
    const rows = await this.db.read((manager) => manager.find(UserEntity, { where: { departmentId: In([...departmentIds]), active: true }, order: { id: 'ASC' } }));
    return rows.map(toPerson);
  }

  async people(userIds: readonly string[]): Promise<DirectoryPerson[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db.read((manager) => manager.find(UserEntity, { where: { id: In([...userIds]), active: true }, order: { id: 'ASC' } }));
    return rows.map(toPerson);
  }

  async openProblems(departmentIds: readonly string[], limit: number): Promise<DigestProblem[]> {
    if (departmentIds.length === 0) return [];
    const rows = await this.db.read((manager) =>
      manager.find(ProblemEntity, {
        where: { departmentId: In([...departmentIds]), state: Not(In(['closed', 'cancelled'])) },
        order: { deadline: 'ASC', id: 'ASC' },
        take: limit,
      }),
    );
    return rows.map((row) => ({
      id: row.id,
      title: row.title,
      severity: row.severity,
      inspectionRef: row.inspectionRef,
      departmentId: row.departmentId,
      deadline: row.deadline,
      stateDetail: row.stateDetail,
      deadlineState: row.deadlineState,
      escalationLevel: row.escalationLevel ?? 0,
      pendingRequest: (JSON.parse(row.snapshot) as { context?: { pendingRequest?: unknown } }).context?.pendingRequest != null,
    }));
  }

  async administrators(): Promise<DirectoryPerson[]> {
    const rows = await this.db.read((manager) => manager.find(UserEntity, { where: { role: 'admin', active: true }, order: { id: 'ASC' } }));
    return rows.map(toPerson);
  }
}
