import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EvidenceContentStore, EvidenceRepository } from '#engine';
import { expectApiError, ProblemSteps, uploadEvidence } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const MAX_BYTES = 64 * 1024;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR fake png body')]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n');

const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

describe('Evidence', () => {
  let t: TestApp;
  let steps: ProblemSteps;
  beforeAll(async () => {
    t = await createTestApp({ evidence: { maxBytes: MAX_BYTES } });
    steps = new ProblemSteps(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const storedPath = (hash: string) => join(t.evidence.dir, 'sha256', hash.slice(0, 2), hash.slice(2));

  /** Every file under the store (temporary ones included): what a refused upload must not add to. */
  function storedFiles(): string[] {
    const root = join(t.evidence.dir, 'sha256');
    if (!existsSync(root)) return [];
    return readdirSync(root).flatMap((prefix) => readdirSync(join(root, prefix)).map((name) => `${prefix}/${name}`));
  }

  async function evidenceOf(id: string, role: 'admin' | 'inspector' | 'supervisor' | 'facilities' | 'production' = 'admin') {
    return t.http().get(`/problems/${id}/evidence`).auth(t.tokens[role], { type: 'bearer' });
  }

  describe('upload and download', () => {
    it('stores the file under its SHA-256, records size, type, uploader and kind, and serves it back', async () => {
      // given a problem the facilities department is rectifying
      const { id, version } = await steps.inStage('rectifying.inProgress');
      const content = `Exit cleared ${randomUUID()}\n`;

      // when the department uploads its "after" evidence
      const uploaded = await uploadEvidence(t, t.tokens.facilities, id, 'rectification', content, '整改照片说明.txt');

      // then
      expect(uploaded.status).toBe(201);
      expect(uploaded.body).toEqual({
        id: expect.any(String),
        problemId: id,
        kind: 'rectification',
        sha256: sha256(content),
        size: Buffer.byteLength(content),
        mediaType: 'text/plain',
        originalName: '整改照片说明.txt',
        uploadedBy: t.org.users.facilities.actor.userId,
        uploadedAt: t.clock.now().toISOString(),
        submittedInVersion: null,
      });
      expect(readFileSync(storedPath(sha256(content)), 'utf8')).toBe(content);
      // the problem itself is untouched
      expect((await steps.get('supervisor', id)).body.version).toBe(version);

      const listed = await evidenceOf(id, 'inspector');
      expect(listed.status).toBe(200);
      expect(listed.body.items).toEqual([uploaded.body]);

      const download = await t.http().get(`/problems/${id}/evidence/${uploaded.body.id}/content`).auth(t.tokens.supervisor, { type: 'bearer' }).buffer(true);
      expect(download.status).toBe(200);
      expect(download.headers['content-type']).toMatch(/^text\/plain/);
      expect(download.headers.etag).toBe(`"${sha256(content)}"`);
      expect(download.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('整改照片说明.txt')}`);
      expect(Buffer.from(download.text ?? download.body).toString('utf8')).toBe(content);
    });

    it('stores the same content once, however many times it is uploaded', async () => {
      const { id } = await steps.inStage('rectifying.inProgress');
      const content = `the same photo ${randomUUID()}`;
      const before = storedFiles().length;

      const first = await uploadEvidence(t, t.tokens.facilities, id, 'rectification', content, 'a.txt');
      const second = await uploadEvidence(t, t.tokens.facilities, id, 'rectification', content, 'b.txt');

      expect([first.status, second.status]).toEqual([201, 201]);
      expect(first.body.id).not.toBe(second.body.id);
      expect(second.body.sha256).toBe(first.body.sha256);
      expect(storedFiles().length).toBe(before + 1);
    });

    it('sniffs the content: real PNG and PDF are accepted, a generic declaration takes the sniffed type', async () => {
      const { id } = await steps.inStage('found');
      const png = await uploadEvidence(t, t.tokens.inspector, id, 'finding', PNG, 'before.png', 'image/png');
      const pdf = await uploadEvidence(t, t.tokens.inspector, id, 'finding', PDF, 'report.bin', 'application/octet-stream');

      expect({ status: png.status, type: png.body.mediaType, kind: png.body.kind }).toEqual({ status: 201, type: 'image/png', kind: 'finding' });
      expect({ status: pdf.status, type: pdf.body.mediaType }).toEqual({ status: 201, type: 'application/pdf' });
    });
  });

  describe('stored names cannot disguise the type', () => {
    it.each([
      ['an .html name on a text/plain file', 'report.html', 'text/plain', 'Just text.\n', 'report.html.txt'],
      ['a right-to-left override', 'photo\u202Egpj.exe', 'image/png', PNG, 'photogpj.exe.png'],
      ['zero-width characters', 'af\u200Bter\u2060.txt', 'text/plain', 'After.\n', 'after.txt'],
      ['trailing dots and spaces before the real extension', 'tool.exe. .', 'text/plain', 'Not a tool.\n', 'tool.exe.txt'],
      ['a decomposed accent', 'Cafe\u0301.txt', 'text/plain', 'Café.\n', 'Café.txt'],
      ['a generic declaration, sniffed as PDF', 'scan', 'application/octet-stream', PDF, 'scan.pdf'],
    ] as const)('%s: stored, listed and downloaded under a name of the stored type', async (_name, name, type, content, stored) => {
      // given
      const { id } = await steps.inStage('found');

      // when
      const uploaded = await uploadEvidence(t, t.tokens.inspector, id, 'finding', content, name, type);

      // then
      expect({ status: uploaded.status, originalName: uploaded.body.originalName }).toEqual({ status: 201, originalName: stored });
      expect((await evidenceOf(id)).body.items.map((item: { originalName: string }) => item.originalName)).toEqual([stored]);
      const download = await t.http().get(`/problems/${id}/evidence/${uploaded.body.id}/content`).auth(t.tokens.supervisor, { type: 'bearer' });
      expect(download.status).toBe(200);
      expect(download.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(stored)}`);
      expect(download.headers['content-disposition']).not.toMatch(/\u202E|%E2%80%AE/i);
    });

    it('offers a file stored before names were cleaned under a cleaned name', async () => {
      // given a row written as the earlier code did, keeping a right-to-left override and an .html name on text
      const { id } = await steps.inStage('found');
      const content = `legacy ${randomUUID()}`;
      const { sha256: hash } = await t.app.get(EvidenceContentStore).put(Buffer.from(content));
      const legacy = { id: randomUUID(), problemId: id, kind: 'finding' as const, sha256: hash, size: content.length, mediaType: 'text/plain',
        originalName: 'note\u202Elmth.html', uploadedBy: t.org.users.inspector.actor.userId, uploadedAt: t.clock.now().toISOString(), submittedInVersion: null };
      await t.app.get(EvidenceRepository).insert(legacy);

      // when
      const download = await t.http().get(`/problems/${id}/evidence/${legacy.id}/content`).auth(t.tokens.inspector, { type: 'bearer' });

      // then
      expect(download.status).toBe(200);
      expect(download.headers['content-disposition']).toBe(`attachment; filename="notelmth.html.txt"; filename*=UTF-8''notelmth.html.txt`);
    });
  });

  describe('a refused upload leaves no file and no row', () => {
    it.each([
      ['too large', 413, 'PAYLOAD_TOO_LARGE', Buffer.alloc(MAX_BYTES + 1, 0x41), 'big.txt', 'text/plain'],
      ['text declared as a PNG', 415, 'EVIDENCE.UNSUPPORTED_TYPE', Buffer.from('not a png at all'), 'fake.png', 'image/png'],
      ['an executable', 415, 'EVIDENCE.UNSUPPORTED_TYPE', Buffer.from('MZ\x90\x00\x03 program'), 'tool.exe', 'application/x-msdownload'],
      ['a PDF declared as text', 415, 'EVIDENCE.UNSUPPORTED_TYPE', PDF, 'report.txt', 'text/plain'],
      ['binary bytes declared as text', 415, 'EVIDENCE.UNSUPPORTED_TYPE', Buffer.from([0x00, 0x01, 0xff, 0xfe]), 'x.txt', 'text/plain'],
    ] as const)('%s → %i %s', async (_name, status, code, content, name, type) => {
      // given
      const { id } = await steps.inStage('rectifying.inProgress');
      const files = storedFiles();

      // when
      const response = await uploadEvidence(t, t.tokens.facilities, id, 'rectification', content, name, type);

      // then
      expectApiError(response, status, code);
      expect(storedFiles()).toEqual(files);
      expect((await evidenceOf(id)).body.items).toEqual([]);
    });

    it('an unknown problem → 404, a missing file or kind → 400', async () => {
      const files = storedFiles();
      expectApiError(await uploadEvidence(t, t.tokens.facilities, randomUUID()), 404, 'PROBLEM.NOT_FOUND');
      const { id } = await steps.inStage('rectifying.inProgress');
      const noFile = await t.http().post(`/problems/${id}/evidence`).auth(t.tokens.facilities, { type: 'bearer' }).field('kind', 'rectification');
      expectApiError(noFile, 400, 'VALIDATION_FAILED');
      const noKind = await t
        .http()
        .post(`/problems/${id}/evidence`)
        .auth(t.tokens.facilities, { type: 'bearer' })
        .attach('file', Buffer.from('x'), { filename: 'x.txt', contentType: 'text/plain' });
      expectApiError(noKind, 400, 'VALIDATION_FAILED');
      expect(storedFiles()).toEqual(files);
      expect((await evidenceOf(id)).body.items).toEqual([]);
    });

    it('who may add which kind: the department not "finding", the inspector not "rectification"; not after close-out', async () => {
      const { id } = await steps.inStage('rectifying.inProgress');
      expectApiError(await uploadEvidence(t, t.tokens.facilities, id, 'finding'), 403, 'AUTH.FORBIDDEN');
      expectApiError(await uploadEvidence(t, t.tokens.inspector, id, 'rectification'), 403, 'AUTH.FORBIDDEN');
      // production sees nothing of a problem never assigned to it
      expectApiError(await uploadEvidence(t, t.tokens.production, id, 'rectification'), 404, 'PROBLEM.NOT_FOUND');
      const closed = await steps.inStage('closed');
      expectApiError(await uploadEvidence(t, t.tokens.inspector, closed.id, 'finding'), 409, 'EVIDENCE.PROBLEM_FINISHED');
      expect((await evidenceOf(id)).body.items).toEqual([]);
    });
  });

  describe('download follows the read scope', () => {
    it('another department gets 404 for the list and the file, exactly as for a problem that does not exist', async () => {
      // given facilities' problem with a file
      const { id } = await steps.inStage('rectifying.inProgress');
      const uploaded = await uploadEvidence(t, t.tokens.facilities, id);
      expect(uploaded.status).toBe(201);
      const contentPath = `/problems/${id}/evidence/${uploaded.body.id}/content`;

      // then production (another department) learns nothing
      expectApiError(await evidenceOf(id, 'production'), 404, 'PROBLEM.NOT_FOUND');
      expectApiError(await t.http().get(contentPath).auth(t.tokens.production, { type: 'bearer' }), 404, 'PROBLEM.NOT_FOUND');
      // while the filer, the supervisor and the department may read it
      for (const role of ['inspector', 'supervisor', 'facilities', 'admin'] as const) {
        expect({ role, status: (await t.http().get(contentPath).auth(t.tokens[role], { type: 'bearer' })).status }).toEqual({ role, status: 200 });
      }
      // an evidence id of another problem is not found under this one
      const other = await steps.inStage('rectifying.inProgress');
      expectApiError(await t.http().get(`/problems/${other.id}/evidence/${uploaded.body.id}/content`).auth(t.tokens.admin, { type: 'bearer' }), 404, 'EVIDENCE.NOT_FOUND');
    });
  });

  describe('SUBMIT needs rectification evidence', () => {
    it('refuses SUBMIT without it (422, nothing changes), accepts it with it, and the history lists the files carried', async () => {
      // given a major problem in progress, without evidence
      const { id, version } = await steps.inStage('rectifying.inProgress');
      // finding evidence does not count
      expect((await uploadEvidence(t, t.tokens.inspector, id, 'finding', PNG, 'before.png', 'image/png')).status).toBe(201);
      const before = await steps.footprint(id);

      // when it is submitted without "after" evidence
      const refused = await steps.sendOnly('facilities', id, { type: 'SUBMIT', summary: 'Exit cleared', expectedVersion: version });

      // then
      expectApiError(refused, 422, 'PROBLEM.EVIDENCE_REQUIRED');
      expect(refused.body.message).toMatch(/rectification evidence/);
      expect(refused.body.details).toMatchObject({ kind: 'rectification', minimum: 1, carried: 0 });
      expect(await steps.footprint(id)).toEqual(before);

      // when the department uploads a file and submits again
      const photo = await uploadEvidence(t, t.tokens.facilities, id, 'rectification', PNG, 'after.png', 'image/png');
      const accepted = await steps.sendOnly('facilities', id, { type: 'SUBMIT', summary: 'Exit cleared', expectedVersion: version });

      // then
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ stateDetail: 'rectifying.awaitingVerification', version: version + 1 });
      const history = await steps.history('supervisor', id);
      const submit = (history.body.items as Array<{ eventType: string; version: number; payload: Record<string, unknown> }>).find((row) => row.eventType === 'SUBMIT');
      expect(submit).toMatchObject({
        version: version + 1,
        payload: { summary: 'Exit cleared', evidence: [{ id: photo.body.id, sha256: sha256(PNG), name: 'after.png' }] },
      });
      const listed = (await evidenceOf(id)).body.items as Array<{ id: string; kind: string; submittedInVersion: number | null }>;
      expect(listed.map((item) => [item.kind, item.submittedInVersion])).toEqual([
        ['finding', null],
        ['rectification', version + 1],
      ]);

      // and a rework round needs new evidence of its own
      expect((await steps.sendOnly('inspector', id, { type: 'REJECT', reason: 'Zone not marked' })).status).toBe(200);
      expectApiError(await steps.sendOnly('facilities', id, { type: 'SUBMIT', summary: 'Zone marked' }), 422, 'PROBLEM.EVIDENCE_REQUIRED');
    });

    it('a minor problem may be submitted without evidence', async () => {
      const { id, version } = await steps.inStage('rectifying.inProgress', { severity: 'minor' });
      const response = await steps.sendOnly('facilities', id, { type: 'SUBMIT', summary: 'Done', expectedVersion: version });
      expect(response.status).toBe(200);
      const history = await steps.history('supervisor', id);
      expect(history.body.items.at(-1).payload).toEqual({ type: 'SUBMIT', summary: 'Done', at: expect.any(String), actorId: expect.any(String) });
    });

    it('a caller cannot claim evidence in the SUBMIT body', async () => {
      const { id } = await steps.inStage('rectifying.inProgress');
      const response = await steps.sendOnly('facilities', id, {
        type: 'SUBMIT',
        summary: 'Done',
        evidence: [{ id: randomUUID(), sha256: sha256('x'), name: 'x' }],
      });
      expectApiError(response, 400, 'VALIDATION_FAILED');
    });
  });

  describe('integrity', () => {
    it('re-hashes every stored file, and names the rows whose file was tampered with or removed', async () => {
      // given two problems with evidence, all intact
      const a = await steps.inStage('rectifying.inProgress');
      const b = await steps.inStage('rectifying.inProgress');
      const tampered = await uploadEvidence(t, t.tokens.facilities, a.id, 'rectification', `to be tampered ${randomUUID()}`);
      const removed = await uploadEvidence(t, t.tokens.facilities, b.id, 'rectification', `to be removed ${randomUUID()}`);
      const intact = await t.http().get('/admin/evidence/verify').auth(t.adminToken, { type: 'bearer' });
      expect(intact.status).toBe(200);
      expect(intact.body).toMatchObject({ ok: true, mismatches: [], missing: [] });
      expect(intact.body.checkedRows).toBeGreaterThanOrEqual(2);

      // when one stored file is edited on disk and another deleted
      writeFileSync(storedPath(tampered.body.sha256), 'edited afterwards');
      rmSync(storedPath(removed.body.sha256));

      // then the check names both
      const report = await t.http().get('/admin/evidence/verify').auth(t.adminToken, { type: 'bearer' });
      expect(report.status).toBe(200);
      expect(report.body.ok).toBe(false);
      expect(report.body.mismatches).toEqual([
        { evidenceId: tampered.body.id, problemId: a.id, sha256: tampered.body.sha256, actualSha256: sha256('edited afterwards') },
      ]);
      expect(report.body.missing).toEqual([{ evidenceId: removed.body.id, problemId: b.id, sha256: removed.body.sha256 }]);

      // and downloading the removed one says so, in the error shape, instead of failing mid-stream
      const gone = await t.http().get(`/problems/${b.id}/evidence/${removed.body.id}/content`).auth(t.tokens.supervisor, { type: 'bearer' });
      expectApiError(gone, 404, 'EVIDENCE.CONTENT_MISSING');
      expect(gone.body.message).toContain('verify-evidence');

      // and only admins may run it
      expectApiError(await t.http().get('/admin/evidence/verify').auth(t.tokens.supervisor, { type: 'bearer' }), 403, 'AUTH.FORBIDDEN');

    });
  });
});

