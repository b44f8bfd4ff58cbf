export * from './actor.js';
export * from './clock.js';
export * from './domain.errors.js';
export * from './ids.js';
export * from './text-input.js';
export * from './problem.types.js';
export * from './inspection.types.js';
export * from './history-chain.js';
