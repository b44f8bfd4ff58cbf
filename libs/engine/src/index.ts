export * from './access-policy.js';
export * from './problem.records.js';
export * from './problem.repository.js';
export * from './problem.view.js';
export * from './rectification.engine.js';
export * from './engine.module.js';
