import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import type { OutgoingMessage } from './channel.js';
import { buildFeishuRequest, FeishuChannel } from './feishu.channel.js';

const message: OutgoingMessage = {
  id: 'msg-02',
  title: 'Escalation level 2: blocked fire exit',
  text: 'Problem P-7 escalated',
  markdown: '**P-7** escalated to level 2',
  html: '<p>escalated</p>',
  link: 'https://console.example.org/problems/P-7',
  linkLabel: 'Open problem',
  mentionMobiles: ['13800000001'],
  to: [],
  language: 'en',
};
const target = { webhookUrl: 'https://open.feishu.cn/open-apis/bot/v2/hook/0000-hook', secret: 'feishu-secret-0123456789' };

/** Feishu's documented signature, written out here: the string to sign is the HMAC key, the message is empty. */
function expectedSign(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', Buffer.from(`${timestampSeconds}\n${secret}`, 'utf8')).update(Buffer.alloc(0)).digest('base64');
}

describe(FeishuChannel.name, () => {
  it('builds an interactive card: header title, lark_md div, a button to the link; mentions by mobile are not possible', () => {
    // when
    const { url, body } = buildFeishuRequest({ ...target, secret: null }, message, new Date());

    // then
    expect(url).toBe(target.webhookUrl);
    expect(body).toEqual({
      msg_type: 'interactive',
      card: {
        config: { wide_screen_mode: true },
        header: { title: { tag: 'plain_text', content: 'Escalation level 2: blocked fire exit' } },
        elements: [
          { tag: 'div', text: { tag: 'lark_md', content: '**P-7** escalated to level 2' } },
          {
            tag: 'action',
            actions: [{ tag: 'button', text: { tag: 'plain_text', content: 'Open problem' }, type: 'primary', url: 'https://console.example.org/problems/P-7' }],
          },
        ],
      },
    });
    expect(JSON.stringify(body)).not.toContain('13800000001');
  });

  it('has no button when there is no link', () => {
    const { body } = buildFeishuRequest({ ...target, secret: null }, { ...message, link: null }, new Date());

    expect((body as { card: { elements: unknown[] } }).card.elements).toHaveLength(1);
  });

  it('signs with the timestamp in seconds, both in the body (fixed vector)', () => {
    // when
    const { body } = buildFeishuRequest(target, message, new Date(1700000000999));

    // then: computed outside this code base (Python hmac) and again here
    expect(expectedSign(target.secret, 1700000000)).toBe('d3gGsFz+AHToelzC26bbD1t6jbk8R9u46n1N6K0Bj8o=');
    expect(body).toMatchObject({ timestamp: '1700000000', sign: 'd3gGsFz+AHToelzC26bbD1t6jbk8R9u46n1N6K0Bj8o=', msg_type: 'interactive' });
  });

  it('signs any instant as Feishu computes it', () => {
    for (const at of [Date.UTC(2026, 0, 5, 1, 2, 3), Date.UTC(2026, 9, 1, 8, 0, 0, 500)]) {
      const { body } = buildFeishuRequest({ ...target, secret: 'other' }, message, new Date(at));
      const seconds = Math.floor(at / 1000);

      expect(body).toMatchObject({ timestamp: String(seconds), sign: expectedSign('other', seconds) });
    }
  });
});
