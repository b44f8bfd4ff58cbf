import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { Database } from '#persistence';
import { type OpenApiDocument, responseSchema, schemaErrors } from '../support/openapi-schema.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const FROM_THE_FUTURE = 'FromANewerVersion9999999999999';

/*
 * Liveness (/health) and readiness (/health/ready), on either database. What they answer while PostgreSQL is away is
 * in database-outage.e2e.ts.
 */
describe('GET /health and GET /health/ready', () => {
  let t: TestApp;
  let db: Database;
  let document: OpenApiDocument;

  function expectDocumented(response: Response, path: string, status: number): void {
    expect(response.status).toBe(status);
    expect(schemaErrors(document, responseSchema(document, 'GET', path, status), response.body)).toEqual([]);
  }

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(Database);
    document = (await t.http().get('/docs-json')).body as OpenApiDocument;
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers liveness without a token: the process, the configured database and the calendar', async () => {
    const response = await t.http().get('/health');
    expectDocumented(response, '/health', 200);
    expect(response.body).toMatchObject({ status: 'ok', database: t.database.kind, calendar: { version: 1 } });
  });

  it('answers ready without a token when the database answers and has exactly this version\'s migrations', async () => {
    const response = await t.http().get('/health/ready');
    expectDocumented(response, '/health/ready', 200);
    expect(response.body).toEqual({
      status: 'ready',
      database: { kind: t.database.kind, reachable: true, latencyMs: expect.any(Number), error: null },
      migrations: { current: true, pending: [], unknown: [] },
      reasons: [],
    });
  });

  it('answers 503 not-ready, naming it, while a migration of this version is not applied; ready again once it is', async () => {
    // given the newest migration's row gone, as before an upgrade's migrations ran
    const [newest] = await db.sqlRead((sql) => sql.all<{ name: string; timestamp: number | string }>('SELECT name, timestamp FROM migrations ORDER BY timestamp DESC LIMIT 1'));
    await db.sqlWrite((sql) => sql.run('DELETE FROM migrations WHERE name = ?', [newest.name]));

    // when / then
    const response = await t.http().get('/health/ready');
    expectDocumented(response, '/health/ready', 503);
    expect(response.body).toMatchObject({ status: 'not-ready', database: { reachable: true }, migrations: { current: false, pending: [newest.name], unknown: [] } });
    expect(response.body.reasons).toEqual([expect.stringContaining(`Migrations not applied yet: ${newest.name}`)]);
    // liveness is not readiness: the process is fine
    expect((await t.http().get('/health')).status).toBe(200);

    // and once it is applied again
    await db.sqlWrite((sql) => sql.run('INSERT INTO migrations (timestamp, name) VALUES (?, ?)', [Number(newest.timestamp), newest.name]));
    expectDocumented(await t.http().get('/health/ready'), '/health/ready', 200);
  });

  it('answers 503 not-ready when a newer version has migrated the database', async () => {
    // given a migration this version does not know
    await db.sqlWrite((sql) => sql.run('INSERT INTO migrations (timestamp, name) VALUES (?, ?)', [9999999999999, FROM_THE_FUTURE]));

    // when / then
    const response = await t.http().get('/health/ready');
    expectDocumented(response, '/health/ready', 503);
    expect(response.body).toMatchObject({ status: 'not-ready', migrations: { current: false, pending: [], unknown: [FROM_THE_FUTURE] } });
    expect(response.body.reasons).toEqual([expect.stringContaining('migrated by a newer version')]);

    await db.sqlWrite((sql) => sql.run('DELETE FROM migrations WHERE name = ?', [FROM_THE_FUTURE]));
    expect((await t.http().get('/health/ready')).status).toBe(200);
  });
});
