export * from './deadline-scheduler.js';
export * from './history-sealer.js';
export * from './scheduler.metrics.js';
export * from './scheduler.module.js';
export * from './scheduler.options.js';
