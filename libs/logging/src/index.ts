export * from './json-logger.js';
export * from './log-context.js';
export * from './log-format.js';
export * from './secret-scrubber.js';
