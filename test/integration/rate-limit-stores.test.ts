import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { RateLimitStore } from '#identity';
import { connectRedis, Database, FallbackRateLimitStore, openDatabase, RedisRateLimitStore, SqlRateLimitStore } from '#persistence';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const MINUTE = 60_000;
const REDIS_URL = 'redis://127.0.0.1:6379';
const at = (iso: string) => new Date(iso);

/** `count` hits on one key at once, spread over the stores as if over that many servers; the counts they got. */
async function hitsAtOnce(stores: RateLimitStore[], key: string, count: number, now: Date): Promise<number[]> {
  const windows = await Promise.all(Array.from({ length: count }, (_v, index) => stores[index % stores.length].hit(key, now, MINUTE)));
  return windows.map((window) => window.count).sort((a, b) => a - b);
}

const oneToN = (count: number) => Array.from({ length: count }, (_v, index) => index + 1);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A Redis of the test's own (the machine's redis-server), to stop and start without touching the shared one. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve();
    });
  });
  child.removeAllListeners('exit');
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe(SqlRateLimitStore.name, () => {
  let database: TestDatabase;
  const dataSources: DataSource[] = [];
  let stores: SqlRateLimitStore[];

  beforeAll(async () => {
    database = await createTestDatabase();
    // Two connections to one database, as two servers have.
    for (let index = 0; index < 2; index += 1) dataSources.push(await openDatabase(database.options));
    stores = dataSources.map((dataSource) => new SqlRateLimitStore(new Database(dataSource)));
  });
  afterAll(async () => {
    for (const dataSource of dataSources) await dataSource.destroy();
    await database.drop();
  });

  it('counts hits on one key from two servers at once, each hit once', async () => {
    // when 40 hits arrive at once through both
    const counts = await hitsAtOnce(stores, 'token:t1', 40, at('2026-03-02T01:00:10.000Z'));

    // then they were counted one after the other
    expect(counts).toEqual(oneToN(40));
  });

  it('starts each minute afresh and says when the window ends', async () => {
    // given hits in one minute
    await stores[0].hit('token:t2', at('2026-03-02T01:00:05.000Z'), MINUTE);
    const second = await stores[1].hit('token:t2', at('2026-03-02T01:00:59.999Z'), MINUTE);

    // when the next minute begins
    const next = await stores[0].hit('token:t2', at('2026-03-02T01:01:00.000Z'), MINUTE);

    // then
    expect(second).toEqual({ count: 2, resetsAt: at('2026-03-02T01:01:00.000Z') });
    expect(next).toEqual({ count: 1, resetsAt: at('2026-03-02T01:02:00.000Z') });
  });

  it('deletes windows that ended over a minute ago, and keeps the last one', async () => {
    // given a fresh store (it sweeps at its first hit) and windows of several minutes
    const store = new SqlRateLimitStore(new Database(dataSources[0]));
    await stores[0].hit('address:sweep', at('2026-03-02T02:00:30.000Z'), MINUTE);
    await stores[0].hit('address:sweep', at('2026-03-02T02:01:30.000Z'), MINUTE);

    // when a hit comes at 02:02:30 (the 02:00 window ended 90 s ago, the 02:01 window 30 s ago)
    await store.hit('address:sweep', at('2026-03-02T02:02:30.000Z'), MINUTE);

    // then
    const rows: Array<{ window_start: string }> = await dataSources[0].query(
      "SELECT window_start FROM rate_limits WHERE subject = 'address:sweep' ORDER BY window_start",
    );
    expect(rows.map((row) => row.window_start)).toEqual(['2026-03-02T02:01:00.000Z', '2026-03-02T02:02:00.000Z']);
  });
});

describe(RedisRateLimitStore.name, () => {
  const clients: Redis[] = [];
  let stores: RedisRateLimitStore[];

  beforeAll(() => {
    for (let index = 0; index < 2; index += 1) clients.push(new Redis(REDIS_URL));
    stores = clients.map((client) => new RedisRateLimitStore(client));
  });
  afterAll(() => {
    for (const client of clients) client.disconnect();
  });

  it('counts hits on one key from two servers at once, each hit once', async () => {
    const counts = await hitsAtOnce(stores, `token:${randomUUID()}`, 40, at('2026-03-02T01:00:10.000Z'));

    expect(counts).toEqual(oneToN(40));
  });

  it('starts each minute afresh, and lets Redis drop a window one window after it ended', async () => {
    // given
    const key = `token:${randomUUID()}`;
    const first = await stores[0].hit(key, at('2026-03-02T01:00:20.000Z'), MINUTE);

    // when
    const next = await stores[1].hit(key, at('2026-03-02T01:01:00.000Z'), MINUTE);

    // then
    expect(first).toEqual({ count: 1, resetsAt: at('2026-03-02T01:01:00.000Z') });
    expect(next).toEqual({ count: 1, resetsAt: at('2026-03-02T01:02:00.000Z') });
    const ttl = await clients[0].pttl(`rectification:rate-limit:${key}:${Date.parse('2026-03-02T01:00:00.000Z')}`);
    expect(ttl).toBeGreaterThan(90_000);
    expect(ttl).toBeLessThanOrEqual(100_000);
  });
});

describe(FallbackRateLimitStore.name, () => {
  const options = { timeoutMs: 300, retryAfterMs: 200 };
  let port: number;
  let redisServer: ChildProcess;
  let redis: Redis;
  let observer: Redis;

  beforeAll(async () => {
    port = await freePort();
    redisServer = await startRedis(port);
    redis = connectRedis(`redis://127.0.0.1:${port}`, () => undefined);
    observer = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
    observer.on('error', () => undefined);
    await observer.connect();
  });
  afterEach(async () => {
    if (redisServer.exitCode !== null) redisServer = await startRedis(port);
  });
  afterAll(async () => {
    redis.disconnect();
    observer.disconnect();
    await stopRedis(redisServer);
  });

  /** Waits for the clients to be connected (again). */
  async function connected(): Promise<void> {
    for (const client of [redis, observer]) {
      for (let attempt = 0; attempt < 100 && client.status !== 'ready'; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(client.status).toBe('ready');
    }
  }

  it('counts in this process while Redis is down, at once, and in Redis again once it is back', async () => {
    // given a store counting in Redis
    await connected();
    const store = new FallbackRateLimitStore(new RedisRateLimitStore(redis), 'Redis', options);
    const key = `token:${randomUUID()}`;
    const now = at('2026-03-02T01:00:10.000Z');
    const redisKey = `rectification:rate-limit:${key}:${Date.parse('2026-03-02T01:00:00.000Z')}`;
    expect((await store.hit(key, now, MINUTE)).count).toBe(1);
    expect(await observer.get(redisKey)).toBe('1');

    // when Redis goes away
    await stopRedis(redisServer);
    const started = performance.now();
    const during = [await store.hit(key, now, MINUTE), await store.hit(key, now, MINUTE)];

    // then hits are still counted (here, from this process's first hit during the outage), without waiting
    expect(during.map((window) => window.count)).toEqual([1, 2]);
    expect(performance.now() - started).toBeLessThan(options.timeoutMs);

    // when it is back
    redisServer = await startRedis(port);
    await connected();
    await new Promise((resolve) => setTimeout(resolve, options.retryAfterMs));
    const after = await store.hit(key, now, MINUTE);

    // then counting goes on in Redis (its data went with the restart: this Redis keeps nothing on disk)
    expect(after.count).toBe(1);
    expect(await observer.get(redisKey)).toBe('1');
  });

  it('counts in this process when Redis does not answer in time', async () => {
    // given a store counting in Redis, and Redis pausing every client
    await connected();
    const store = new FallbackRateLimitStore(new RedisRateLimitStore(redis), 'Redis', options);
    await observer.client('PAUSE', 2000, 'ALL');

    // when
    const started = performance.now();
    const window = await store.hit(`token:${randomUUID()}`, at('2026-03-02T01:00:10.000Z'), MINUTE);

    // then the answer came from this process after the timeout
    expect(window.count).toBe(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(options.timeoutMs - 5);
    expect(performance.now() - started).toBeLessThan(1500);
  });
});
