export * from './data-source.js';
export * from './database.js';
export * from './entities/index.js';
export * from './persistence.module.js';
export * from './file-evidence.store.js';
export * from './snapshot-migration.js';
export * from './backup/index.js';
