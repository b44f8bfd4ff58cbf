import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '#config';
import { JsonLogger } from '#logging';
import { DeadlineScheduler } from '#scheduler';
import { WorkerModule } from './worker.module.js';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  if (config.scheduler.intervalMs === 0) {
    console.error('Invalid configuration: SCHEDULER_INTERVAL_MS is 0, so this worker would do nothing; unset it or give an interval.');
    process.exit(1);
  }
  const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: new JsonLogger({ level: config.logLevel, format: config.logFormat, app: 'worker', knownSecrets: [config.bootstrapAdminToken] }),
  });
  context.enableShutdownHooks();
  Logger.log(`Worker ${context.get(DeadlineScheduler).owner} sweeping every ${config.scheduler.intervalMs} ms`, 'Worker');
}

void bootstrap();
