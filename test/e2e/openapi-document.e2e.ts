import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOpenApi } from '../../apps/cli/src/openapi.command.js';
import { RECTIFICATION_EVENT_TYPES } from '#rectification';
import { expectApiError } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Operation {
  security?: Array<Record<string, string[]>>;
  summary?: string;
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
  requestBody?: { content: Record<string, { schema: { oneOf?: Array<{ $ref: string }>; discriminator?: { propertyName: string; mapping: Record<string, string> } } }> };
}
interface Schema {
  properties?: Record<string, { enum?: unknown[] }>;
  required?: string[];
}
interface Document {
  servers: Array<{ url: string }>;
  security: Array<Record<string, string[]>>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, unknown> };
}

/** The routes marked @Public: they take no credentials. */
const PUBLIC_OPERATIONS = ['GET /health', 'GET /health/ready', 'POST /auth/invitation', 'POST /auth/sign-in'];

const schemaNamed = (document: Document, ref: string | undefined): Schema => document.components.schemas[(ref ?? '').split('/').pop()!];

describe('The OpenAPI document (`npm run cli -- openapi`, GET /docs-json)', () => {
  let t: TestApp;
  let served: Document;
  let dir: string;

  beforeAll(async () => {
    t = await createTestApp();
    const response = await t.http().get('/docs-json');
    expect(response.status).toBe(200);
    served = response.body as Document;
    dir = mkdtempSync(join(tmpdir(), 'rk-openapi-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is written by the CLI exactly as the server serves it', async () => {
    // when
    const file = join(dir, 'openapi.json');
    const code = await runOpenApi(file);

    // then
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(served);
    expect(Object.keys(served.paths).length).toBeGreaterThan(40);
  });

  it('gives every operation a summary and the API relative to where the document is served', () => {
    const unsummarised = Object.entries(served.paths).flatMap(([path, operations]) =>
      Object.entries(operations).filter(([, operation]) => !operation.summary?.trim()).map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(unsummarised).toEqual([]);
    expect(served.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('declares an API token or the session cookie by default, and no credentials exactly on the public routes', () => {
    expect(Object.keys(served.components.securitySchemes).sort()).toEqual(['bearer', 'session']);
    expect(served.security).toEqual([{ bearer: [] }, { session: [] }]);
    const open = Object.entries(served.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => operation.security !== undefined && operation.security.length === 0)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(open.sort()).toEqual(PUBLIC_OPERATIONS);
  });

  it('is right about credentials: without any, every other operation answers 401 AUTH.MISSING_TOKEN and the public ones do not', async () => {
    let checked = 0;
    for (const [path, operations] of Object.entries(served.paths)) {
      for (const method of Object.keys(operations)) {
        // when
        const url = path.replace(/\{[^}]+\}/g, randomUUID());
        const response = await t.http()[method as 'get' | 'post' | 'put' | 'patch' | 'delete'](url);

        // then
        const key = `${method.toUpperCase()} ${path}`;
        if (PUBLIC_OPERATIONS.includes(key)) {
          expect({ key, status: response.status }).not.toEqual({ key, status: 401 });
        } else {
          expect({ key, status: response.status, code: response.body.code }).toEqual({ key, status: 401, code: 'AUTH.MISSING_TOKEN' });
        }
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('describes the body of POST /problems/{id}/events as a union tagged by `type`, one schema per event type', () => {
    const body = served.paths['/problems/{id}/events'].post.requestBody!.content['application/json'].schema;
    expect(body.discriminator?.propertyName).toBe('type');
    const mapping = body.discriminator!.mapping;
    expect(Object.keys(mapping).sort()).toEqual([...RECTIFICATION_EVENT_TYPES].sort());
    expect(body.oneOf!.map((variant) => variant.$ref).sort()).toEqual(Object.values(mapping).sort());
    for (const [type, ref] of Object.entries(mapping)) {
      expect({ type, enum: schemaNamed(served, ref).properties?.type.enum }).toEqual({ type, enum: [type] });
    }
  });

  it('describes the error answers every operation may give with the body errors really have', async () => {
    // given an answer the input check gives on any route
    const refused = await t.http().get('/health?__proto__=1');
    expectApiError(refused, 400, 'VALIDATION_FAILED');

    // then each operation documents 400 and 429 with that body's schema
    for (const [path, operations] of Object.entries(served.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const status of ['400', '429']) {
          const ref = operation.responses[status]?.content?.['application/json'].schema.$ref;
          expect({ operation: `${method.toUpperCase()} ${path}`, status, ref }).toEqual({
            operation: `${method.toUpperCase()} ${path}`,
            status,
            ref: '#/components/schemas/ApiErrorDto',
          });
        }
      }
    }
    const schema = schemaNamed(served, '#/components/schemas/ApiErrorDto');
    expect(Object.keys(refused.body).sort()).toEqual(expect.arrayContaining([...schema.required!].sort()));
    for (const field of Object.keys(refused.body)) expect(Object.keys(schema.properties!)).toContain(field);
  });
});
