import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '#config';
import { BackupError } from '#persistence';
import { JsonLogger } from '#logging';
import { runBackup } from './backup.command.js';
import { CliModule } from './cli.module.js';
import { runDemo } from './demo.command.js';
import { runMigrateSnapshots } from './migrate-snapshots.command.js';
import { runOpenApi } from './openapi.command.js';
import { runRestore } from './restore.command.js';
import { runVerifyEvidence } from './verify-evidence.command.js';
import { runVerifyHistory } from './verify-history.command.js';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  migrate   apply pending database migrations (the server also does this at start-up)
  migrate-snapshots [--batch N]  upgrade every stored snapshot of an older workflow version to the current one, N
                   problems per transaction (default 500); resumable, and an engine commit meanwhile wins (exit 1 if
                   some are of a version this code cannot upgrade)
  demo      seed a demo organisation and problems in several states, and print their tokens
  verify-evidence  re-hash every stored evidence file; lists mismatches and missing files (exit 1 if any)
  verify-history   recompute every problem's history hash chain and the daily anchors; names the first broken
                   row of each broken chain (exit 1 if any)
  backup <dir>     online backup of the database (SQLite VACUUM INTO / pg_dump) and the evidence it references,
                   with a manifest, into a new or empty folder (exit 1 if referenced evidence could not be copied)
  restore <dir>    restore a backup into the configured EMPTY database and evidence folder, then verify it against
                   its manifest, history chains and evidence hashes (exit 1 on any mismatch, 2 if refused)
  openapi <file>   write the API's OpenAPI document (as GET /docs-json serves it) to a JSON file, without opening
                   the database or reading the configuration
`;

const COMMANDS = ['migrate', 'migrate-snapshots', 'demo', 'verify-evidence', 'verify-history', 'backup', 'restore', 'openapi'];

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (command === undefined || !COMMANDS.includes(command)) {
    console.error(USAGE);
    return command === undefined || command === '--help' ? 0 : 2;
  }
  // The document depends on no setting: it is written on a machine without any (the console's build).
  if (command === 'openapi') return runOpenApi(argv[1]);
  const config = loadConfigOrExit();
  if (command === 'backup' || command === 'restore') return runBackupCommand(command, argv[1], config);
  // Opening the module applies migrations; `migrate` needs nothing more.
  // The commands' own output (tokens, reports) goes to stdout with console.log; the framework's lines go to
  // stderr as JSON, warnings and errors only unless LOG_LEVEL asks for more.
  const logger = new JsonLogger({
    level: process.env.LOG_LEVEL ? config.logLevel : 'warn',
    format: config.logFormat,
    app: 'cli',
    destination: 2,
    sync: true,
    knownSecrets: [config.bootstrapAdminToken],
  });
  const context = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger });
  try {
    if (command === 'demo') await runDemo(context, config.bootstrapAdminToken);
    else if (command === 'verify-evidence') return await runVerifyEvidence(context);
    else if (command === 'verify-history') return await runVerifyHistory(context);
    else if (command === 'migrate-snapshots') return await runMigrateSnapshots(context, argv.slice(1));
    else console.log('Migrations applied.');
  } finally {
    await context.close();
  }
  return 0;
}

/** Backup and restore open the databases themselves: the module's start-up migrations would change a restore target. */
async function runBackupCommand(command: 'backup' | 'restore', dir: string | undefined, config: ReturnType<typeof loadConfigOrExit>): Promise<number> {
  if (!dir) {
    console.error(`Usage: npm run cli -- ${command} <dir>`);
    return 2;
  }
  try {
    return command === 'backup' ? await runBackup(config, dir) : await runRestore(config, dir);
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    console.error(`${error.code}: ${error.message}`);
    return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
