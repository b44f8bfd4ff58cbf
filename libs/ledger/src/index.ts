export * from './ledger.definitions.js';
export * from './ledger.columns.js';
export * from './csv-cell.js';
export * from './ranking.js';
export * from './dashboard.js';
