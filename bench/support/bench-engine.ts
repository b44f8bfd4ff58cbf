import 'reflect-metadata';
import { ConsoleLogger, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { Clock, FakeClock, type ProblemFiling } from '#domain';
import { ProblemRepository, RectificationEngine } from '#engine';
import { DEFAULT_EVENT_DELIVERY_OPTIONS } from '#events';
import { type DemoOrganisation, IdentityModule, IdentityService, seedDemoOrganisation } from '#identity';
import { Database, type DatabaseOptions } from '#persistence';
import { DeadlineScheduler, DEFAULT_SCHEDULER_OPTIONS } from '#scheduler';

export interface BenchEngine {
  context: INestApplicationContext;
  engine: RectificationEngine;
  problems: ProblemRepository;
  scheduler: DeadlineScheduler;
  db: Database;
  clock: FakeClock;
  org: DemoOrganisation;
  adminToken: string;
  close(): Promise<void>;
}

export const BENCH_START = new Date('2026-03-02T01:00:00.000Z');

/**
 * The engine as the worker runs it (its real persistence, scheduler and outbox), with background rounds off and
 * a fake clock the scenario moves; the demo organisation seeded.
 */
export async function createBenchEngine(database: DatabaseOptions): Promise<BenchEngine> {
  const engine = await openBenchEngine(database);
  const identity = engine.context.get(IdentityService);
  const admin = await identity.bootstrapAdmin();
  const org = await seedDemoOrganisation(identity);
  return { ...engine, org, adminToken: admin!.token };
}

/** The same on a database set up before (no seeding). */
export async function openBenchEngine(database: DatabaseOptions): Promise<Omit<BenchEngine, 'org' | 'adminToken'>> {
  const clock = new FakeClock(BENCH_START);
  const moduleRef = await Test.createTestingModule({
    imports: [
      IdentityModule,
      WorkerModule.forRoot({
        database,
        events: { ...DEFAULT_EVENT_DELIVERY_OPTIONS, relayIntervalMs: 0 },
        scheduler: { ...DEFAULT_SCHEDULER_OPTIONS, intervalMs: 0 },
        businessCalendar: 'CN',
      }),
    ],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .setLogger(new ConsoleLogger({ logLevels: ['error'] }))
    .compile();
  const context = await moduleRef.init();
  return {
    context,
    engine: context.get(RectificationEngine),
    problems: context.get(ProblemRepository),
    scheduler: context.get(DeadlineScheduler),
    db: context.get(Database),
    clock,
    close: () => context.close(),
  };
}

/** A minor problem (its submission needs no evidence), as the lifecycle scenarios file it. */
export function benchFiling(index: number): ProblemFiling {
  return {
    title: `Blocked fire exit ${index}`,
    description: 'Pallets stored in front of the east fire exit of warehouse 3; the exit cannot be opened fully.',
    category: 'fire-safety',
    severity: 'minor',
    location: `Warehouse 3, east exit ${index}`,
    inspectionRef: 'BENCH-2026-03',
    requirement: 'Keep fire exits clear at all times (GB 50016 §5.5).',
  };
}
