import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ProblemSteps } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('Repeat problems (屡查屡犯)', () => {
  let t: TestApp;
  let steps: ProblemSteps;
  beforeAll(async () => {
    t = await createTestApp({ repeatWindowDays: 90 });
    steps = new ProblemSteps(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const DAY = 86_400_000;

  it('links a new problem at the same place and of the same category as one closed within the window, and raises its severity', async () => {
    // given a closed problem at the boiler house
    t.clock.set('2026-03-02T01:00:00.000Z');
    const place = { location: 'Boiler house, valve 7', category: 'pressure-equipment', severity: 'general' };
    const earlier = await steps.inStage('closed', place);

    // when a problem is found there again 60 days later (location written differently)
    t.clock.advance(60 * DAY);
    const again = await steps.file('inspector', { ...place, location: '  boiler HOUSE,  valve 7 ' });

    // then it is a repeat of the earlier one, one severity level up, and both sides show the link
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ repeatOf: earlier.id, severity: 'major' });
    const earlierNow = await steps.get('supervisor', earlier.id);
    expect(earlierNow.body.repeatedBy).toEqual([again.body.id]);
    const history = await steps.history('inspector', again.body.id);
    expect(history.body.items[0].payload).toMatchObject({ repeatOf: earlier.id, reportedSeverity: 'general', severity: 'major' });
    // and the policy deadline follows the raised severity: major, 10 working days from Friday 2026-05-01 (not
    // general's 20), skipping Labour Day (May 1–5) and counting the make-up Saturday May 9 → Monday May 18
    const assigned = await steps.send('inspector', again.body.id, { type: 'ASSIGN', departmentId: t.org.departments.facilities });
    expect(assigned.body.deadline).toBe('2026-05-18T10:00:00.000Z');
  });

  it('does not treat it as a repeat outside the window, at another place, or of another category', async () => {
    // given a problem closed now at the compressor room
    t.clock.set('2026-03-02T01:00:00.000Z');
    const place = { location: 'Compressor room', category: 'machine-safety', severity: 'minor' };
    await steps.inStage('closed', place);

    // when problems are found 91 days later there, and right away elsewhere or of another kind
    const otherPlace = await steps.file('inspector', { ...place, location: 'Compressor room 2' });
    const otherKind = await steps.file('inspector', { ...place, category: 'fire-safety' });
    t.clock.advance(91 * DAY);
    const late = await steps.file('inspector', place);

    // then none of them is a repeat, and each keeps its reported severity
    for (const response of [otherPlace, otherKind, late]) {
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ repeatOf: null, severity: 'minor' });
    }
  });

  it('keeps a critical repeat critical, and ignores problems that were cancelled rather than closed', async () => {
    t.clock.set('2026-03-02T01:00:00.000Z');
    const critical = { location: 'Acid tank farm', category: 'hazardous-materials', severity: 'critical' };
    const earlier = await steps.inStage('closed', critical);
    const cancelledPlace = { location: 'Loading bay', category: 'traffic', severity: 'minor' };
    await steps.inStage('cancelled', cancelledPlace);

    const repeat = await steps.file('inspector', critical);
    const notRepeat = await steps.file('inspector', cancelledPlace);

    expect(repeat.body).toMatchObject({ repeatOf: earlier.id, severity: 'critical' });
    expect(notRepeat.body).toMatchObject({ repeatOf: null, severity: 'minor' });
  });

  it('shows a department only the repeats it may see', async () => {
    // given a closed problem of facilities, repeated by one assigned to production
    t.clock.set('2026-03-02T01:00:00.000Z');
    const place = { location: 'Dock 4', category: 'electrical', severity: 'minor' };
    const earlier = await steps.inStage('closed', place);
    const repeat = await steps.file('inspector', place);
    await steps.send('inspector', repeat.body.id, { type: 'ASSIGN', departmentId: t.org.departments.production });

    // then facilities (who had the earlier one) sees the link to nothing it cannot open; the supervisor sees it
    expect((await steps.get('facilities', earlier.id)).body.repeatedBy).toEqual([]);
    expect((await steps.get('supervisor', earlier.id)).body.repeatedBy).toEqual([repeat.body.id]);
  });
});
