export * from './deadline.policy.js';
export * from './evidence.policy.js';
export * from './rectification.events.js';
export * from './rectification.machine.js';
export * from './rectification.permissions.js';
export * from './rectification.rules.js';
export * from './rectification.workflow.js';
export * from './repeat.policy.js';
