export * from './api-token.js';
export * from './identity.repository.js';
export * from './identity.service.js';
export * from './identity.module.js';
export * from './demo-organisation.js';
