import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type AppConfig, ConfigError, loadConfig } from './app-config.js';

/**
 * What every entry point (server, worker, CLI) does first: read and validate the environment, stopping the
 * process with a message naming the variable when a value is bad, and make room for the SQLite file.
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  let config: AppConfig;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  if (config.database.kind === 'sqlite') mkdirSync(dirname(config.database.path), { recursive: true });
  return config;
}
