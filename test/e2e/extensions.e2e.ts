import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ProblemRepository } from '#engine';
import { Database, OutboxEventEntity } from '#persistence';
import { DeadlineScheduler } from '#scheduler';
import { expectApiError } from '../support/problem-steps.js';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';

describe('Extensions and suspensions of the deadline, with approval, over HTTP', () => {
  let t: TestApp;
  let scheduler: DeadlineScheduler;
  beforeAll(async () => {
    t = await createTestApp();
    scheduler = t.app.get(DeadlineScheduler);
  });
  afterAll(async () => {
    await t.close();
  });

  const as = (token: string) => ({
    send: (id: string, body: Record<string, unknown>) =>
      t.http().post(`/problems/${id}/events`).auth(token, { type: 'bearer' }).send(body),
    get: (id: string) => t.http().get(`/problems/${id}`).auth(token, { type: 'bearer' }),
    deadline: (id: string) => t.http().get(`/problems/${id}/deadline`).auth(token, { type: 'bearer' }),
    history: (id: string) => t.http().get(`/problems/${id}/history`).auth(token, { type: 'bearer' }),
  });

  /** Monday 2026-03-02 09:00 Shanghai: filed, assigned to facilities with a deadline, and started. */
  async function inProgress(deadline: string): Promise<string> {
    t.clock.set('2026-03-02T01:00:00.000Z');
    const filed = await t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).send(aFiling({ severity: 'major' }));
    expect(filed.status).toBe(201);
    const id = filed.body.id as string;
    expect((await as(t.tokens.inspector).send(id, { type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline })).status).toBe(200);
    const started = await as(t.tokens.facilities).send(id, {
      type: 'START', measures: 'Move the pallets', responsiblePerson: 'Wang Fang', plannedCompletionDate: '2026-03-10',
    });
    expect(started.status).toBe(200);
    return id;
  }

  /** Timer events fired for this problem (other tests' problems share the database and the sweeps). */
  const firedFor = async (id: string): Promise<string[]> =>
    ((await as(t.tokens.admin).history(id)).body.items as Array<{ eventType: string; actorRole: string }>)
      .filter((row) => row.actorRole === 'system')
      .map((row) => row.eventType);

  const outboxTypes = async (id: string): Promise<string[]> =>
    (await t.app.get(Database).read((manager) => manager.find(OutboxEventEntity, { where: { problemId: id }, order: { problemVersion: 'ASC' } })))
      .map((row) => row.type);

  it('the department asks for an extension, a supervisor approves it: the deadline moves, the original is kept', async () => {
    // given a problem due Friday 2026-03-20, 18:00 Shanghai
    const id = await inProgress('2026-03-20T18:00:00+08:00');
    const facilities = as(t.tokens.facilities);
    const supervisor = as(t.tokens.supervisor);

    // when the department asks for three more weeks
    t.clock.set('2026-03-10T02:00:00.000Z');
    const requested = await facilities.send(id, {
      type: 'REQUEST_EXTENSION', reason: 'The new racks arrive in April', proposedDeadline: '2026-04-10T18:00:00+08:00',
    });

    // then the request waits for a supervisor; the deadline has not moved
    expect(requested.status).toBe(200);
    expect(requested.body).toMatchObject({
      deadline: '2026-03-20T10:00:00.000Z',
      originalDeadline: '2026-03-20T10:00:00.000Z',
      extensionCount: 0,
      pendingRequest: { kind: 'extension', reason: 'The new racks arrive in April', proposedDeadline: '2026-04-10T10:00:00.000Z' },
    });
    expect(requested.body.allowedEvents).not.toContain('APPROVE_EXTENSION');
    expect((await supervisor.get(id)).body.allowedEvents).toEqual(expect.arrayContaining(['APPROVE_EXTENSION', 'REJECT_EXTENSION']));

    // and the department can neither approve its own request nor ask again meanwhile
    expectApiError(await facilities.send(id, { type: 'APPROVE_EXTENSION' }), 403, 'AUTH.FORBIDDEN');
    expectApiError(
      await facilities.send(id, { type: 'REQUEST_EXTENSION', reason: 'Again', proposedDeadline: '2026-04-30T18:00:00+08:00' }),
      409,
      'PROBLEM.INVALID_TRANSITION',
    );
    // an extension that does not move the deadline later is refused
    expectApiError(
      await supervisor.send(id, { type: 'APPROVE_EXTENSION', deadline: '2026-03-19T18:00:00+08:00' }),
      422,
      'PROBLEM.EXTENSION_NOT_LATER',
    );

    // when a supervisor approves it as asked
    const approved = await supervisor.send(id, { type: 'APPROVE_EXTENSION', comment: 'Agreed' });

    // then
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      deadline: '2026-04-10T10:00:00.000Z',
      originalDeadline: '2026-03-20T10:00:00.000Z',
      extensionCount: 1,
      pendingRequest: null,
      deadlineState: 'onTrack',
    });
    const history = (await supervisor.history(id)).body.items as Array<{ eventType: string; actorRole: string; payload: Record<string, unknown> }>;
    expect(history.slice(-2).map((row) => [row.eventType, row.actorRole])).toEqual([
      ['REQUEST_EXTENSION', 'department'],
      ['APPROVE_EXTENSION', 'supervisor'],
    ]);
    // the approval records the deadline it set (the proposed one), so replay needs nothing else
    expect(history.at(-1)!.payload).toMatchObject({ deadline: '2026-04-10T10:00:00.000Z', comment: 'Agreed' });
    expect((await outboxTypes(id)).slice(-2)).toEqual(['problem.extension_requested', 'problem.extension_approved']);
    const explained = (await supervisor.deadline(id)).body;
    expect(explained).toMatchObject({
      deadline: '2026-04-10T10:00:00.000Z',
      originalDeadline: '2026-03-20T10:00:00.000Z',
      extensionCount: 1,
      extensions: [expect.objectContaining({ from: '2026-03-20T10:00:00.000Z', to: '2026-04-10T10:00:00.000Z' })],
    });
  });

  it('a rejected extension keeps the deadline', async () => {
    // given
    const id = await inProgress('2026-03-20T18:00:00+08:00');
    expect(
      (await as(t.tokens.facilities).send(id, { type: 'REQUEST_EXTENSION', reason: 'More time', proposedDeadline: '2026-04-10T18:00:00+08:00' })).status,
    ).toBe(200);

    // when
    const rejected = await as(t.tokens.supervisor).send(id, { type: 'REJECT_EXTENSION', reason: 'Move them by hand meanwhile' });

    // then
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ deadline: '2026-03-20T10:00:00.000Z', extensionCount: 0, pendingRequest: null });
    expect((await outboxTypes(id)).at(-1)).toBe('problem.extension_rejected');
  });

  it('the department cannot stop its own clock: a suspension needs a supervisor, and timers run until then', async () => {
    // given a problem due Friday 2026-03-13, 18:00 Shanghai
    const id = await inProgress('2026-03-13T18:00:00+08:00');
    const facilities = as(t.tokens.facilities);

    // when the department asks for a suspension
    const requested = await facilities.send(id, { type: 'REQUEST_SUSPENSION', reason: 'Waiting for the fire brigade' });

    // then the clock still runs: nothing to resume, no approving it themselves, and the reminder fires when due
    expect(requested.body).toMatchObject({ deadlineState: 'onTrack', suspensions: [], pendingRequest: { kind: 'suspension' } });
    expectApiError(await facilities.send(id, { type: 'RESUME' }), 409, 'PROBLEM.INVALID_TRANSITION');
    expectApiError(await facilities.send(id, { type: 'APPROVE_SUSPENSION' }), 403, 'AUTH.FORBIDDEN');
    t.clock.set('2026-03-10T02:00:00.000Z');
    await scheduler.sweep();
    expect(await firedFor(id)).toEqual(['DEADLINE_REMINDER']);
    expect((await facilities.get(id)).body.deadlineState).toBe('dueSoon');

    // and a rejected request leaves it running
    const rejected = await as(t.tokens.supervisor).send(id, { type: 'REJECT_SUSPENSION', reason: 'The work does not depend on it' });
    expect(rejected.body).toMatchObject({ deadlineState: 'dueSoon', pendingRequest: null, suspensions: [] });
    expect((await outboxTypes(id)).slice(-1)).toEqual(['problem.suspension_rejected']);
  });

  it('an approved suspension stops the timers; RESUME moves the deadline by the suspended working days', async () => {
    // given a problem due Friday 2026-03-13, 18:00 Shanghai (10:00Z), suspended by approval on Monday 2026-03-02
    const id = await inProgress('2026-03-13T18:00:00+08:00');
    const facilities = as(t.tokens.facilities);
    const supervisor = as(t.tokens.supervisor);
    expect((await facilities.send(id, { type: 'REQUEST_SUSPENSION', reason: 'Waiting for the fire brigade' })).status).toBe(200);
    t.clock.set('2026-03-02T02:00:00.000Z');
    const suspended = await supervisor.send(id, { type: 'APPROVE_SUSPENSION', comment: 'Agreed' });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({
      deadlineState: 'suspended',
      pendingRequest: null,
      suspensions: [{ from: '2026-03-02T02:00:00.000Z', to: null, reason: 'Waiting for the fire brigade' }],
    });
    expect((await t.app.get(ProblemRepository).findById(id))!.nextTimer).toBeNull();
    // while suspended the work is not handed in: SUBMIT waits for RESUME
    expect((await facilities.get(id)).body.allowedEvents).toEqual(['REPORT_PROGRESS', 'RESUME']);

    // when the reminders, the deadline and the first escalation all fall due while suspended
    t.clock.set('2026-03-13T11:00:00.000Z');
    await scheduler.sweep();
    const during = (await supervisor.deadline(id)).body;

    // then nothing fires for it
    expect(await firedFor(id)).toEqual([]);
    expect((await facilities.get(id)).body).toMatchObject({ deadlineState: 'suspended', version: suspended.body.version });
    expect(during).toMatchObject({ suspended: true, clockRunning: false, suspensions: [expect.objectContaining({ to: null })] });

    // when the department resumes on Monday 2026-03-16: Mar 3–6, 9–13 and 16 were suspended, 10 working days
    t.clock.set('2026-03-16T02:00:00.000Z');
    const resumed = await facilities.send(id, { type: 'RESUME', comment: 'The brigade came' });

    // then the deadline moves 10 working days later, to Friday 2026-03-27 18:00 Shanghai, and the clock runs again
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({
      deadline: '2026-03-27T10:00:00.000Z',
      originalDeadline: '2026-03-13T10:00:00.000Z',
      extensionCount: 0,
      deadlineState: 'onTrack',
      suspensions: [expect.objectContaining({ from: '2026-03-02T02:00:00.000Z', to: '2026-03-16T02:00:00.000Z', workingDays: 10 })],
    });
    const history = (await supervisor.history(id)).body.items as Array<{ eventType: string; payload: Record<string, unknown> }>;
    expect(history.at(-1)).toMatchObject({
      eventType: 'RESUME',
      payload: { suspendedWorkingDays: 10, deadline: '2026-03-27T10:00:00.000Z', calendarId: 'cn-mainland' },
    });
    expect((await outboxTypes(id)).slice(-3)).toEqual(['problem.suspension_requested', 'problem.suspended', 'problem.resumed']);

    // and the explanation counts the suspended days as skipped time
    const explained = (await supervisor.deadline(id)).body;
    expect(explained).toMatchObject({
      suspended: false,
      clockRunning: true,
      elapsedWorkingDays: 0,
      remainingWorkingDays: 9,
      suspensions: [expect.objectContaining({ skippedWorkingDays: 10, reason: 'Waiting for the fire brigade' })],
    });
    const skippedSuspended = (explained.counting.skipped as Array<{ date: string; kind: string; name?: string }>)
      .filter((day) => day.kind === 'suspended')
      .map((day) => day.date);
    expect(skippedSuspended).toEqual([
      '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13', '2026-03-16',
    ]);
    // what remains counted is the department's original allowance of 9 working days
    expect(explained.counting.workingDays).toBe(9);

    // and the timers run for the new deadline: nothing is due now, the first reminder is three working days before it
    await scheduler.sweep();
    expect(await firedFor(id)).toEqual([]);
    expect((await t.app.get(ProblemRepository).findById(id))!.nextTimer).toMatchObject({
      fireAt: '2026-03-24T01:00:00.000Z',
      event: { type: 'DEADLINE_REMINDER', workingDaysBefore: 3 },
    });
    t.clock.set('2026-03-24T02:00:00.000Z');
    await scheduler.sweep();
    expect(await firedFor(id)).toEqual(['DEADLINE_REMINDER']);
    expect((await facilities.get(id)).body.deadlineState).toBe('dueSoon');
  });

  it('a supervisor may resume a suspension too; the inspector and admins may not', async () => {
    // given
    const id = await inProgress('2026-03-20T18:00:00+08:00');
    await as(t.tokens.facilities).send(id, { type: 'REQUEST_SUSPENSION', reason: 'Waiting for the landlord' });
    await as(t.tokens.supervisor).send(id, { type: 'APPROVE_SUSPENSION' });

    // when / then
    expectApiError(await as(t.tokens.inspector).send(id, { type: 'RESUME' }), 403, 'AUTH.FORBIDDEN');
    expectApiError(await as(t.tokens.admin).send(id, { type: 'RESUME' }), 403, 'AUTH.FORBIDDEN');
    // fields only the engine may set are refused
    expectApiError(await as(t.tokens.supervisor).send(id, { type: 'RESUME', deadline: '2027-01-01T00:00:00Z' }), 400, 'VALIDATION_FAILED');
    const resumed = await as(t.tokens.supervisor).send(id, { type: 'RESUME', comment: 'The landlord answered' });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ deadlineState: 'onTrack', deadline: '2026-03-20T10:00:00.000Z' });
  });
});
