import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { acceptedEvents, startRectification } from './rectification.workflow.js';
import { XSTATE_VERSION_PINNED } from './xstate-adapter.js';

describe('the XState adapter', () => {
  it('is pinned to the installed XState version (its private fields are re-checked on an upgrade)', () => {
    const manifest = createRequire(import.meta.url).resolve('xstate/package.json');
    expect(JSON.parse(readFileSync(manifest, 'utf8')).version).toBe(XSTATE_VERSION_PINNED);
  });

  it('reads the events the active states handle (a found problem may be assigned or cancelled)', () => {
    const snapshot = startRectification({ problemId: 'p', severity: 'minor', filedBy: 'u', filedAt: '2026-01-05T01:00:00.000Z' });
    expect(acceptedEvents(snapshot).sort()).toEqual(['ASSIGN', 'CANCEL']);
  });
});
