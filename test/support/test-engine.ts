import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { CliModule } from '../../apps/cli/src/cli.module.js';
import { Clock, FakeClock } from '../../libs/domain/src/index.js';
import { DEFAULT_EVIDENCE_OPTIONS, ProblemRepository, RectificationEngine } from '../../libs/engine/src/index.js';
import { type DemoOrganisation, IdentityService, seedDemoOrganisation } from '../../libs/identity/src/index.js';
import { Database } from '../../libs/persistence/src/index.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestEngine {
  context: INestApplicationContext;
  engine: RectificationEngine;
  problems: ProblemRepository;
  db: Database;
  clock: FakeClock;
  org: DemoOrganisation;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The engine with its real persistence (no HTTP) on a fresh SQLite file or PostgreSQL database. */
export async function createTestEngine(): Promise<TestEngine> {
  const database = await createTestDatabase();
  const evidenceDir = mkdtempSync(join(tmpdir(), 'rk-evidence-'));
  const clock = new FakeClock(new Date('2026-03-02T01:00:00.000Z'));
  const moduleRef = await Test.createTestingModule({ imports: [CliModule.forRoot({ database: database.options, evidence: { ...DEFAULT_EVIDENCE_OPTIONS, dir: evidenceDir } })] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const context = await moduleRef.init();
  const org = await seedDemoOrganisation(context.get(IdentityService));
  return {
    context,
    engine: context.get(RectificationEngine),
    problems: context.get(ProblemRepository),
    db: context.get(Database),
    clock,
    org,
    database,
    async close() {
      await context.close();
      await database.drop();
      rmSync(evidenceDir, { recursive: true, force: true });
    },
  };
}
