import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '#domain';
import { CalendarProvider } from '#engine';
import { OutboxRelay } from '#events';
import {
  isWithinWorkingHours,
  NotificationDispatcher,
  NotificationsService,
  NotificationStore,
  type NotificationRecord,
} from '#notify';
import { DeadlineScheduler } from '#scheduler';
import { dingTalkRobot, type DingTalkRobot, type Inbox, smtpInbox } from '../support/notify-peers.js';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';

const ADMIN: Actor = { userId: 'admin-of-test', name: 'Test admin', role: 'admin', departmentId: null };
const ROBOT_SECRET = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab';

/** Sweeps timers, relays the outbox and runs a notification round at `at`, as the background loops would. */
async function step(t: TestApp, at: string): Promise<void> {
  t.clock.set(at);
  await t.app.get(DeadlineScheduler).sweep();
  await t.app.get(OutboxRelay).relayOnce();
  await t.app.get(NotificationDispatcher).runOnce();
}

async function sentMessages(t: TestApp): Promise<NotificationRecord[]> {
  return t.app.get(NotificationStore).listNotifications({ status: 'sent', limit: 1000 });
}

describe('Notifications end to end: overdue, escalated to level 2, across a restart, a weekend and a holiday', () => {
  let t: TestApp;
  let inbox: Inbox;
  let facilitiesRobot: DingTalkRobot;
  let officeRobot: DingTalkRobot;
  const channels: Record<string, string> = {};

  beforeAll(async () => {
    inbox = await smtpInbox();
    facilitiesRobot = await dingTalkRobot(ROBOT_SECRET);
    officeRobot = await dingTalkRobot(ROBOT_SECRET);
    // The daily digest is left out here: this test counts the messages events make.
    t = await createTestApp({ notify: { dailyDigestAt: null, consoleUrl: 'https://rectify.example.org' } });
    const service = t.app.get(NotificationsService);
    channels.email = (await service.createChannel(ADMIN, { kind: 'email', name: 'Mail', smtpUrl: `smtp://desk:s3cret@127.0.0.1:${inbox.port}`, from: 'Desk <desk@example.org>' })).id;
    channels.facilities = (await service.createChannel(ADMIN, { kind: 'dingtalk', name: 'Facilities group', departmentId: t.org.departments.facilities, webhookUrl: facilitiesRobot.url, secret: ROBOT_SECRET })).id;
    channels.office = (await service.createChannel(ADMIN, { kind: 'dingtalk', name: 'Office group', departmentId: t.org.departments.office, webhookUrl: officeRobot.url, secret: ROBOT_SECRET })).id;
    await service.updateContact(t.org.users.supervisor.actor, { email: 'zhang.min@example.org', language: 'zh' });
    await service.updateContact(t.org.users.facilities.actor, { email: 'wang.fang@example.org', mobile: '13800000001', language: 'en' });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([inbox.close(), facilitiesRobot.close(), officeRobot.close()]);
  });

  it('sends exactly the messages routing names, once each, only in working hours', async () => {
    // given a problem filed and assigned on Monday 2026-09-21, 10:00 Shanghai, due Wednesday 09-30 18:00
    t.clock.set('2026-09-21T02:00:00.000Z');
    const filed = await t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).send(aFiling({ title: 'Blocked fire exit', severity: 'major' }));
    expect(filed.status).toBe(201);
    const id = filed.body.id as string;
    const assigned = await t.http().post(`/problems/${id}/events`).auth(t.tokens.inspector, { type: 'bearer' })
      .send({ type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline: '2026-09-30T10:00:00.000Z' });
    expect(assigned.status).toBe(200);
    await step(t, '2026-09-21T02:00:00.000Z');
    // reminders at 09:00 three and one working days before (09-25 is Mid-Autumn, 09-26/27 a weekend)
    await step(t, '2026-09-24T01:00:00.000Z');
    await step(t, '2026-09-29T01:00:00.000Z');
    const beforeDeadline = (await sentMessages(t)).length;

    // when the deadline passes at 18:00 on the eve of the National Day holiday (10-01 … 10-07)
    await step(t, '2026-09-30T10:00:00.000Z');
    // then overdue and level 1 are planned but held: nothing goes out after hours
    expect((await sentMessages(t)).length).toBe(beforeDeadline);
    const held = await t.app.get(NotificationStore).listNotifications({ status: 'pending', limit: 100 });
    expect(held.map((message) => message.eventType).sort()).toEqual(['problem.escalated', 'problem.escalated', 'problem.overdue', 'problem.overdue']);
    expect(new Set(held.map((message) => message.notBefore))).toEqual(new Set(['2026-10-08T01:00:00.000Z']));

    // when the server restarts in the middle, and the clock runs through the holiday
    await t.stop();
    t = await createTestApp({ restartOf: t, notify: { dailyDigestAt: null, consoleUrl: 'https://rectify.example.org' } });
    await step(t, '2026-10-03T04:00:00.000Z');
    await step(t, '2026-10-07T23:00:00.000Z');
    expect((await sentMessages(t)).length).toBe(beforeDeadline);
    // the first working hour after the holiday
    await step(t, '2026-10-08T01:00:00.000Z');
    // level 2, three working days after the deadline: 10-08, 10-09 and the make-up Saturday 10-10, at 18:00
    await step(t, '2026-10-10T10:00:00.000Z');
    await step(t, '2026-10-11T03:00:00.000Z');
    await step(t, '2026-10-12T01:00:00.000Z');
    await step(t, '2026-10-12T05:00:00.000Z');

    // then exactly these went out, each once
    const sent = await sentMessages(t);
    const who = (message: NotificationRecord) =>
      `${message.eventType} → ${message.channelId === channels.email ? message.address : message.channelId === channels.facilities ? 'facilities robot' : 'office robot'}`;
    expect(sent.map(who).sort()).toEqual(
      [
        'problem.filed → zhang.min@example.org',
        'problem.assigned → wang.fang@example.org',
        'problem.assigned → facilities robot',
        'problem.deadline_approaching → facilities robot',
        'problem.deadline_approaching → facilities robot',
        'problem.overdue → facilities robot',
        'problem.overdue → wang.fang@example.org',
        'problem.escalated → facilities robot',
        'problem.escalated → wang.fang@example.org',
        'problem.escalated → office robot',
        'problem.escalated → zhang.min@example.org',
      ].sort(),
    );
    expect(sent.every((message) => message.attempts === 1)).toBe(true);
    expect(facilitiesRobot.accepted).toHaveLength(5);
    expect(officeRobot.accepted).toHaveLength(1);
    expect(inbox.received).toHaveLength(5);
    expect([facilitiesRobot, officeRobot].map((robot) => robot.badSignatures + robot.refusedTooFast)).toEqual([0, 0]);
    // in working hours only, by the organisation's calendar
    const calendar = t.app.get(CalendarProvider).current();
    for (const message of sent) expect([message.sentAt, isWithinWorkingHours(calendar, new Date(message.sentAt!))]).toEqual([message.sentAt, true]);
    for (const delivery of [...facilitiesRobot.accepted, ...officeRobot.accepted]) {
      expect(isWithinWorkingHours(calendar, new Date(delivery.timestampMs))).toBe(true);
    }
    // in the recipient's language, with the link to the problem, the department head @-mentioned on its robot
    const headMails = inbox.received.filter((mail) => (mail.to && !Array.isArray(mail.to) ? mail.to.text : '').includes('wang.fang'));
    expect(headMails).toHaveLength(3);
    expect(headMails.every((mail) => (mail.text ?? '').includes(`https://rectify.example.org/problems/${id}`))).toBe(true);
    const levelTwo = officeRobot.accepted[0];
    expect(levelTwo.text).toContain('Blocked fire exit');
    expect(facilitiesRobot.accepted.some((delivery) => delivery.atMobiles.includes('13800000001'))).toBe(true);
  }, 60_000);
});

describe('Notifications in a burst: 200 escalations in one minute to one robot', () => {
  let t: TestApp;
  let robot: DingTalkRobot;

  beforeAll(async () => {
    robot = await dingTalkRobot(ROBOT_SECRET, 20);
    t = await createTestApp({ notify: { dailyDigestAt: null } });
    const service = t.app.get(NotificationsService);
    await service.createChannel(ADMIN, { kind: 'dingtalk', name: 'Facilities group', departmentId: t.org.departments.facilities, webhookUrl: robot.url, secret: ROBOT_SECRET });
    // Only escalations, to the department's robot: the burst is theirs alone.
    await service.replaceRouting(ADMIN, [{ event: 'problem.escalated', level: null, audience: 'responsibleMembers', route: 'robot', mandatory: true }]);
  });
  afterAll(async () => {
    await t.close();
    await robot.close();
  });

  it('paces the robot within its limit and folds the rest into digests, dropping none', async () => {
    // given 200 problems due at the same minute (Monday 2026-03-16, 11:00 Shanghai)
    t.clock.set('2026-03-09T02:00:00.000Z');
    const titles: string[] = [];
    for (let n = 0; n < 200; n += 1) {
      const title = `Burst problem ${String(n).padStart(3, '0')}`;
      titles.push(title);
      const filed = await t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).send(aFiling({ title }));
      const assigned = await t.http().post(`/problems/${filed.body.id}/events`).auth(t.tokens.inspector, { type: 'bearer' })
        .send({ type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline: '2026-03-16T03:00:00.000Z' });
      expect(assigned.status).toBe(200);
    }

    // when they all escalate at once, and rounds run every second for ten minutes
    const start = Date.parse('2026-03-16T03:00:00.000Z');
    for (let second = 0; second < 600; second += 1) {
      t.clock.set(new Date(start + second * 1000).toISOString());
      if (second === 0) {
        const scheduler = t.app.get(DeadlineScheduler);
        while ((await scheduler.sweep()).fired > 0);
        await t.app.get(OutboxRelay).relayOnce();
      }
      await t.app.get(NotificationDispatcher).runOnce();
      if (second % 10 === 9 && (await t.app.get(NotificationStore).listNotifications({ status: 'pending', limit: 1 })).length === 0) break;
    }

    // then every escalation reached the robot exactly once, alone or in a digest
    for (const title of titles) {
      expect([title, robot.accepted.filter((delivery) => delivery.text.includes(title)).length]).toEqual([title, 1]);
    }
    // the robot was never over its limit: DingTalk never answered "too fast", and no 60 s held more than 20
    expect(robot.refusedTooFast).toBe(0);
    expect(robot.badSignatures).toBe(0);
    const stamps = robot.accepted.map((delivery) => delivery.timestampMs).sort((a, b) => a - b);
    const busiest = Math.max(...stamps.map((at) => stamps.filter((other) => other > at - 60_000 && other <= at).length));
    expect(busiest).toBeLessThanOrEqual(20);
    // paced messages and digests both
    const digests = robot.accepted.filter((delivery) => delivery.text.split('Burst problem').length > 2);
    expect(digests.length).toBeGreaterThan(0);
    expect(robot.accepted.length).toBeLessThan(200);
    const store = t.app.get(NotificationStore);
    expect(await store.listNotifications({ status: 'pending', limit: 10 })).toEqual([]);
    expect(await store.listNotifications({ status: 'failed', limit: 10 })).toEqual([]);
  }, 120_000);
});
