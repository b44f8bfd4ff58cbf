import { describe, expect, it } from '@jest/globals';
import { BadRequestException, HttpException, UnsupportedMediaTypeException } from '@nestjs/common';
import { toErrorResponse } from './api-error.js';

/** What express's body parser hands on when the stream it reads fails: the stream's error, given a 4xx status. */
function streamError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code, status: 400, statusCode: 400, expose: true });
}

describe('toErrorResponse', () => {
  it('answers a body that is not in the Content-Encoding it claims as MALFORMED_JSON, not INTERNAL (found by input fuzzing)', () => {
    for (const error of [streamError('incorrect header check', 'Z_DATA_ERROR'), streamError('Decompression failed', 'ERR__ERROR_FORMAT_PADDING_1')]) {
      const { status, body } = toErrorResponse(error, 'c-1');
      expect({ status, code: body.code, correlationId: body.correlationId }).toEqual({ status: 400, code: 'MALFORMED_JSON', correlationId: 'c-1' });
      expect(body.message).not.toContain(error.message);
    }
  });

  it('still answers an error without a status as INTERNAL', () => {
    const { status, body } = toErrorResponse(Object.assign(new Error('boom'), { expose: true }), 'c-2');
    expect({ status, code: body.code }).toEqual({ status: 500, code: 'INTERNAL' });
  });

  it('lists the field of every VALIDATION_FAILED raised by the framework (found by input fuzzing)', () => {
    const cases: Array<[HttpException, string]> = [
      // multer names the offending multipart field
      [new BadRequestException('Unexpected file field - evidence', { cause: Object.assign(new Error('Unexpected file field'), { code: 'LIMIT_UNEXPECTED_FILE', field: 'evidence' }) }), 'evidence'],
      // Express could not percent-decode a path parameter
      [new BadRequestException("Failed to decode param '%FF'", { cause: Object.assign(new URIError('URI malformed'), { status: 400 }) }), 'path'],
      // busboy: a multipart body it cannot parse
      [new BadRequestException('Multipart: Malformed part header'), 'body'],
      [new UnsupportedMediaTypeException('Unsupported content type'), 'Content-Type'],
    ];
    for (const [error, field] of cases) {
      const { status, body } = toErrorResponse(error, 'c-3');
      expect({ status, code: body.code, details: body.details }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
        details: { fields: [{ field, messages: [error.message] }] },
      });
      expect(body.message).toContain(field);
    }
  });

  it('answers a lost database connection as 503 DATABASE.UNAVAILABLE with a wait, never INTERNAL', () => {
    const lost = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const { status, body } = toErrorResponse(lost, 'c-4');
    expect({ status, code: body.code, details: body.details }).toEqual({ status: 503, code: 'DATABASE.UNAVAILABLE', details: { retryAfterSeconds: 5 } });
    expect(body.message).not.toContain(lost.message);
  });
});
