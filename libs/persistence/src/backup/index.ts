export * from './backup.errors.js';
export * from './backup.manifest.js';
export * from './backup.js';
export * from './database-dump.port.js';
export * from './postgres.database-dump.js';
export * from './restore.js';
export * from './sqlite.database-dump.js';
