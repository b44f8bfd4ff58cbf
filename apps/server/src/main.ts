import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LOG_LEVELS, loadConfigOrExit } from '../../../libs/config/src/index.js';
import { IdentityService } from '../../../libs/identity/src/index.js';
import { AppModule } from './app.module.js';
import { configureApp } from './configure-app.js';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();

  const app = await NestFactory.create(AppModule.forRoot(config), {
    bodyParser: false,
    logger: LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(config.logLevel) + 1),
  });
  configureApp(app, config);

  const admin = await app.get(IdentityService).bootstrapAdmin(config.bootstrapAdminToken);
  if (admin) {
    // Printed once: only the hash is stored.
    const shown = config.bootstrapAdminToken ? '(the value of BOOTSTRAP_ADMIN_TOKEN)' : admin.token;
    console.log(`\nFirst start: created the administrator. Admin API token: ${shown}\nKeep it now; it is not shown again.\n`);
  }

  await app.listen(config.port, '0.0.0.0');
  const where = config.database.kind === 'sqlite' ? `SQLite file ${config.database.path}` : 'PostgreSQL';
  Logger.log(`Listening on http://localhost:${config.port} (API docs at /docs) on ${where}`, 'Server');
}

void bootstrap();
