import { describe, expect, it } from '@jest/globals';
import type { OutgoingMessage } from './channel.js';
import { buildEmail, EmailChannel, MESSAGE_ID_HEADER } from './email.channel.js';

const message: OutgoingMessage = {
  id: 'ntf:01J0ABC/escalation-2',
  title: 'Escalation level 2: blocked fire exit',
  text: 'Problem P-7 escalated to level 2.',
  markdown: '**P-7** escalated',
  html: '<p>Problem <b>P-7</b> escalated to level 2.</p>',
  link: 'https://console.example.org/problems/P-7',
  linkLabel: 'Open problem',
  mentionMobiles: ['13800000001'],
  to: ['head@example.org', 'deputy@example.org'],
  language: 'en',
};

describe(EmailChannel.name, () => {
  it('builds HTML and plain text, the link in the text, a Message-ID derived from the message id', () => {
    expect(buildEmail({ smtpUrl: 'smtp://mail.example.org:587', from: 'Rectification <desk@Example.org>' }, message)).toEqual({
      from: 'Rectification <desk@Example.org>',
      to: ['head@example.org', 'deputy@example.org'],
      subject: 'Escalation level 2: blocked fire exit',
      text: 'Problem P-7 escalated to level 2.\n\nOpen problem: https://console.example.org/problems/P-7',
      html: '<p>Problem <b>P-7</b> escalated to level 2.</p>',
      messageId: '<ntf-01J0ABC-escalation-2@example.org>',
      headers: { [MESSAGE_ID_HEADER]: 'ntf:01J0ABC/escalation-2', 'Content-Language': 'en' },
    });
  });

  it('marks Chinese mail as zh-CN and sends the text alone when there is no link', () => {
    const mail = buildEmail({ smtpUrl: 'smtp://mail.example.org', from: 'desk@example.org' }, { ...message, link: null, language: 'zh' });

    expect(mail).toMatchObject({ text: 'Problem P-7 escalated to level 2.', headers: { 'Content-Language': 'zh-CN' }, messageId: '<ntf-01J0ABC-escalation-2@example.org>' });
  });

  it('reports a message without recipients as not sent, without trying', async () => {
    const channel = new EmailChannel();

    const result = await channel.send({ smtpUrl: 'smtp://127.0.0.1:1', from: 'desk@example.org' }, { ...message, to: [] }, new Date());

    expect(result).toMatchObject({ delivered: false, retryable: false, detail: 'email not sent: no recipient address' });
    channel.close();
  });
});
