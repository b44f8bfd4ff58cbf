export * from './app-config.js';
export * from './load-config-or-exit.js';
