import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, type TestApp } from '../support/test-app.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('The console, served at / beside the API', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rk-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'app-1234.js'), 'console.log("app")');
    t = await createTestApp({ consoleDir: dir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a page a browser navigates to with the console, uncached, under the CSP', async () => {
    const page = await t.http().get('/problems/0190aaaa-0000-7000-8000-000000000000').set('Accept', BROWSER_ACCEPT);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<div id="root"></div>');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('serves its hashed files for a year, and 404s a missing one', async () => {
    const asset = await t.http().get('/assets/app-1234.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await t.http().get('/assets/missing.js')).status).toBe(404);
  });

  it('leaves the API to API clients, and downloads, the docs and the stream to the API as well', async () => {
    // An API client asking for JSON (or anything) reaches the API: 401 without a token, as before.
    expect((await t.http().get('/problems').set('Accept', 'application/json')).status).toBe(401);
    expect((await t.http().get('/problems')).status).toBe(401);
    // A browser following a download link (the ledger as CSV) gets the file, not the console.
    const download = await t.http().get('/ledger?format=csv').set('Accept', BROWSER_ACCEPT).auth(t.tokens.supervisor, { type: 'bearer' });
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toContain('text/csv');
    expect((await t.http().get('/docs-json').set('Accept', BROWSER_ACCEPT)).headers['content-type']).toContain('application/json');
  });

  it('does not answer other methods with the console', async () => {
    expect((await t.http().post('/problems').set('Accept', BROWSER_ACCEPT).send({})).status).toBe(401);
  });
});
