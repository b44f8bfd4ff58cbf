export * from './api-token.js';
export * from './demo-organisation.js';
export * from './identity.module.js';
export * from './identity.records.js';
export * from './identity.repository.js';
export * from './identity.service.js';
export * from './organisation.service.js';
export * from './users.service.js';
