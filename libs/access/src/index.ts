export * from './access-policy.js';
export * from './organisation-directory.js';
export * from './organisation.signals.js';
