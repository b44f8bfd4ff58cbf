import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomInt } from 'node:crypto';
import { createServer } from 'node:net';
import type { Response } from 'supertest';
import type { TrustProxy } from '#config';
import type { RateLimitStoreOptions } from '#persistence';
import { expectApiError } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { testDatabaseKind } from '../support/test-database.js';

interface LogLine {
  level: string;
  msg: string;
  context?: string;
  clientAddress?: string;
  [field: string]: unknown;
}

const me = (t: TestApp, token: string) => t.http().get('/me').auth(token, { type: 'bearer' });
/** A made-up token from `client` as a proxy in front of the server would forward it. */
const guessFrom = (t: TestApp, client: string | undefined, attempt: number) => {
  const request = me(t, `rk_guess-${attempt}`);
  return client === undefined ? request : request.set('X-Forwarded-For', client);
};

/** Two servers on one database with the given store, the second started beside the first. */
async function twoServers(rateLimitStore: RateLimitStoreOptions | undefined, perMinute: number): Promise<[TestApp, TestApp]> {
  const first = await createTestApp({ rateLimitPerMinute: perMinute, rateLimitStore });
  // A minute of its own, so the counts of other runs against the same Redis are not in the windows counted here.
  first.clock.set(new Date(Date.UTC(2030, 0, 1) + randomInt(1_000_000) * 60_000));
  const second = await createTestApp({ beside: first, rateLimitPerMinute: perMinute, rateLimitStore });
  return [first, second];
}

/**
 * [scale-out] Limits counted where every server counts (issue 15, item 3): a token's budget is spent across the
 * servers, not granted by each; the client address comes from a proxy only if it is trusted; a shared store that
 * fails leaves each server counting on its own.
 */
describe('Shared rate limits', () => {
  describe.each([
    // On SQLite one process counts in memory by default; the table works the same way, and shows it here.
    ['the database', testDatabaseKind() === 'sqlite' ? ({ kind: 'database' } as const) : undefined],
    ['Redis', { kind: 'redis', url: 'redis://127.0.0.1:6379' } as const],
  ])('counted in %s', (_store, rateLimitStore) => {
    let first: TestApp;
    let second: TestApp;
    beforeAll(async () => {
      [first, second] = await twoServers(rateLimitStore, 4);
    });
    afterAll(async () => {
      await second.close();
      await first.close();
    });

    it("spends a token's budget across both servers, and leaves other tokens theirs", async () => {
      // given four requests of one token, alternating between the servers
      const remaining: string[] = [];
      for (const server of [first, second, first, second]) {
        const response = await me(server, first.tokens.inspector);
        expect(response.status).toBe(200);
        remaining.push(response.headers['ratelimit-remaining']);
      }

      // when the token tries once more on each server
      const fifth = [await me(first, first.tokens.inspector), await me(second, first.tokens.inspector)];

      // then both refuse, and another token still has its whole minute
      expect(remaining).toEqual(['3', '2', '1', '0']);
      for (const response of fifth) expectApiError(response, 429, 'AUTH.RATE_LIMITED');
      const other = await me(second, first.tokens.supervisor);
      expect(other.status).toBe(200);
      expect(other.headers['ratelimit-remaining']).toBe('3');
    });

    it("spends a client address's budget across both servers", async () => {
      // given the 10 × 4 = 40 requests an address has a minute, 7 of them spent above
      // when it sends guessed tokens, alternating between the servers
      const responses: Response[] = [];
      for (let attempt = 0; attempt < 41 && responses.at(-1)?.status !== 429; attempt += 1) {
        responses.push(await guessFrom(attempt % 2 === 0 ? first : second, undefined, attempt));
      }

      // then the 34th is the 41st request of the address on the two servers together, and is refused on either
      expectApiError(responses.at(-1)!, 429, 'AUTH.RATE_LIMITED');
      expect(responses.length).toBe(34);
      expectApiError(await guessFrom(first, undefined, 100), 429, 'AUTH.RATE_LIMITED');
      expectApiError(await guessFrom(second, undefined, 101), 429, 'AUTH.RATE_LIMITED');
    });
  });

  describe('the client address behind a proxy (TRUST_PROXY)', () => {
    const captured: string[] = [];
    let t: TestApp;
    const lines = (): LogLine[] =>
      captured
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as LogLine);

    afterEach(async () => {
      await t.close();
      captured.length = 0;
    });

    /** One per-token request a minute: ten per address. */
    const serve = async (trustProxy: TrustProxy | undefined) => {
      t = await createTestApp({ rateLimitPerMinute: 1, trustProxy, log: { sink: { write: (chunk: string) => captured.push(chunk) }, level: 'log' } });
    };

    it.each([
      ['trusting no proxy (the default)', undefined],
      ['trusting proxies elsewhere', ['10.0.0.0/8']],
    ])('ignores X-Forwarded-For %s: every client counts as the socket address', async (_case, trustProxy) => {
      // given
      await serve(trustProxy);

      // when ten clients each send a request through the same peer, and an eleventh follows
      for (let client = 1; client <= 10; client += 1) expectApiError(await guessFrom(t, `203.0.113.${client}`, client), 401, 'AUTH.INVALID_TOKEN');
      const eleventh = await guessFrom(t, '203.0.113.11', 11);

      // then the peer's budget is spent, and the log names the peer, not what the header claimed
      expectApiError(eleventh, 429, 'AUTH.RATE_LIMITED');
      const access = lines().filter((line) => line.context === 'HTTP');
      expect(access.length).toBe(11);
      for (const line of access) expect(line.clientAddress).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    });

    it.each([
      ['addresses', ['127.0.0.1/32', '::1/128']],
      ['names', ['loopback']],
      ['a hop count', 1],
    ])('counts each client a trusted proxy names (trusted by %s), and logs its address', async (_case, trustProxy) => {
      // given a server behind a proxy on loopback
      await serve(trustProxy as TrustProxy);

      // when eleven clients send a request each, then one of them nine more
      for (let client = 1; client <= 11; client += 1) expectApiError(await guessFrom(t, `203.0.113.${client}`, client), 401, 'AUTH.INVALID_TOKEN');
      for (let attempt = 0; attempt < 9; attempt += 1) expectApiError(await guessFrom(t, '203.0.113.7', 20 + attempt), 401, 'AUTH.INVALID_TOKEN');
      const overBudget = await guessFrom(t, '203.0.113.7', 30);
      // a client that the nearest proxy saw behind another proxy: the address that proxy saw, not the one claimed
      const chained = await guessFrom(t, '198.51.100.1, 203.0.113.8', 31);

      // then only the client that spent its ten is refused
      expectApiError(overBudget, 429, 'AUTH.RATE_LIMITED');
      expectApiError(await guessFrom(t, '203.0.113.9', 32), 401, 'AUTH.INVALID_TOKEN');
      const access = lines().filter((line) => line.context === 'HTTP');
      expect(access.at(-3)).toMatchObject({ status: 429, clientAddress: '203.0.113.7' });
      expect(chained.status).toBe(401);
      expect(access.at(-2)).toMatchObject({ clientAddress: '203.0.113.8' });
    });
  });

  describe('a shared store that fails', () => {
    const captured: string[] = [];
    let t: TestApp;

    beforeAll(async () => {
      // A Redis address nothing listens on.
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      await new Promise<void>((resolve) => server.close(() => resolve()));
      t = await createTestApp({
        rateLimitPerMinute: 3,
        rateLimitStore: { kind: 'redis', url: `redis://127.0.0.1:${port}` },
        log: { sink: { write: (chunk: string) => captured.push(chunk) }, level: 'log' },
      });
    });
    afterAll(async () => {
      await t.close();
    });

    it('answers as usual, counting in this server alone, and warns once', async () => {
      // when a token sends four requests
      const responses = [];
      for (let attempt = 0; attempt < 4; attempt += 1) responses.push(await me(t, t.tokens.inspector));

      // then three are served and the fourth is limited, as a single server would
      expect(responses.slice(0, 3).map((response) => response.status)).toEqual([200, 200, 200]);
      expect(responses.map((response) => response.headers['ratelimit-remaining'])).toEqual(['2', '1', '0', '0']);
      expectApiError(responses[3], 429, 'AUTH.RATE_LIMITED');
      const warnings = captured
        .join('')
        .split('\n')
        .filter((line) => line.includes('Rate limits cannot be counted in Redis'))
        .map((line) => JSON.parse(line) as LogLine);
      expect(warnings).toEqual([expect.objectContaining({ level: 'warn', context: 'RateLimits' })]);
    });
  });
});
