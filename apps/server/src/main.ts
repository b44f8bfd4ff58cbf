import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type AppConfig, loadConfigOrExit } from '#config';
import { JsonLogger } from '#logging';
import { IdentityService } from '#identity';
import { AppModule } from './app.module.js';
import { configureApp } from './configure-app.js';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = serverLogger(config);
  try {
    await start(config, logger);
  } catch (error) {
    // A database that refuses or is too new, one that stayed unreachable, or an evidence store other than the one the
    // database's other servers use (EVIDENCE_STORE, EVIDENCE_DIR): an orchestrator restarting the server
    // needs the reason in the log and a non-zero exit. Once started, database errors answer 503 and are ridden out.
    logger.fatal(`Cannot start: ${error instanceof Error ? error.message : String(error)}`, 'Server');
    logger.flush();
    // Ends once the line is written; anything a half-made start left open is given 2 s.
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 2_000).unref();
  }
}

function serverLogger(config: AppConfig): JsonLogger {
  // JSON lines (LOG_FORMAT=pretty for a terminal); the configured secrets are masked should they ever reach a line.
  return new JsonLogger({
    level: config.logLevel,
    format: config.logFormat,
    app: 'server',
    knownSecrets: [config.bootstrapAdminToken, config.bootstrapAdminPassword, config.metrics.token],
  });
}

async function start(config: AppConfig, logger: JsonLogger): Promise<void> {
  // abortOnError: false, so a failed start reaches bootstrap's catch instead of Nest's process.abort().
  const app = await NestFactory.create(AppModule.forRoot(config), { bodyParser: false, logger, abortOnError: false });
  configureApp(app, config);

  const admin = await app.get(IdentityService).bootstrapAdmin(config.bootstrapAdminToken, config.bootstrapAdminPassword);
  if (admin) {
    // Printed once: only the hash is stored. Straight to stdout on purpose, never through the logger, whose
    // lines are collected and kept.
    const shown = config.bootstrapAdminToken ? '(the value of BOOTSTRAP_ADMIN_TOKEN)' : admin.token;
    const password = config.bootstrapAdminPassword ? '(the value of BOOTSTRAP_ADMIN_PASSWORD)' : admin.password;
    console.log(
      `\nFirst start: created the administrator. Admin API token: ${shown}\n` +
        `Sign in as username ${admin.username} with the one-time password: ${password} (change it at first sign-in)\n` +
        'Keep them now; they are not shown again.\n',
    );
  }

  await app.listen(config.port, '0.0.0.0');
  const where = config.database.kind === 'sqlite' ? `SQLite file ${config.database.path}` : 'PostgreSQL';
  Logger.log(`Listening on http://localhost:${config.port} (API docs at /docs) on ${where}`, 'Server');
}

void bootstrap();
