/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console: built into dist/console, which the server serves at `/`. JSX goes through Vite's own Oxc transform
 * (React's automatic runtime); @vitejs/plugin-react is not used: its optional Babel peers clash with jest's Babel 7
 * in one lockfile, and the console needs no Babel plugin.
 */
export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // Route-level splitting keeps the first load small; the budget is checked by scripts/console-budget.mjs.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // antd marks its modules "use client" (for React Server Components): meaningless in a client bundle.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
  server: {
    // `npm run console:dev`: the API runs on 3000 (npm start); the dev server proxies it.
    proxy: Object.fromEntries(
      ['/auth', '/problems', '/inspections', '/me', '/departments', '/admin', '/events', '/ledger', '/evidence', '/health', '/docs-json'].map((path) => [
        path,
        { target: 'http://127.0.0.1:3000', changeOrigin: false },
      ]),
    ),
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
    // antd's first render in jsdom takes seconds (its styles are computed on first use).
    testTimeout: 30_000,
  },
});
