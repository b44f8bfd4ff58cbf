import { describe, expect, it } from '@jest/globals';
import type { OutgoingMessage } from './channel.js';
import { buildWeComRequest, WeComChannel } from './wecom.channel.js';

const message: OutgoingMessage = {
  id: 'msg-03',
  title: '整改提醒',
  text: '问题 P-7 明天到期',
  markdown: '问题 **P-7** 明天到期',
  html: '<p>due</p>',
  link: 'https://console.example.org/problems/P-7',
  linkLabel: '查看问题',
  mentionMobiles: [],
  to: [],
  language: 'zh',
};
const target = { webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-0000', secret: null };

describe(WeComChannel.name, () => {
  it('sends markdown to the URL holding the key, with no signature', () => {
    expect(buildWeComRequest(target, message)).toEqual({
      url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-0000',
      body: { msgtype: 'markdown', markdown: { content: '**整改提醒**\n问题 **P-7** 明天到期\n[查看问题](https://console.example.org/problems/P-7)' } },
    });
  });

  it('sends text with mentioned_mobile_list when people must be mentioned (markdown cannot @ by mobile)', () => {
    expect(buildWeComRequest(target, { ...message, mentionMobiles: ['13800000001'] }).body).toEqual({
      msgtype: 'text',
      text: { content: '整改提醒\n问题 P-7 明天到期\n查看问题: https://console.example.org/problems/P-7', mentioned_mobile_list: ['13800000001'] },
    });
  });

  it('keeps within WeCom byte limits (markdown 4096, text 2048), the link kept whole', () => {
    const long = { ...message, markdown: '长'.repeat(3000), text: '长'.repeat(3000) };
    const markdown = (buildWeComRequest(target, long).body as { markdown: { content: string } }).markdown.content;
    const text = (buildWeComRequest(target, { ...long, mentionMobiles: ['13800000001'] }).body as { text: { content: string } }).text.content;

    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(4096);
    expect(markdown.endsWith('…\n[查看问题](https://console.example.org/problems/P-7)')).toBe(true);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2048);
    expect(text.endsWith('…\n查看问题: https://console.example.org/problems/P-7')).toBe(true);
  });
});
