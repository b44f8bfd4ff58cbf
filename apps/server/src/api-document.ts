import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { CSRF_HEADER, SESSION_COOKIE } from './auth/session-cookie.js';
import { ApiErrorDto } from './common/dto/api-error.dto.js';

/**
 * The OpenAPI document of the API, served at /docs-json and written by `npm run cli -- openapi <file>` (the
 * console's API client is generated from that file): one builder, so the two cannot drift apart.
 *
 * Every route needs an API token or the session cookie (BearerAuthGuard is global), so that is the document's
 * default; @Public routes say `security: []` on their operation.
 */
export function createApiDocument(app: INestApplication): OpenAPIObject {
  return typeNullableUnions(SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Rectification engine')
      .setDescription('Inspection findings and their rectification (整改): file, assign, rectify, verify, close.')
      .setVersion('0.1.0')
      .setLicense('MIT', 'https://opensource.org/license/mit')
      // Relative: the API answers on whatever host and port serve this document.
      .addServer('/', 'This server')
      // addBearerAuth() would call the tokens JWTs; they are opaque random strings.
      .addSecurity('bearer', { type: 'http', scheme: 'bearer', description: 'An API token: `Authorization: Bearer <token>`.' })
      .addSecurity('session', {
        type: 'apiKey',
        in: 'cookie',
        name: SESSION_COOKIE,
        description:
          'The session cookie set by POST /auth/sign-in. A request that changes something (not GET, HEAD or OPTIONS) ' +
          `also sends the header \`${CSRF_HEADER}\`, set to the csrfToken of the sign-in or of GET /auth/session.`,
      })
      .addSecurityRequirements('bearer')
      .addSecurityRequirements('session')
      // Answers any route may give: input refused before any route sees it (configure-app), the per-address rate
      // limit, which runs before authentication, and the database being away. The rest are in the README's error table.
      .addGlobalResponse(
        { status: 400, type: ApiErrorDto, description: 'VALIDATION_FAILED (see details.fields) or MALFORMED_JSON' },
        { status: 429, type: ApiErrorDto, description: 'AUTH.RATE_LIMITED (or AUTH.LOCKED at sign-in): wait as Retry-After says' },
        {
          status: 503,
          type: ApiErrorDto,
          description: 'DATABASE.UNAVAILABLE: the database is away (a restart, a failover); try again after Retry-After (details.outcome: not-saved, or unknown when a change may have been stored: reload first)',
        },
      )
      .build(),
  ));
}

/**
 * A nullable union (`oneOf` of objects, or null) needs `type: object` beside `nullable` in OpenAPI 3.0, and
 * @nestjs/swagger drops any `type` declared beside a combinator: put it back on those schemas only.
 */
function typeNullableUnions(document: OpenAPIObject): OpenAPIObject {
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const schema = node as Record<string, unknown>;
    if (schema.nullable === true && schema.type === undefined && Array.isArray(schema.oneOf)) schema.type = 'object';
    Object.values(schema).forEach(visit);
  };
  visit(document.components?.schemas);
  return document;
}
