import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '../../../libs/config/src/index.js';
import { CliModule } from './cli.module.js';
import { runDemo } from './demo.command.js';
import { runVerifyEvidence } from './verify-evidence.command.js';
import { runVerifyHistory } from './verify-history.command.js';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  migrate   apply pending database migrations (the server also does this at start-up)
  demo      seed a demo organisation and problems in several states, and print their tokens
  verify-evidence  re-hash every stored evidence file; lists mismatches and missing files (exit 1 if any)
  verify-history   recompute every problem's history hash chain and the daily anchors; names the first broken
                   row of each broken chain (exit 1 if any)
`;

const COMMANDS = ['migrate', 'demo', 'verify-evidence', 'verify-history'];

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (command === undefined || !COMMANDS.includes(command)) {
    console.error(USAGE);
    return command === undefined || command === '--help' ? 0 : 2;
  }
  const config = loadConfigOrExit();
  // Opening the module applies migrations; `migrate` needs nothing more.
  const context = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    if (command === 'demo') await runDemo(context, config.bootstrapAdminToken);
    else if (command === 'verify-evidence') return await runVerifyEvidence(context);
    else if (command === 'verify-history') return await runVerifyHistory(context);
    else console.log('Migrations applied.');
  } finally {
    await context.close();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
