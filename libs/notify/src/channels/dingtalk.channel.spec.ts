import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import type { OutgoingMessage } from './channel.js';
import { buildDingTalkRequest, DingTalkChannel } from './dingtalk.channel.js';

const message: OutgoingMessage = {
  id: 'msg-01',
  title: '整改逾期：消防通道堵塞',
  text: 'Problem P-7 is overdue',
  markdown: '### 整改逾期\n问题 **P-7** 已逾期',
  html: '<p>overdue</p>',
  link: 'https://console.example.org/problems/P-7',
  linkLabel: '查看问题',
  mentionMobiles: ['13800000001', '13900000002'],
  to: [],
  language: 'zh',
};

const SECRET = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd';

/** DingTalk's documented 加签, written out here rather than taken from the adapter. */
function expectedSign(secret: string, timestampMs: number): string {
  return encodeURIComponent(createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(`${timestampMs}\n${secret}`, 'utf8')).digest('base64'));
}

describe(DingTalkChannel.name, () => {
  it('builds a markdown message whose text carries the link and an @mobile for each mention', () => {
    // when
    const { body } = buildDingTalkRequest({ webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=t0k', secret: null }, message, new Date());

    // then
    expect(body).toEqual({
      msgtype: 'markdown',
      markdown: {
        title: '整改逾期：消防通道堵塞',
        text: '### 整改逾期\n问题 **P-7** 已逾期\n\n[查看问题](https://console.example.org/problems/P-7)\n\n@13800000001 @13900000002',
      },
      at: { atMobiles: ['13800000001', '13900000002'], isAtAll: false },
    });
  });

  it('leaves out the link and mention lines when there are none', () => {
    const { body } = buildDingTalkRequest({ webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=t0k', secret: null }, { ...message, link: null, mentionMobiles: [] }, new Date());

    expect(body).toMatchObject({ markdown: { text: '### 整改逾期\n问题 **P-7** 已逾期' }, at: { atMobiles: [], isAtAll: false } });
  });

  it('sends an unsigned robot to its URL as it is', () => {
    const { url } = buildDingTalkRequest({ webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=t0k', secret: null }, message, new Date());

    expect(url).toBe('https://oapi.dingtalk.com/robot/send?access_token=t0k');
  });

  it('signs with the timestamp in milliseconds, appended as timestamp and sign query parameters (fixed vector)', () => {
    // given: a fixed instant whose signature holds "+", "/" and "=", which must arrive URL-encoded
    const now = new Date(1700000000015);

    // when
    const { url } = buildDingTalkRequest({ webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=t0k', secret: SECRET }, message, now);

    // then: the vector was computed outside this code base (Python hmac + urllib.parse.quote_plus) and here again
    expect(expectedSign(SECRET, 1700000000015)).toBe('WkhwWv%2Fd9lDN%2BiQSL1g%2Bx4dWEUFe%2F9%2BW28zhERrfbFU%3D');
    expect(url).toBe('https://oapi.dingtalk.com/robot/send?access_token=t0k&timestamp=1700000000015&sign=WkhwWv%2Fd9lDN%2BiQSL1g%2Bx4dWEUFe%2F9%2BW28zhERrfbFU%3D');
    const query = new URL(url).searchParams;
    expect(query.get('access_token')).toBe('t0k');
  });

  it('signs any instant as DingTalk computes it', () => {
    for (const at of [Date.UTC(2026, 0, 5, 1, 2, 3, 4), Date.UTC(2026, 9, 1, 8), 1]) {
      const { url } = buildDingTalkRequest({ webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=t0k', secret: 'SECother' }, message, new Date(at));

      expect(url).toBe(`https://oapi.dingtalk.com/robot/send?access_token=t0k&timestamp=${at}&sign=${expectedSign('SECother', at)}`);
    }
  });

  it('cuts an over-long body but keeps the link and the mentions', () => {
    const { body } = buildDingTalkRequest({ webhookUrl: 'https://x.example/?access_token=t', secret: null }, { ...message, markdown: '问'.repeat(10_000) }, new Date());
    const { text } = (body as { markdown: { text: string } }).markdown;

    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(18_000);
    expect(text.endsWith('…\n\n[查看问题](https://console.example.org/problems/P-7)\n\n@13800000001 @13900000002')).toBe(true);
  });
});
