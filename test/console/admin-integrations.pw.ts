import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';
import { verifyWebhook } from '../../libs/events/src/webhook-signature.js';
import { type Inbox, smtpInbox } from '../support/notify-peers.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { AxeAudit, errorsInPages, DESKTOP, eventually, launchChromium, openBrowser, signIn } from './support/browser.js';
import { ConsoleServer } from './support/console-server.js';
import { button, t } from './support/messages.js';
import { adminPerson, api, fileProblem, type Organisation, type Person, seedOrganisation, sendEvent } from './support/seed.js';

const FILED = '二号仓库消防栓被遮挡';
const CHANNEL = '安全督查办通知邮箱';
const ADMIN_EMAIL = 'admin@example.org';
const FROM = '整改平台 <noreply@example.org>';
/** What the receiver answers every POST: not 200, so the console's 200 could not come from anywhere else. */
const RECEIVER_STATUS = 202;
/** How long a disabled subscription is watched for sending nothing: many relay rounds (100 ms each here). */
const QUIET_MS = 2_000;
/** The name of a table row's expand button in Ant Design's Chinese locale (antd/locale/zh_CN: Table.expand), not the console's catalogs. */
const EXPAND_ROW = '展开行';

interface WebhookEvent {
  id: string;
  type: string;
  problem: { id: string };
}

/** A row of a table as column header → cell text (what a person reads in each column). */
async function rowRecord(row: Locator): Promise<Record<string, string>> {
  const headers = await row.locator('xpath=ancestor::table[1]').getByRole('columnheader').allInnerTexts();
  const cells = await row.getByRole('cell').allInnerTexts();
  expect(cells).toHaveLength(headers.length);
  return Object.fromEntries(headers.map((header, index) => [header.trim(), cells[index].trim()]));
}

interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
}

/**
 * The administrator connects the product to other systems: a webhook subscription to a receiver on this
 * machine (its signing secret shown once, its deliveries signed and logged, disabled and enabled again), then an
 * email channel to a local SMTP server, tested from the console, the test message in the delivery log.
 */
describe("the administrator's integrations: webhooks and notification channels", () => {
  const audit = new AxeAudit();
  let server: ConsoleServer;
  let browser: Browser;
  let organisation: Organisation;
  let admin: Person;
  let page: Page;
  let receiver: WebhookReceiver;
  let hookUrl: string;
  let inbox: Inbox;
  let secret = '';
  let subscriptionId = '';
  let problemId = '';

  beforeAll(async () => {
    receiver = new WebhookReceiver(RECEIVER_STATUS);
    await receiver.start();
    hookUrl = receiver.url('/hooks/rectification');
    inbox = await smtpInbox();
    server = await ConsoleServer.start({
      // The receiver and the SMTP server are on loopback, which webhooks may not reach unless allowed.
      WEBHOOK_ALLOWED_TARGETS: '127.0.0.1',
      // Channels are stored sealed: without a key none can be added.
      NOTIFY_SECRET_KEY: randomBytes(32).toString('base64'),
    });
    organisation = await seedOrganisation(server);
    admin = await adminPerson(server);
    browser = await launchChromium();
    page = (await openBrowser(browser, server, DESKTOP)).page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await receiver?.stop();
    await inbox?.close();
  });

  const popconfirm = () => page.locator('.ant-popconfirm').filter({ visible: true });
  const subscriptionRow = () => page.getByRole('main').getByRole('row').filter({ hasText: hookUrl });
  const deliveries = async () => (await api<{ items: Delivery[] }>(server, admin.token, 'GET', `/admin/webhooks/${subscriptionId}/deliveries`)).items;
  /** The receiver's requests, checked as a consumer would: a signed JSON POST whose signature verifies with the secret. */
  const verifiedEvents = () =>
    receiver.received.map((request) => {
      const timestamp = String(request.headers['x-rectification-timestamp']);
      const signature = String(request.headers['x-rectification-signature']);
      expect(request).toEqual(expect.objectContaining({ method: 'POST', path: '/hooks/rectification' }));
      expect(request.headers['content-type']).toBe('application/json');
      expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(verifyWebhook(secret, timestamp, request.body, signature)).toBe(true);
      expect(verifyWebhook(`${secret}0`, timestamp, request.body, signature)).toBe(false);
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(120);
      const event = JSON.parse(request.body) as WebhookEvent;
      expect(request.headers['x-rectification-event-id']).toBe(event.id);
      return event;
    });

  it('creates a webhook subscription to a receiver on this machine; its signing secret is shown once', async () => {
    await signIn(page, admin.username, admin.password, '/admin/webhooks');
    await page.getByRole('heading', { level: 2, name: t('admin.webhooks.title') }).waitFor();

    // when: 新建订阅, the receiver's URL (every event, every department), 保存
    await page.getByRole('button', { name: button('admin.webhooks.create') }).click();
    const dialog = page.getByRole('dialog', { name: t('admin.webhooks.create') });
    await dialog.getByLabel(t('admin.webhooks.url'), { exact: true }).fill(hookUrl);
    await audit.check(page, 'the new-subscription dialog');
    await dialog.getByRole('button', { name: button('app.save') }).click();

    // then: the signing secret, once, with the warning that it will not be shown again
    const created = page.getByRole('dialog', { name: t('admin.webhooks.created') });
    await created.getByText(t('admin.showOnce.title', { what: t('admin.webhooks.secret') })).waitFor();
    await created.getByText(t('admin.webhooks.secretNote')).waitFor();
    secret = (await created.getByLabel(t('admin.webhooks.secret'), { exact: true }).innerText()).trim();
    expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    await audit.check(page, 'the signing secret shown once');
    await created.getByRole('button', { name: button('admin.done') }).click();
    await created.waitFor({ state: 'hidden' });

    // and: the subscription is listed, enabled, for every event and department; the secret is nowhere to be seen again
    await subscriptionRow().waitFor();
    expect(await rowRecord(subscriptionRow())).toEqual(
      expect.objectContaining({
        [t('admin.webhooks.url')]: hookUrl,
        [t('admin.webhooks.eventTypes')]: t('admin.webhooks.allEvents'),
        [t('admin.webhooks.department')]: t('admin.webhooks.allDepartments'),
        [t('admin.state')]: t('admin.enabled'),
      }),
    );
    expect(await page.content()).not.toContain(secret);
    const listed = (await api<{ items: Array<{ id: string; url: string }> }>(server, admin.token, 'GET', '/admin/webhooks')).items;
    expect(listed).toEqual([expect.objectContaining({ url: hookUrl, active: true })]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    subscriptionId = listed[0].id;
    await audit.check(page, 'the webhook subscriptions');
  }, 60_000);

  it("a problem filed reaches the receiver signed, and the delivery log shows it delivered with the receiver's status", async () => {
    // when: the inspector files a problem (through the API)
    problemId = (await fileProblem(server, organisation.inspector, FILED)).id;

    // then: the receiver gets one signed POST of the event
    await eventually(async () => expect(verifiedEvents()).toEqual([expect.objectContaining({ type: 'problem.filed', problem: expect.objectContaining({ id: problemId }) })]));
    const [filed] = verifiedEvents();
    await eventually(async () => expect(await deliveries()).toEqual([expect.objectContaining({ eventId: filed.id, status: 'delivered', attempts: 1 })]));

    // and: 投递记录 lists it delivered after one attempt
    await subscriptionRow().getByRole('button', { name: button('admin.webhooks.deliveries') }).click();
    const drawer = page.getByRole('dialog', { name: t('admin.webhooks.deliveriesOf', { url: hookUrl }) });
    const delivery = drawer.getByRole('row').filter({ hasText: t('admin.domainEvent.problem.filed') });
    await delivery.waitFor();
    expect(await rowRecord(delivery)).toEqual(
      expect.objectContaining({
        [t('admin.webhooks.eventType')]: t('admin.domainEvent.problem.filed'),
        [t('admin.state')]: t('admin.webhooks.status.delivered'),
        [t('admin.attempts')]: '1',
        [t('admin.webhooks.nextAttemptAt')]: '—',
      }),
    );
    expect(await rowRecord(delivery)).not.toEqual(expect.objectContaining({ [t('admin.webhooks.deliveredAt')]: '—' }));

    // and: its attempt, opened, says what the receiver answered
    await delivery.getByRole('button', { name: EXPAND_ROW }).click();
    // (the row of the attempts' own table, not the outer row holding that table)
    const attempt = drawer.getByRole('row').filter({ has: page.getByRole('cell', { name: String(RECEIVER_STATUS), exact: true }), hasNot: page.getByRole('table') });
    await attempt.waitFor();
    expect(await rowRecord(attempt)).toEqual(
      expect.objectContaining({ [t('admin.outcome')]: t('admin.succeeded'), [t('admin.statusCode')]: String(RECEIVER_STATUS), [t('admin.detail')]: '—' }),
    );
    await audit.check(page, 'the delivery log with an attempt');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  }, 60_000);

  it('disabled, the subscription sends nothing while the event queues; enabled again, the queued event goes out', async () => {
    // when: 停用, confirmed
    await subscriptionRow().getByRole('button', { name: button('admin.disable') }).click();
    await popconfirm().getByText(t('admin.webhooks.disableConfirm')).waitFor();
    await popconfirm().getByRole('button', { name: button('admin.disable') }).click();

    // then: marked disabled, here and on the server
    await eventually(async () => expect((await rowRecord(subscriptionRow()))[t('admin.state')]).toBe(t('admin.disabled')));
    await subscriptionRow().getByRole('button', { name: button('admin.enable') }).waitFor();
    expect(await api(server, admin.token, 'GET', `/admin/webhooks/${subscriptionId}`)).toEqual(expect.objectContaining({ active: false }));

    // when: the problem is assigned meanwhile
    await sendEvent(server, organisation.supervisor, problemId, { type: 'ASSIGN', departmentId: organisation.facilitiesId });

    // then: the event waits for it, unsent
    await eventually(async () =>
      expect((await deliveries()).map(({ eventType, status, attempts }) => ({ eventType, status, attempts }))).toEqual([
        { eventType: 'problem.assigned', status: 'pending', attempts: 0 },
        { eventType: 'problem.filed', status: 'delivered', attempts: 1 },
      ]),
    );
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    expect(receiver.received).toHaveLength(1);
    await audit.check(page, 'a disabled subscription');

    // when: 启用
    await subscriptionRow().getByRole('button', { name: button('admin.enable') }).click();

    // then: enabled again, and the queued event reaches the receiver, signed
    await eventually(async () => expect((await rowRecord(subscriptionRow()))[t('admin.state')]).toBe(t('admin.enabled')));
    await eventually(async () =>
      expect(verifiedEvents().map((event) => [event.type, event.problem.id])).toEqual([
        ['problem.filed', problemId],
        ['problem.assigned', problemId],
      ]),
    );

    // and: the delivery log shows both delivered
    await eventually(async () => expect((await deliveries()).every((delivery) => delivery.status === 'delivered')).toBe(true));
    await subscriptionRow().getByRole('button', { name: button('admin.webhooks.deliveries') }).click();
    const drawer = page.getByRole('dialog', { name: t('admin.webhooks.deliveriesOf', { url: hookUrl }) });
    for (const type of ['problem.filed', 'problem.assigned']) {
      const row = drawer.getByRole('row').filter({ hasText: t(`admin.domainEvent.${type}`) });
      await eventually(async () =>
        expect(await rowRecord(row)).toEqual(expect.objectContaining({ [t('admin.state')]: t('admin.webhooks.status.delivered'), [t('admin.attempts')]: '1' })),
      );
    }
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  }, 60_000);

  it('adds an email channel to a local SMTP server, whose credentials are never shown', async () => {
    // given: the admin has an address for the test message to go to
    await api(server, admin.token, 'PUT', '/me/notification-settings', { email: ADMIN_EMAIL });
    await page.getByRole('navigation').getByRole('link', { name: t('nav.notifications'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/admin/notifications');
    await page.getByRole('heading', { level: 2, name: t('admin.notifications.title') }).waitFor();
    await page.getByRole('tab', { name: t('admin.notifications.channels'), selected: true }).waitFor();

    // when: 新建渠道, an email channel (the form's first kind), its SMTP server with credentials, 保存
    await page.getByRole('button', { name: button('admin.channels.create') }).click();
    const dialog = page.getByRole('dialog', { name: t('admin.channels.create') });
    await dialog.getByTitle(t('admin.channels.kind.email'), { exact: true }).waitFor();
    await dialog.getByLabel(t('admin.channels.name'), { exact: true }).fill(CHANNEL);
    await dialog.getByLabel(t('admin.channels.smtpUrl'), { exact: true }).fill(`smtp://desk:s3cret@127.0.0.1:${inbox.port}`);
    await dialog.getByLabel(t('admin.channels.from'), { exact: true }).fill(FROM);
    await audit.check(page, 'the new-channel dialog, email');
    await dialog.getByRole('button', { name: button('app.save') }).click();
    await dialog.waitFor({ state: 'hidden' });

    // then: listed, enabled, pointing at the server without its user or password
    const row = page.getByRole('main').getByRole('row').filter({ hasText: CHANNEL });
    await row.waitFor();
    expect(await rowRecord(row)).toEqual(
      expect.objectContaining({
        [t('admin.channels.name')]: CHANNEL,
        [t('admin.channels.kind')]: t('admin.channels.kind.email'),
        [t('admin.channels.target')]: `smtp://127.0.0.1:${inbox.port}`,
        [t('admin.channels.department')]: t('admin.channels.organisationWide'),
        [t('admin.channels.dailyDigest')]: t('admin.no'),
        [t('admin.state')]: t('admin.enabled'),
      }),
    );
    expect(await page.content()).not.toContain('s3cret');
    await audit.check(page, 'the notification channels');
  }, 60_000);

  it('sends a test message from the console: the SMTP server receives it and the vendor\'s answer is shown', async () => {
    // when: 发送测试
    const row = page.getByRole('main').getByRole('row').filter({ hasText: CHANNEL });
    const answer = page.waitForResponse((response) => response.request().method() === 'POST' && response.url().endsWith('/test'));
    await row.getByRole('button', { name: button('admin.channels.test') }).click();
    expect((await answer).status()).toBe(200);

    // then: the answer, in the SMTP server's words
    const tested = page.getByRole('dialog', { name: t('admin.channels.testOf', { name: CHANNEL }) });
    await tested.getByText(t('admin.channels.testDelivered'), { exact: true }).waitFor();
    await tested.getByRole('cell', { name: '250', exact: true }).waitFor();
    await tested.getByText(/^SMTP accepted the message: 250/).waitFor();
    await audit.check(page, "a channel test's answer");

    // and: the SMTP server got one message, to the admin's own address, from the channel's sender
    await eventually(() => expect(inbox.received).toHaveLength(1));
    const [mail] = inbox.received;
    expect(mail.subject).toBe(`【测试消息】${CHANNEL}`);
    expect(mail.from?.value).toEqual([{ name: '整改平台', address: 'noreply@example.org' }]);
    expect((Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((to) => to?.value.map(({ address }) => address))).toEqual([ADMIN_EMAIL]);
    expect(mail.text).toContain(`通知通道「${CHANNEL}」`);
    await tested.getByRole('button', { name: button('admin.done') }).click();
    await tested.waitFor({ state: 'hidden' });
  }, 60_000);

  it('the delivery log lists the test message, sent, with its attempt', async () => {
    // when: 发送记录
    await page.getByRole('tab', { name: t('admin.notifications.log') }).click();

    // then: the test message, sent to the admin through the channel at the first attempt
    const row = page.getByRole('main').getByRole('row').filter({ hasText: `【测试消息】${CHANNEL}` });
    await row.waitFor();
    expect(await rowRecord(row)).toEqual(
      expect.objectContaining({
        [t('admin.log.event')]: t('admin.domainEvent.channel.test'),
        [t('admin.log.title')]: `【测试消息】${CHANNEL}`,
        [t('admin.log.channel')]: CHANNEL,
        [t('admin.log.recipient')]: ADMIN_EMAIL,
        [t('admin.log.status')]: t('admin.log.status.sent'),
        [t('admin.attempts')]: '1',
      }),
    );
    expect(await rowRecord(row)).not.toEqual(expect.objectContaining({ [t('admin.log.sentAt')]: '—' }));

    // and: its attempt, opened, says what the SMTP server answered
    await row.getByRole('button', { name: EXPAND_ROW }).click();
    const attempt = page.getByRole('main').getByRole('row').filter({ has: page.getByRole('cell', { name: '250', exact: true }), hasNot: page.getByRole('table') });
    await attempt.waitFor();
    expect(await rowRecord(attempt)).toEqual(expect.objectContaining({ [t('admin.outcome')]: t('admin.succeeded'), [t('admin.vendorCode')]: '250' }));
    expect((await rowRecord(attempt))[t('admin.detail')]).toMatch(/^SMTP accepted the message: 250/);
    await audit.check(page, 'the notification delivery log');
  }, 60_000);

  it('axe-core finds no serious or critical violation on the pages visited, and no page failed', () => {
    audit.expectClean();
    expect(errorsInPages()).toEqual([]);
  });
});
