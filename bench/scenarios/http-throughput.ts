/**
 * Scenario 2: the same lifecycle as scenario 1 over HTTP against the started server (a child process, as `npm start`
 * runs it), 32 concurrent connections, each looping file → assign → start → submit → approve → close.
 */
import autocannon, { type Request } from 'autocannon';
import type { DatabaseOptions } from '#persistence';
import { benchFiling } from '../support/bench-engine.js';
import { seedOrganisation, startServer } from '../support/bench-server.js';

export interface HttpResult {
  database: string;
  connections: number;
  seconds: number;
  events: number;
  eventsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  errors: number;
}

interface Lifecycle {
  problemId?: string;
}

export async function httpThroughput(label: string, database: DatabaseOptions, seconds: number, connections = 32): Promise<HttpResult> {
  const org = await seedOrganisation(database);
  // The scheduler and relay run in the server as by default; nothing falls due during the run.
  const server = await startServer(database);
  try {
    const json = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });
    const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString();
    let filed = 0;
    const event = (token: string, body: object): Request => ({
      method: 'POST',
      setupRequest: (request: Request, context: object) => ({
        ...request,
        path: `/problems/${(context as Lifecycle).problemId}/events`,
        headers: json(token),
        body: JSON.stringify(body),
      }),
    });
    const { inspector, facilities, supervisor } = org.users;
    const result = await autocannon({
      url: server.baseUrl,
      connections,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          path: '/problems',
          setupRequest: (request: Request) => ({ ...request, headers: json(inspector.token), body: JSON.stringify(benchFiling((filed += 1))) }),
          onResponse: (status: number, body: string, context: object) => {
            (context as Lifecycle).problemId = status === 201 ? (JSON.parse(body) as { id: string }).id : undefined;
          },
        },
        event(inspector.token, { type: 'ASSIGN', departmentId: org.departments.facilities, deadline }),
        event(facilities.token, { type: 'START', measures: 'Move the pallets to rack B', responsiblePerson: 'Wang Fang', plannedCompletionDate: deadline.slice(0, 10) }),
        event(facilities.token, { type: 'SUBMIT', summary: 'Exit cleared, keep-clear zone painted' }),
        event(inspector.token, { type: 'APPROVE', comment: 'Verified on site' }),
        event(supervisor.token, { type: 'CLOSE', comment: '销号' }),
      ],
    });
    const events = result.requests.total;
    return {
      database: label,
      connections,
      seconds: result.duration,
      events,
      eventsPerSecond: Math.round(events / result.duration),
      latencyP50Ms: result.latency.p50,
      latencyP99Ms: result.latency.p99,
      errors: result.errors + result.non2xx + result.timeouts,
    };
  } finally {
    await server.stop();
  }
}
