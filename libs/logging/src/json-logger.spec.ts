import { describe, expect, it } from '@jest/globals';
import { JsonLogger, type JsonLoggerOptions } from './json-logger.js';
import { runWithLogContext, setLogContext } from './log-context.js';
import { MASK } from './secret-scrubber.js';

const TOKEN = `rk_${'A'.repeat(43)}`;

function aLogger(options: Partial<JsonLoggerOptions> = {}) {
  const chunks: string[] = [];
  const logger = new JsonLogger({ level: 'verbose', destination: { write: (chunk: string) => chunks.push(chunk) }, ...options });
  const text = () => chunks.join('');
  const lines = () =>
    text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, text, lines };
}

describe(JsonLogger.name, () => {
  it('writes one JSON object a line: time, level name, msg, context', () => {
    // given
    const { logger, lines } = aLogger({ app: 'server' });

    // when Nest's calls: an instance logger passes its name last, a static call passes it as the context
    logger.log('Listening on http://localhost:3000', 'Server');
    logger.warn('slow', 'Calendar');

    // then
    expect(lines()).toEqual([
      { time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), level: 'info', pid: process.pid, app: 'server', context: 'Server', msg: 'Listening on http://localhost:3000' },
      expect.objectContaining({ level: 'warn', context: 'Calendar', msg: 'slow' }),
    ]);
  });

  it.each([
    ['error', ['error']],
    ['warn', ['error', 'warn']],
    ['log', ['error', 'warn', 'info']],
    ['debug', ['error', 'warn', 'info', 'debug']],
    ['verbose', ['error', 'warn', 'info', 'debug', 'trace']],
  ] as const)('LOG_LEVEL=%s writes %j', (level, written) => {
    // given
    const { logger, lines } = aLogger({ level });

    // when
    logger.error('e', 'X');
    logger.warn('w', 'X');
    logger.log('l', 'X');
    logger.debug('d', 'X');
    logger.verbose('v', 'X');

    // then
    expect(lines().map((line) => line.level)).toEqual(written);
  });

  it("reads Nest's error conventions: (message, stack, context), (message, undefined, context), an Error", () => {
    // given
    const { logger, lines } = aLogger();
    const stack = 'Error: boom\n    at Worker.run (worker.js:10:5)';

    // when
    logger.error('boom', stack, 'ExceptionsHandler');
    logger.error('plain', undefined, 'Errors');
    logger.error('only a stack', stack);
    logger.error(new Error('thrown'), 'Scheduler');

    // then
    const [withStack, plain, onlyStack, thrown] = lines();
    expect(withStack).toMatchObject({ level: 'error', context: 'ExceptionsHandler', msg: 'boom', stack });
    expect(plain).toMatchObject({ context: 'Errors', msg: 'plain' });
    expect(plain).not.toHaveProperty('stack');
    expect(onlyStack).toMatchObject({ msg: 'only a stack', stack });
    expect(onlyStack).not.toHaveProperty('context');
    expect(thrown).toMatchObject({ context: 'Scheduler', msg: 'thrown', err: { type: 'Error', message: 'thrown', stack: expect.stringContaining('Error: thrown') } });
  });

  it('adds the request context: correlation id, then actor and problem as they become known', () => {
    // given
    const { logger, lines } = aLogger();

    // when
    logger.log('before any request', 'Boot');
    runWithLogContext({ correlationId: 'c-1' }, () => {
      logger.log('received', 'HTTP');
      setLogContext({ actorId: 'user-1', problemId: 'problem-1' });
      logger.log('handled', 'HTTP');
    });

    // then
    const [boot, received, handled] = lines();
    expect(boot).not.toHaveProperty('correlationId');
    expect(received).toMatchObject({ correlationId: 'c-1' });
    expect(received).not.toHaveProperty('actorId');
    expect(handled).toMatchObject({ correlationId: 'c-1', actorId: 'user-1', problemId: 'problem-1' });
  });

  it("merges an object message's fields, masking secret fields at any depth and reducing binary content to its size", () => {
    // given
    const { logger, lines } = aLogger();

    // when
    logger.log(
      {
        msg: 'request',
        status: 201,
        headers: { authorization: `Bearer ${TOKEN}`, cookie: 'sid=1', accept: 'application/json' },
        deep: { a: { b: { password: 'hunter2', webhookSecret: 'x', tokenId: 't-1' } } },
        file: Buffer.from('evidence bytes'),
        attachment: Buffer.from('photo bytes'),
        level: 'fatal',
      },
      'HTTP',
    );

    // then
    expect(lines()[0]).toMatchObject({
      level: 'info',
      context: 'HTTP',
      msg: 'request',
      status: 201,
      headers: { authorization: MASK, cookie: MASK, accept: 'application/json' },
      deep: { a: { b: { password: MASK, webhookSecret: MASK, tokenId: 't-1' } } },
      file: MASK,
      attachment: '[binary 11 bytes]',
    });
  });

  it("applies pino's redaction to objects logged through pino itself", () => {
    // given
    const { logger, lines } = aLogger();

    // when
    logger.pino.info({ req: { headers: { authorization: 'Basic x', cookie: 'c' } }, body: { any: 'thing' }, user: { token: 'plain' } }, 'direct');

    // then
    expect(lines()[0]).toMatchObject({ req: { headers: { authorization: MASK, cookie: MASK } }, body: MASK, user: { token: MASK } });
  });

  it('masks secrets inside messages and stacks, and the configured literal secrets', () => {
    // given
    const configured = 'the-bootstrap-admin-token-0123';
    const { logger, text } = aLogger({ knownSecrets: [configured, undefined] });

    // when
    logger.error(`authenticate(${TOKEN}) failed for ${configured}`, `Error: whsec_${'f'.repeat(64)}\n    at x (y.js:1:1)`, 'Errors');

    // then
    expect(text()).not.toContain(TOKEN);
    expect(text()).not.toContain(configured);
    expect(text()).not.toContain('f'.repeat(64));
    expect(JSON.parse(text())).toMatchObject({ msg: `authenticate(rk_${MASK}) failed for ${MASK}`, stack: expect.stringContaining(`whsec_${MASK}`) });
  });

  it('LOG_FORMAT=pretty writes a line for a person, masked the same way', () => {
    // given
    const { logger, text } = aLogger({ format: 'pretty' });

    // when
    runWithLogContext({ correlationId: 'c-9' }, () => logger.warn(`Bearer ${TOKEN} refused`, 'Auth'));

    // then
    expect(() => JSON.parse(text())).toThrow();
    expect(text()).toMatch(/WARN.*\[Auth\] Bearer \[REDACTED\] refused/);
    expect(text()).toContain('correlationId: "c-9"');
    expect(text()).not.toContain(TOKEN);
  });
});
