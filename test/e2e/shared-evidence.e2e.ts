import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { ProblemSteps, uploadEvidence } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { binary } from '../support/binary-body.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(`IHDR photo of the cleared exit ${randomUUID()}`)]);
const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/** Collects a download's bytes whatever its type (supertest would parse text and JSON). */
function bytes(response: Response & { body: unknown }): Buffer {
  return response.body as Buffer;
}

/*
 * Several servers on one database with EVIDENCE_STORE=database, each with its own EVIDENCE_DIR (another host):
 * what one stores, the others serve. With the file store, a server whose directory is not the shared one refuses
 * to start. On the database TEST_DATABASE names (two servers can share a SQLite file too).
 */
describe('Shared evidence', () => {
  const folders: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'rk-evidence-host-'));
    folders.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  describe('in the database (EVIDENCE_STORE=database)', () => {
    let a: TestApp;
    let b: TestApp;
    beforeAll(async () => {
      a = await createTestApp({ evidence: { store: 'database' } });
      b = await createTestApp({ beside: a, evidence: { store: 'database', dir: folder() } });
    });
    afterAll(async () => {
      await b?.stop();
      await a?.close();
    });

    it('serves through one server what was uploaded through another, byte for byte, and writes no file on either host', async () => {
      // given a problem being rectified, and its "after" photo uploaded through server A
      const { id } = await new ProblemSteps(a).inStage('rectifying.inProgress');
      const uploaded = await uploadEvidence(a, a.tokens.facilities, id, 'rectification', PNG, 'after.png', 'image/png');
      expect(uploaded.status).toBe(201);

      // when server B lists and downloads it
      const listed = await b.http().get(`/problems/${id}/evidence`).auth(b.tokens.inspector, { type: 'bearer' });
      const download = await b.http().get(`/problems/${id}/evidence/${uploaded.body.id}/content`).auth(b.tokens.inspector, { type: 'bearer' }).buffer(true).parse(binary);

      // then
      expect(listed.body.items).toEqual([uploaded.body]);
      expect(download.status).toBe(200);
      expect(download.headers['content-type']).toBe('image/png');
      expect(download.headers.etag).toBe(`"${sha256(PNG)}"`);
      expect(bytes(download).equals(PNG)).toBe(true);
      // and neither server's EVIDENCE_DIR holds anything: no file, no marker
      for (const server of [a, b]) expect(existsSync(server.evidence.dir) ? readdirSync(server.evidence.dir) : []).toEqual([]);
    });

    it('the other way round too, and the integrity check on either server re-hashes what the other stored', async () => {
      // given a finding photo uploaded through B
      const { id } = await new ProblemSteps(b).inStage('found');
      const content = Buffer.from(`Pallets in front of the exit ${randomUUID()}\n`);
      const uploaded = await uploadEvidence(b, b.tokens.inspector, id, 'finding', content);
      expect(uploaded.status).toBe(201);

      // when A serves it, and A's integrity check runs
      const download = await a.http().get(`/problems/${id}/evidence/${uploaded.body.id}/content`).auth(a.tokens.supervisor, { type: 'bearer' }).buffer(true).parse(binary);
      const verified = await a.http().get('/admin/evidence/verify').auth(a.tokens.admin, { type: 'bearer' });

      // then
      expect(bytes(download).equals(content)).toBe(true);
      expect(verified.body).toMatchObject({ ok: true, checkedRows: 2, checkedFiles: 2, mismatches: [], missing: [] });
    });

    it('a server configured with the file store does not start beside them, saying which settings to change', async () => {
      // given evidence stored in the database (a store without any could still change kind)
      const { id } = await new ProblemSteps(a).inStage('found');
      expect((await uploadEvidence(a, a.tokens.inspector, id, 'finding', `note ${randomUUID()}`)).status).toBe(201);

      // when / then
      await expect(createTestApp({ beside: a, evidence: { store: 'file', dir: folder() } })).rejects.toThrow(
        /^EVIDENCE_STORE is file, but the other servers of this database keep evidence in the database \(EVIDENCE_STORE=database, .*Set EVIDENCE_STORE=database on this server/,
      );
    });
  });

  describe('in a shared directory (EVIDENCE_STORE=file)', () => {
    let a: TestApp;
    beforeAll(async () => {
      a = await createTestApp();
    });
    afterAll(async () => {
      await a?.close();
    });

    it('a server on another directory does not start; one on the shared directory starts and serves its files', async () => {
      // given evidence uploaded through the first server
      const { id } = await new ProblemSteps(a).inStage('found');
      const content = Buffer.from(`before ${randomUUID()}\n`);
      const uploaded = await uploadEvidence(a, a.tokens.inspector, id, 'finding', content);
      expect(uploaded.status).toBe(201);

      // when a second server starts with another EVIDENCE_DIR (a host without the shared mount)
      const elsewhere = folder();
      const refused = createTestApp({ beside: a, evidence: { dir: elsewhere } });

      // then it refuses to start, instead of answering for files it does not have
      await expect(refused).rejects.toThrow(
        `EVIDENCE_DIR ${elsewhere} is not the evidence directory the other servers of this database use: it has no .store-id marker`,
      );
      await expect(refused).rejects.toThrow(/Mount the shared directory \(the one whose \.store-id holds [0-9a-f]{32}\) at /);

      // and one on the shared directory starts and serves the file
      const b = await createTestApp({ beside: a });
      try {
        const download = await b.http().get(`/problems/${id}/evidence/${uploaded.body.id}/content`).auth(b.tokens.inspector, { type: 'bearer' }).buffer(true).parse(binary);
        expect(bytes(download).equals(content)).toBe(true);
      } finally {
        await b.stop();
      }
    });
  });
});
