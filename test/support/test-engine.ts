import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { CliModule } from '../../apps/cli/src/cli.module.js';
import { Clock, FakeClock } from '#domain';
import { DEFAULT_EVIDENCE_OPTIONS, ProblemRepository, RectificationEngine } from '#engine';
import { type DemoOrganisation, IdentityService, seedDemoOrganisation } from '#identity';
import { Database } from '#persistence';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestEngine {
  context: INestApplicationContext;
  engine: RectificationEngine;
  problems: ProblemRepository;
  db: Database;
  clock: FakeClock;
  org: DemoOrganisation;
  database: TestDatabase;
  /** The evidence store's directory (kept when the engine is reopened). */
  evidenceDir: string;
  /** Closes the Nest context only, keeping the database and the evidence files (to reopen them, see `reopen`). */
  stop(): Promise<void>;
  close(): Promise<void>;
}

export interface TestEngineOptions {
  /**
   * Reopen the database, evidence directory, clock and organisation of an earlier engine (already stopped)
   * instead of starting on a fresh database: as a server restarting on its data. Nothing is seeded.
   */
  reopen?: Pick<TestEngine, 'database' | 'evidenceDir' | 'clock' | 'org'>;
}

/** The engine with its real persistence (no HTTP) on a fresh SQLite file or PostgreSQL database. */
export async function createTestEngine(options: TestEngineOptions = {}): Promise<TestEngine> {
  const { reopen } = options;
  const database = reopen?.database ?? (await createTestDatabase());
  const evidenceDir = reopen?.evidenceDir ?? mkdtempSync(join(tmpdir(), 'rk-evidence-'));
  const clock = reopen?.clock ?? new FakeClock(new Date('2026-03-02T01:00:00.000Z'));
  const moduleRef = await Test.createTestingModule({ imports: [CliModule.forRoot({ database: database.options, evidence: { ...DEFAULT_EVIDENCE_OPTIONS, dir: evidenceDir } })] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const context = await moduleRef.init();
  const org = reopen?.org ?? (await seedDemoOrganisation(context.get(IdentityService)));
  return {
    context,
    engine: context.get(RectificationEngine),
    problems: context.get(ProblemRepository),
    db: context.get(Database),
    clock,
    org,
    database,
    evidenceDir,
    async stop() {
      await context.close();
    },
    async close() {
      await context.close();
      await database.drop();
      rmSync(evidenceDir, { recursive: true, force: true });
    },
  };
}
