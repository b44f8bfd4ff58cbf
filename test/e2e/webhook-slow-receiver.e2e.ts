import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { EventDispatcher, type OutboxEvent, WebhookDeliverer } from '#events';
import { StreamClient } from '../support/event-stream.js';
import { ProblemSteps } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { HoldingReceiver as Receiver } from '../support/holding-receiver.js';

/** Polls `check` until it holds (no timing is asserted: the test's own timeout is the only limit). */
async function eventually(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe(`${WebhookDeliverer.name} with a receiver that never answers`, () => {
  let t: TestApp;
  let steps: ProblemSteps;
  let dispatcher: EventDispatcher;
  const slow = new Receiver(true);
  const prompt = new Receiver(false);
  const heard: OutboxEvent[] = [];
  let stream: StreamClient;

  beforeAll(async () => {
    // An attempt may take far longer than the test: only ordering can show that the others did not wait for it.
    t = await createTestApp({ events: { webhookTimeoutMs: 120_000, webhookConcurrencyPerSubscription: 1 } });
    steps = new ProblemSteps(t);
    dispatcher = t.app.get(EventDispatcher);
    await Promise.all([slow.start(), prompt.start()]);
    t.app.get(EventEmitter2).on('problem.assigned', (event: OutboxEvent) => heard.push(event));
    stream = await StreamClient.open(t, t.tokens.inspector);
  });
  afterAll(async () => {
    stream.close();
    await slow.stop();
    await prompt.stop();
    await t.close();
  });

  const admin = (path: string) => t.http().get(path).auth(t.adminToken, { type: 'bearer' });
  const deliveriesOf = async (subscriptionId: string) =>
    (await admin(`/admin/webhooks/${subscriptionId}/deliveries`)).body.items as Array<{ id: string; eventId: string; status: string; attempts: number }>;
  const logOf = async (deliveryId: string) => (await admin(`/admin/webhook-deliveries/${deliveryId}`)).body.log as unknown[];
  const assignedEventOf = (problemId: string) => heard.find((event) => event.problemId === problemId);

  it('delivers to another subscription, relays and streams new events while its attempt is pending; its own queue waits', async () => {
    // given subscription A, whose receiver holds every request, and B, whose receiver answers at once
    const subscribe = async (url: string) =>
      (await t.http().post('/admin/webhooks').auth(t.adminToken, { type: 'bearer' }).send({ url, eventTypes: ['problem.assigned'] })).body.id as string;
    const a = await subscribe(slow.url('/a'));
    const b = await subscribe(prompt.url('/b'));

    // when a problem is assigned and the dispatcher runs a round
    const first = await steps.inStage('assigned');
    await dispatcher.runOnce();

    // then B's delivery is made and logged while A's receiver still holds its request
    await eventually(async () => (await deliveriesOf(b))[0]?.status === 'delivered');
    const firstEvent = assignedEventOf(first.id)!;
    expect(prompt.eventIds).toEqual([firstEvent.id]);
    await eventually(() => slow.eventIds.length === 1);
    const [pendingAtA] = await deliveriesOf(a);
    expect(pendingAtA).toMatchObject({ eventId: firstEvent.id, status: 'pending', attempts: 0 });
    expect(await logOf(pendingAtA.id)).toEqual([]);

    // when a second problem is assigned and the next round runs, A's attempt still pending
    const second = await steps.inStage('assigned');
    await dispatcher.runOnce();

    // then the in-process listener and the live stream get it, and B has it delivered
    const secondEvent = assignedEventOf(second.id)!;
    expect(secondEvent).toBeDefined();
    await stream.waitFor((messages) => messages.some((message) => message.id === secondEvent.id));
    await eventually(async () => (await deliveriesOf(b)).every((delivery) => delivery.status === 'delivered') && prompt.eventIds.length === 2);
    expect(prompt.eventIds).toEqual([firstEvent.id, secondEvent.id]);
    // while A's second delivery waits its turn behind the first, unsent
    expect(slow.eventIds).toEqual([firstEvent.id]);
    expect((await deliveriesOf(a)).map((delivery) => [delivery.eventId, delivery.status, delivery.attempts])).toEqual([
      [secondEvent.id, 'pending', 0],
      [firstEvent.id, 'pending', 0],
    ]);

    // when A's receiver answers at last, and what is due is sent
    slow.release();
    await t.app.get(WebhookDeliverer).deliverDue();

    // then A has both events, each delivery made once, in order
    expect(slow.eventIds).toEqual([firstEvent.id, secondEvent.id]);
    expect((await deliveriesOf(a)).map((delivery) => [delivery.eventId, delivery.status, delivery.attempts])).toEqual([
      [secondEvent.id, 'delivered', 1],
      [firstEvent.id, 'delivered', 1],
    ]);
    expect(prompt.eventIds).toEqual([firstEvent.id, secondEvent.id]);
  });
});
