import { describe, expect, it } from '@jest/globals';
import { generateApiToken } from '../../identity/src/api-token.js';
import { MASK, scrubSecrets, urlForLog } from './secret-scrubber.js';

const TOKEN = generateApiToken();
const WEBHOOK_SECRET = `whsec_${'ab12'.repeat(16)}`;

describe(scrubSecrets.name, () => {
  it.each([
    ['an API token in a sentence', `token ${TOKEN} was revoked`, `token rk_${MASK} was revoked`],
    ['a webhook secret', `signing with ${WEBHOOK_SECRET}.`, `signing with whsec_${MASK}.`],
    ['a bearer header of any shape', 'Authorization: Bearer not-one-of-ours-123', `Authorization: Bearer ${MASK}`],
    ['a bearer header with our token', `Authorization: Bearer ${TOKEN}`, `Authorization: Bearer ${MASK}`],
    ['basic credentials', 'Basic YWRtaW46c2VjcmV0', `Basic ${MASK}`],
    ['key=value', 'password=hunter2&user=li', `password=${MASK}&user=li`],
    ['a JSON text inside a message', '{"secret": "s3cr3t", "name": "x"}', `{"secret": "${MASK}", "name": "x"}`],
    ['credentials in a URL', 'postgres://rect:pa55@db:5432/rect', `postgres://${MASK}@db:5432/rect`],
    ['a robot key in a query string', 'POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6 failed', `POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?${MASK} failed`],
  ])('masks %s', (_what, text, expected) => {
    expect(scrubSecrets(text)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    const text = 'Timer 01a2 failed: This token is not valid (unknown, revoked); tokenId=42 at https://example.org/path';
    expect(scrubSecrets(text)).toBe(text);
  });

  it('keeps a JSON line valid JSON, whatever it masks', () => {
    // given a line as pino writes it, secrets in a field, in a message and in an escaped JSON text
    const line = JSON.stringify({
      level: 'error',
      msg: `boom: Bearer ${TOKEN} {"token":"${TOKEN}"} https://u:p@host/x?key=k`,
      stack: `Error: ${WEBHOOK_SECRET}\n    at x (y.js:1:1)`,
      note: 'password: "a\\"b"',
    });

    // when
    const scrubbed = scrubSecrets(line);

    // then
    const parsed = JSON.parse(scrubbed) as Record<string, string>;
    expect(parsed.msg).toBe(`boom: Bearer ${MASK} {"token":"${MASK}"} https://${MASK}@host/x?${MASK}`);
    expect(parsed.stack).toBe(`Error: whsec_${MASK}\n    at x (y.js:1:1)`);
    expect(scrubbed).not.toContain(TOKEN);
    expect(scrubSecrets(scrubbed)).toBe(scrubbed);
  });

  it('masks literal values it is given, also as escaped inside JSON', () => {
    const configured = 'my-"bootstrap"-admin-token';
    expect(scrubSecrets(`a ${configured} b`, [configured])).toBe(`a ${MASK} b`);
    expect(scrubSecrets(JSON.stringify({ msg: configured }), [configured])).toBe(JSON.stringify({ msg: MASK }));
  });
});

describe(urlForLog.name, () => {
  it('drops credentials and the query string, keeping where it goes', () => {
    expect(urlForLog('https://bot:pw@robot.example.org:8443/hook/send?key=abc#x')).toBe(`https://${MASK}@robot.example.org:8443/hook/send?${MASK}`);
    expect(urlForLog('http://127.0.0.1:9000/hook')).toBe('http://127.0.0.1:9000/hook');
  });
});
