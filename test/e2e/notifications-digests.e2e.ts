import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ParsedMail } from 'mailparser';
import type { Actor } from '#domain';
import { OutboxRelay } from '#events';
import { NotificationDispatcher, NotificationsService, NotificationStore, type NotificationRecord } from '#notify';
import { DeadlineScheduler } from '#scheduler';
import { dingTalkRobot, type DingTalkRobot, type Inbox, smtpInbox } from '../support/notify-peers.js';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';

const ADMIN: Actor = { userId: 'admin-of-test', name: 'Test admin', role: 'admin', departmentId: null };
const ROBOT_SECRET = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab';
const SMTP_URL = (inbox: Inbox) => `smtp://desk:s3cret@127.0.0.1:${inbox.port}`;

/** Sweeps every due timer, relays the outbox and runs a notification round at `at`, as the background loops would. */
async function step(t: TestApp, at: string): Promise<{ planned: number; digests: number; sent: number }> {
  t.clock.set(at);
  const scheduler = t.app.get(DeadlineScheduler);
  while ((await scheduler.sweep()).fired > 0);
  await t.app.get(OutboxRelay).relayOnce();
  return t.app.get(NotificationDispatcher).runOnce();
}

async function messagesOf(t: TestApp, eventType: string): Promise<NotificationRecord[]> {
  return (await t.app.get(NotificationStore).listNotifications({ limit: 1000 })).filter((message) => message.eventType === eventType);
}

const mailTo = (mail: ParsedMail): string => (mail.to && !Array.isArray(mail.to) ? mail.to.text : '');

/**
 * Which of `titles` each section of a digest lists, read from its text (email) or markdown (robot): a heading line
 * starts a section, item lines under it name problems.
 */
function digestSections(text: string, headings: readonly string[], titles: readonly string[]): Record<string, string[]> {
  const sections: Record<string, string[]> = {};
  let current: string | null = null;
  for (const line of text.split('\n').map((raw) => raw.replace(/^\*\*/, ''))) {
    const heading = headings.find((candidate) => line.startsWith(candidate));
    if (heading) {
      current = heading;
      sections[heading] = [];
      continue;
    }
    const title = titles.find((candidate) => line.includes(candidate));
    if (title && current) sections[current].push(title);
  }
  // Items of one section come by deadline; equal deadlines in no fixed order.
  for (const list of Object.values(sections)) list.sort();
  return sections;
}

const ZH_HEADINGS = ['今日到期', '已逾期', '督办中', '待您审核'] as const;
const EN_HEADINGS = ['Due today', 'Overdue', 'Escalated', 'Waiting for your decision'] as const;

describe('The daily digest on working days, to department robots, heads and supervisors', () => {
  let t: TestApp;
  let inbox: Inbox;
  let facilitiesRobot: DingTalkRobot;
  const channels: Record<string, string> = {};
  const titles = {
    overdue: 'Blocked fire exit',
    dueToday: 'Loose handrail on stair B',
    awaitingDecision: 'Extinguisher missing in bay 4',
    office: 'Cracked window in the office corridor',
  };

  const robotDigests = () => facilitiesRobot.accepted.filter((delivery) => delivery.title.startsWith('【每日督办提醒】'));
  const mailDigests = (to: string) =>
    inbox.received.filter((mail) => mailTo(mail).includes(to) && /^(\[Daily digest\]|【每日督办提醒】)/.test(mail.subject ?? ''));

  beforeAll(async () => {
    inbox = await smtpInbox();
    facilitiesRobot = await dingTalkRobot(ROBOT_SECRET);
    // NOTIFY_DAILY_DIGEST_AT at its default (09:00 in the calendar's zone); routing at its defaults, which send
    // other messages to the same peers, so digests are told apart by event type and title.
    t = await createTestApp({ notify: { consoleUrl: 'https://rectify.example.org' } });
    const service = t.app.get(NotificationsService);
    channels.email = (await service.createChannel(ADMIN, { kind: 'email', name: 'Mail', smtpUrl: SMTP_URL(inbox), from: 'Desk <desk@example.org>' })).id;
    // No dailyDigest given: robots take the digest by default.
    const robot = await service.createChannel(ADMIN, { kind: 'dingtalk', name: 'Facilities group', departmentId: t.org.departments.facilities, webhookUrl: facilitiesRobot.url, secret: ROBOT_SECRET });
    channels.facilities = robot.id;
    expect(robot).toMatchObject({ dailyDigest: true });
    await service.updateContact(t.org.users.supervisor.actor, { email: 'zhang.min@example.org', language: 'zh' });
    await service.updateContact(t.org.users.facilities.actor, { email: 'wang.fang@example.org', language: 'en' });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([inbox.close(), facilitiesRobot.close()]);
  });

  const send = (token: string, id: string, body: Record<string, unknown>) =>
    t.http().post(`/problems/${id}/events`).auth(token, { type: 'bearer' }).send(body);

  async function assigned(title: string, departmentId: string, deadline: string): Promise<string> {
    const filed = await t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).send(aFiling({ title, severity: 'major' }));
    expect(filed.status).toBe(201);
    const id = filed.body.id as string;
    expect((await send(t.tokens.inspector, id, { type: 'ASSIGN', departmentId, deadline })).status).toBe(200);
    return id;
  }

  const ids: Record<keyof typeof titles, string> = { overdue: '', dueToday: '', awaitingDecision: '', office: '' };

  it('sends nothing before 09:00, then one digest each to the robot, the head and the supervisor', async () => {
    // given on Monday 2026-09-21, 08:00 Shanghai: one problem due Tuesday 09-22, two due Wednesday 09-30 (one of
    // them the office's own), and one due in October whose department asks for more time
    t.clock.set('2026-09-21T00:00:00.000Z');
    ids.overdue = await assigned(titles.overdue, t.org.departments.facilities, '2026-09-22T18:00:00+08:00');
    ids.dueToday = await assigned(titles.dueToday, t.org.departments.facilities, '2026-09-30T18:00:00+08:00');
    ids.office = await assigned(titles.office, t.org.departments.office, '2026-09-30T18:00:00+08:00');
    ids.awaitingDecision = await assigned(titles.awaitingDecision, t.org.departments.facilities, '2026-10-16T18:00:00+08:00');
    expect(
      (await send(t.tokens.facilities, ids.awaitingDecision, { type: 'START', measures: 'Order a new extinguisher', responsiblePerson: 'Wang Fang', plannedCompletionDate: '2026-10-15' })).status,
    ).toBe(200);
    const requested = await send(t.tokens.facilities, ids.awaitingDecision, {
      type: 'REQUEST_EXTENSION', reason: 'The supplier delivers after the National Day holiday', proposedDeadline: '2026-10-30T18:00:00+08:00',
    });
    expect(requested.status).toBe(200);
    expect(requested.body.pendingRequest).toMatchObject({ kind: 'extension' });
    // the clock runs to the eve of the digest day: 09-22's deadline passes and escalates, reminders go. Rounds run
    // before 09:00 or from 18:00 only: between them, a working day makes (or catches up on) that day's digest.
    for (const at of ['2026-09-21T00:00:00.000Z', '2026-09-22T10:00:00.000Z', '2026-09-24T10:00:00.000Z', '2026-09-28T10:00:00.000Z', '2026-09-29T10:00:00.000Z']) {
      expect((await step(t, at)).digests).toBe(0);
    }
    const deadlineStates = await Promise.all(
      Object.values(ids).map(async (id) => (await t.http().get(`/problems/${id}`).auth(t.tokens.admin, { type: 'bearer' })).body.deadlineState as string),
    );
    expect(Object.fromEntries(Object.keys(ids).map((key, n) => [key, deadlineStates[n]]))).toEqual({
      overdue: 'escalated', dueToday: 'dueSoon', awaitingDecision: 'onTrack', office: 'dueSoon',
    });

    // when a round runs at 08:59 on Wednesday 2026-09-30, a working day
    const early = await step(t, '2026-09-30T00:59:00.000Z');

    // then no digest is made yet
    expect(early.digests).toBe(0);
    expect(await messagesOf(t, 'daily.digest')).toEqual([]);

    // when the round runs at 09:00
    const due = await step(t, '2026-09-30T01:00:00.000Z');

    // then exactly three digests: the facilities group, its head, the supervisor over the office
    expect(due.digests).toBe(3);
    const digests = await messagesOf(t, 'daily.digest');
    expect(digests.map((message) => [message.channelId, message.recipientUserId, message.address, message.status, message.problemId]).sort()).toEqual(
      [
        [channels.email, t.org.users.facilities.actor.userId, 'wang.fang@example.org', 'sent', null],
        [channels.email, t.org.users.supervisor.actor.userId, 'zhang.min@example.org', 'sent', null],
        [channels.facilities, null, '', 'sent', null],
      ].sort(),
    );
    expect(digests.every((message) => message.sentAt === '2026-09-30T01:00:00.000Z')).toBe(true);
    const allTitles = Object.values(titles);

    // the robot got one, in the group's language, listing the facilities department's problems only
    expect(robotDigests()).toHaveLength(1);
    const robot = robotDigests()[0];
    expect(robot.title).toContain('2026-09-30');
    expect(robot.timestampMs).toBe(Date.parse('2026-09-30T01:00:00.000Z'));
    expect(digestSections(robot.text, ZH_HEADINGS, allTitles)).toEqual({
      今日到期: [titles.dueToday],
      督办中: [titles.overdue],
      待您审核: [titles.awaitingDecision],
    });
    expect(robot.text).toContain(`https://rectify.example.org/problems/${ids.dueToday}`);
    expect(facilitiesRobot.badSignatures + facilitiesRobot.refusedTooFast).toBe(0);

    // the head got one by mail, in English, the same department's problems
    expect(mailDigests('wang.fang@example.org')).toHaveLength(1);
    const head = mailDigests('wang.fang@example.org')[0];
    expect(head.subject).toContain('2026-09-30');
    expect(digestSections(head.text ?? '', EN_HEADINGS, allTitles)).toEqual({
      'Due today': [titles.dueToday],
      Escalated: [titles.overdue],
      'Waiting for your decision': [titles.awaitingDecision],
    });
    expect(head.html).toContain('Loose handrail on stair B');

    // the supervisor (also head of the office) got one by mail: the departments below the office, with the
    // request waiting for their decision, and the office's own problem
    expect(mailDigests('zhang.min@example.org')).toHaveLength(1);
    const supervisor = mailDigests('zhang.min@example.org')[0];
    expect(supervisor.subject).toContain('【每日督办提醒】');
    expect(digestSections(supervisor.text ?? '', ZH_HEADINGS, allTitles)).toEqual({
      今日到期: [titles.dueToday, titles.office].sort(),
      督办中: [titles.overdue],
      待您审核: [titles.awaitingDecision],
    });
  });

  it('makes no second digest when the round runs again the same day', async () => {
    // when
    const again = await step(t, '2026-09-30T01:00:00.000Z');
    const afternoon = await step(t, '2026-09-30T06:30:00.000Z');

    // then
    expect([again.digests, afternoon.digests]).toEqual([0, 0]);
    expect(await messagesOf(t, 'daily.digest')).toHaveLength(3);
    expect(robotDigests()).toHaveLength(1);
    expect(mailDigests('wang.fang@example.org')).toHaveLength(1);
    expect(mailDigests('zhang.min@example.org')).toHaveLength(1);
  });

  it('sends none on the National Day holiday or a weekend, and the next working day its own', async () => {
    // when rounds run at 09:00 through the holiday (10-01 … 10-07, with Saturday 10-03 in it)
    for (const at of ['2026-10-01T01:00:00.000Z', '2026-10-03T01:00:00.000Z', '2026-10-05T03:00:00.000Z', '2026-10-07T01:00:00.000Z']) {
      expect([at, (await step(t, at)).digests]).toEqual([at, 0]);
    }
    // then nothing new
    expect(await messagesOf(t, 'daily.digest')).toHaveLength(3);

    // when Thursday 10-08, the first working day after, reaches 09:00
    expect((await step(t, '2026-10-08T01:00:00.000Z')).digests).toBe(3);

    // then each recipient has a digest of its own for that day
    expect(robotDigests().map((delivery) => delivery.title.includes('2026-10-08'))).toEqual([false, true]);
    expect(mailDigests('wang.fang@example.org').map((mail) => (mail.subject ?? '').includes('2026-10-08'))).toEqual([false, true]);
    expect(mailDigests('zhang.min@example.org').map((mail) => (mail.subject ?? '').includes('2026-10-08'))).toEqual([false, true]);
    // what was due on 09-30 has escalated since
    expect(digestSections(robotDigests()[1].text, ZH_HEADINGS, Object.values(titles))).toEqual({
      督办中: [titles.overdue, titles.dueToday].sort(),
      待您审核: [titles.awaitingDecision],
    });
  });

  it('leaves out whoever opted out of the digest; the make-up Saturday is a working day, Sunday is not', async () => {
    // given the facilities head opts out of daily.digest
    const saved = await t.app.get(NotificationsService).updateContact(t.org.users.facilities.actor, { optOuts: ['daily.digest'] });
    expect(saved.optOuts).toEqual(['daily.digest']);

    // when Friday 10-09, the make-up Saturday 10-10 (调休上班), Sunday 10-11 and Monday 10-12 reach 09:00
    const made = [];
    for (const at of ['2026-10-09T01:00:00.000Z', '2026-10-10T01:00:00.000Z', '2026-10-11T01:00:00.000Z', '2026-10-12T01:00:00.000Z']) made.push((await step(t, at)).digests);

    // then the robot and the supervisor get theirs on the three working days, the head none
    expect(made).toEqual([2, 2, 0, 2]);
    const dates = ['2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12'];
    const dateOf = (title: string) => /\d{4}-\d{2}-\d{2}/.exec(title)?.[0];
    expect(robotDigests().map((delivery) => dateOf(delivery.title))).toEqual(dates);
    expect(mailDigests('zhang.min@example.org').map((mail) => dateOf(mail.subject ?? ''))).toEqual(dates);
    expect(mailDigests('wang.fang@example.org').map((mail) => dateOf(mail.subject ?? ''))).toEqual(['2026-09-30', '2026-10-08']);
    const stored = await messagesOf(t, 'daily.digest');
    expect(stored).toHaveLength(12);
    expect(stored.filter((message) => message.recipientUserId === t.org.users.facilities.actor.userId)).toHaveLength(2);
    expect(stored.every((message) => message.status === 'sent' && message.attempts === 1)).toBe(true);
    // each sent at 09:00 of its day, Shanghai time
    expect(robotDigests().map((delivery) => new Date(delivery.timestampMs).toISOString())).toEqual(dates.map((date) => `${date}T01:00:00.000Z`));
  });
});

// Next year's schedule as an admin would import it (test data, not the State Council's), as in calendar-coverage.e2e.ts.
const SCHEDULE_2027 = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Example Org//Holidays 2027//EN',
  'BEGIN:VEVENT',
  'UID:new-year-2027@example.org',
  'DTSTART;VALUE=DATE:20270101',
  'DTEND;VALUE=DATE:20270104',
  'SUMMARY:元旦(休)',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:new-year-2027-workday@example.org',
  'DTSTART;VALUE=DATE:20270109',
  'SUMMARY:元旦(班)',
  'X-APPLE-SPECIAL-DAY:ALTERNATE-WORKDAY',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe('The calendar coverage warning to administrators, weekly until next year is imported', () => {
  let t: TestApp;
  let inbox: Inbox;
  let adminId: string;

  const warnings = () => inbox.received.filter((mail) => (mail.subject ?? '').startsWith('[Working calendar]'));

  beforeAll(async () => {
    inbox = await smtpInbox();
    t = await createTestApp();
    const me = await t.http().get('/me').auth(t.tokens.admin, { type: 'bearer' });
    expect(me.status).toBe(200);
    adminId = me.body.user.id as string;
    const admin: Actor = { userId: adminId, name: me.body.user.name as string, role: 'admin', departmentId: null };
    const service = t.app.get(NotificationsService);
    await service.createChannel(admin, { kind: 'email', name: 'Mail', smtpUrl: SMTP_URL(inbox), from: 'Desk <desk@example.org>' });
    await service.updateContact(admin, { email: 'admin@example.org', language: 'en' });
  });
  afterAll(async () => {
    await t.close();
    await inbox.close();
  });

  it('says nothing more than 60 days before the holiday data ends (2026-12-31)', async () => {
    // when Thursday 2026-10-15, 10:00 Shanghai (77 days left), and Sunday 11-01 (60 days left, not a working day)
    const october = await step(t, '2026-10-15T02:00:00.000Z');
    const sunday = await step(t, '2026-11-01T02:00:00.000Z');

    // then
    expect([october.digests, sunday.digests]).toEqual([0, 0]);
    expect(await messagesOf(t, 'calendar.coverage_ending')).toEqual([]);
    expect(inbox.received).toEqual([]);
  });

  it('warns the admin by mail on the first working day within 60 days, naming the end date, once that week', async () => {
    // when Monday 2026-11-02 reaches 08:30 (before working hours), then 10:00
    expect((await step(t, '2026-11-02T00:30:00.000Z')).digests).toBe(0);
    const monday = await step(t, '2026-11-02T02:00:00.000Z');

    // then one warning, to the admin
    expect(monday.digests).toBe(1);
    const stored = await messagesOf(t, 'calendar.coverage_ending');
    expect(stored.map((message) => [message.recipientUserId, message.address, message.status])).toEqual([[adminId, 'admin@example.org', 'sent']]);
    expect(warnings()).toHaveLength(1);
    const mail = warnings()[0];
    expect(mailTo(mail)).toContain('admin@example.org');
    expect(mail.subject).toBe('[Working calendar] Holiday data ends on 2026-12-31');
    expect(mail.text).toContain('are known up to 2026-12-31, 59 days from now');
    expect(mail.text).toContain("next year's public holidays and make-up workdays are ignored until its schedule is imported");

    // when rounds run again that week
    for (const at of ['2026-11-02T06:00:00.000Z', '2026-11-04T02:00:00.000Z', '2026-11-06T09:00:00.000Z']) {
      expect([at, (await step(t, at)).digests]).toEqual([at, 0]);
    }
    // then no second warning
    expect(warnings()).toHaveLength(1);
  });

  it('warns again the next week', async () => {
    // when Monday 2026-11-09, 10:00
    expect((await step(t, '2026-11-09T02:00:00.000Z')).digests).toBe(1);

    // then
    expect(warnings()).toHaveLength(2);
    expect(warnings()[1].text).toContain('are known up to 2026-12-31, 52 days from now');
    expect(await messagesOf(t, 'calendar.coverage_ending')).toHaveLength(2);
  });

  it('stops once next year\'s schedule is imported as complete', async () => {
    // given 2027 imported on Tuesday 11-10 with coverageUntil
    t.clock.set('2026-11-10T02:00:00.000Z');
    const imported = await t.http().post('/admin/calendar/import').auth(t.tokens.admin, { type: 'bearer' })
      .send({ ics: SCHEDULE_2027, coverageUntil: '2027-12-31' });
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ holidayCoverage: { to: '2027-12-31' } });

    // when the following weeks' Mondays come
    const made = [];
    for (const at of ['2026-11-16T02:00:00.000Z', '2026-11-23T02:00:00.000Z', '2026-12-01T02:00:00.000Z']) made.push((await step(t, at)).digests);

    // then no more warnings
    expect(made).toEqual([0, 0, 0]);
    expect(warnings()).toHaveLength(2);
    expect(await messagesOf(t, 'calendar.coverage_ending')).toHaveLength(2);
  });
});
