import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, LOG_LEVELS, loadConfig } from '../../../libs/config/src/index.js';
import { DeadlineScheduler } from '../../../libs/scheduler/src/index.js';
import { WorkerModule } from './worker.module.js';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  if (config.database.kind === 'sqlite') mkdirSync(dirname(config.database.path), { recursive: true });
  if (config.scheduler.intervalMs === 0) {
    console.error('Invalid configuration: SCHEDULER_INTERVAL_MS is 0, so this worker would do nothing; unset it or give an interval.');
    process.exit(1);
  }
  const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(config.logLevel) + 1),
  });
  context.enableShutdownHooks();
  Logger.log(`Worker ${context.get(DeadlineScheduler).owner} sweeping every ${config.scheduler.intervalMs} ms`, 'Worker');
}

void bootstrap();
