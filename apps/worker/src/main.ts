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
  const logger = new JsonLogger({ level: config.logLevel, format: config.logFormat, app: 'worker', knownSecrets: [config.bootstrapAdminToken] });
  try {
    // abortOnError: false, so a failed start reaches the catch below instead of Nest's process.abort().
    const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger, abortOnError: false });
    context.enableShutdownHooks();
    Logger.log(`Worker ${context.get(DeadlineScheduler).owner} sweeping every ${config.scheduler.intervalMs} ms`, 'Worker');
  } catch (error) {
    // A database that refuses or is too new, or one that stayed unreachable: an orchestrator restarting the worker
    // needs the reason in the log and a non-zero exit. Once started, database errors are the loops' to ride out.
    logger.fatal(`Cannot start: ${error instanceof Error ? error.message : String(error)}`, 'Worker');
    logger.flush();
    // Ends once the line is written; anything a half-made start left open is given 2 s.
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 2_000).unref();
  }
}

void bootstrap();
