import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { type AddressInfo, createServer, connect, type Server, type Socket } from 'node:net';
import pg from 'pg';
import type { Response } from 'supertest';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The line between the server and PostgreSQL: a TCP proxy. `cut()` drops every connection and refuses new ones, as
 * a database host that went away would; `restore()` takes connections again on the same port. The machine's
 * PostgreSQL itself is left alone (others use it).
 */
class DatabaseLine {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** The database URL `url` reached through this line. */
  through(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(this.port);
    return proxied.toString();
  }

  async restore(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

/** A 503 during an outage: the stable code, a wait in Retry-After, a message a person can act on. */
function expectUnavailable(response: Response): void {
  expect({ status: response.status, code: response.body?.code, retryAfter: response.headers['retry-after'] }).toEqual({
    status: 503,
    code: 'DATABASE.UNAVAILABLE',
    retryAfter: '5',
  });
  expect(response.body.message).toMatch(/Try again in 5 s|Reload and check/);
}

/*
 * PostgreSQL going away under a running server, whatever TEST_DATABASE says (an embedded SQLite file has no outage
 * to ride out): its backends terminated while requests run, then the line to it cut and restored. The server never
 * answers 500 and never ends; requests meanwhile answer 2xx or 503 DATABASE.UNAVAILABLE with Retry-After, and
 * succeed again afterwards. PostgreSQL at TEST_PG_URL is required, as for `npm run test:pg`.
 */
describe('The server riding out PostgreSQL going away', () => {
  let t: TestApp;
  let database: TestDatabase;
  let line: DatabaseLine;
  /** Straight to the test database, not through the line: terminates the server's backends. */
  let admin: pg.Client;

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const file = () => t.http().post('/problems').set(as(t.tokens.inspector)).send(aFiling({ title: `Outage ${randomUUID()}` }));

  async function terminateServerBackends(): Promise<number> {
    const { rows } = await admin.query<{ terminated: boolean }>(
      'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return rows.filter((row) => row.terminated).length;
  }

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    if (database.options.kind !== 'postgres') throw new Error('expected a PostgreSQL test database');
    const direct = new URL(database.options.url);
    line = new DatabaseLine({ host: direct.hostname, port: Number(direct.port || 5432) });
    await line.restore();
    t = await createTestApp({ database: { ...database, options: { ...database.options, url: line.through(database.options.url) } } });
    admin = new pg.Client({ connectionString: database.options.url });
    admin.on('error', () => undefined);
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await t?.close();
    await line?.cut();
  });

  it('answers 2xx or 503 with Retry-After, never 500, while its backends are terminated under load; every acknowledged filing is stored', async () => {
    // given eight clients filing, reading, listing and adding departments (TypeORM's transactions) for 3 s
    const answers: Response[] = [];
    const filed: string[] = [];
    const stopAt = Date.now() + 3_000;
    const client = async (index: number) => {
      for (let round = 0; Date.now() < stopAt; round += 1) {
        const kind = (index + round) % 4;
        const response =
          kind === 0 ? await file()
          : kind === 1 ? await t.http().get('/problems').set(as(t.tokens.supervisor))
          : kind === 2 && filed.length > 0 ? await t.http().get(`/problems/${filed[filed.length - 1]}`).set(as(t.tokens.inspector))
          : await t.http().post('/admin/departments').set(as(t.adminToken)).send({ name: `Outage unit ${randomUUID()}` });
        answers.push(response);
        if (kind === 0 && response.status === 201) filed.push(response.body.id as string);
      }
    };

    // when the server's backends are terminated every 300 ms meanwhile
    let terminated = 0;
    const terminating = (async () => {
      while (Date.now() < stopAt - 300) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        terminated += await terminateServerBackends();
      }
    })();
    await Promise.all([...Array.from({ length: 8 }, (_v, index) => client(index)), terminating]);

    // then each answer was a success or a documented 503, never anything else
    expect(terminated).toBeGreaterThan(0);
    const byStatus = new Map<number, number>();
    for (const response of answers) byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
    expect([...byStatus.keys()].filter((status) => ![200, 201, 503].includes(status))).toEqual([]);
    for (const response of answers.filter((answer) => answer.status === 503)) expectUnavailable(response);
    expect(answers.filter((response) => response.status < 300).length).toBeGreaterThan(answers.length / 2);

    // and afterwards everything succeeds, and every filing answered 201 is there
    expect((await file()).status).toBe(201);
    for (const id of filed) expect((await t.http().get(`/problems/${id}`).set(as(t.tokens.inspector))).status).toBe(200);
  }, 30_000);

  it('answers 503 within a few seconds while PostgreSQL cannot be reached, is live but not ready meanwhile, and recovers by itself', async () => {
    // given a server that has been serving
    expect((await t.http().get('/health/ready')).status).toBe(200);

    // when the line to the database is cut
    await line.cut();
    try {
      // then requests answer 503 within the bound a request waits (a few seconds), reads and writes alike
      for (const request of [() => t.http().get('/problems').set(as(t.tokens.supervisor)), file]) {
        const started = Date.now();
        const response = await request();
        expectUnavailable(response);
        expect(Date.now() - started).toBeLessThan(6_000);
      }
      // and the process is alive (it asks the database nothing) but not ready, saying why
      const live = await t.http().get('/health');
      expect({ status: live.status, body: live.body.status }).toEqual({ status: 200, body: 'ok' });
      const started = Date.now();
      const ready = await t.http().get('/health/ready');
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 'not-ready', database: { kind: 'postgres', reachable: false, latencyMs: null }, migrations: null });
      expect(ready.body.database.error).toEqual(expect.any(String));
      expect(ready.body.reasons).toEqual([expect.stringContaining('The database does not answer')]);
    } finally {
      await line.restore();
    }

    // when it can be reached again, then the same server is ready and serves, with nothing restarted
    const readyAgain = await t.http().get('/health/ready');
    expect(readyAgain.body).toMatchObject({ status: 'ready' });
    expect((await t.http().get('/problems').set(as(t.tokens.supervisor))).status).toBe(200);
    expect((await file()).status).toBe(201);
  }, 30_000);

  it('survives its idle connections dying: the next requests are served', async () => {
    // given a pool of idle connections
    await Promise.all(Array.from({ length: 5 }, () => t.http().get('/problems').set(as(t.tokens.supervisor))));

    // when PostgreSQL ends them all while nothing runs
    expect(await terminateServerBackends()).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 100));

    // then the pool opens new ones: reads and writes succeed at once
    expect((await t.http().get('/problems').set(as(t.tokens.supervisor))).status).toBe(200);
    expect((await file()).status).toBe(201);
  }, 30_000);
});
