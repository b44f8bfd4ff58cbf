import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { DnsWebhookHostResolver, guardedLookup, postForAnswer, type WebhookConnection, WebhookTargetPolicy } from '#events';
import type { OutgoingMessage, SendResult } from '../../libs/notify/src/channels/channel.js';
import { DingTalkChannel } from '../../libs/notify/src/channels/dingtalk.channel.js';
import { EmailChannel } from '../../libs/notify/src/channels/email.channel.js';
import { FeishuChannel } from '../../libs/notify/src/channels/feishu.channel.js';
import { WeComChannel } from '../../libs/notify/src/channels/wecom.channel.js';

const message: OutgoingMessage = {
  id: 'ntf-01J0ABCDEF-escalation-2',
  title: '督办：消防通道堵塞 已升级至第 2 级',
  text: '问题 P-7（消防通道堵塞）已逾期 3 个工作日，升级至第 2 级。',
  markdown: '### 督办\n问题 **P-7**（消防通道堵塞）已逾期 3 个工作日，升级至第 2 级。',
  html: '<h3>督办</h3><p>问题 <b>P-7</b>（消防通道堵塞）已逾期 3 个工作日，升级至第 2 级。</p>',
  link: 'https://console.example.org/problems/P-7',
  linkLabel: '查看问题',
  mentionMobiles: ['13800000001', '13900000002'],
  to: ['head@facilities.example.org', 'deputy@facilities.example.org'],
  language: 'zh',
};

/** A connection as the notifier builds one, with loopback allowed the way a deployment lists its own network. */
function connectionFor(policy: WebhookTargetPolicy): WebhookConnection {
  return {
    policy,
    lookup: guardedLookup(new DnsWebhookHostResolver(), policy),
    agents: { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) },
  };
}

const loopback = connectionFor(new WebhookTargetPolicy(['127.0.0.1/32']));

interface Receiver {
  url: string;
  requests: Array<{ url: URL; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

type Answer = { status?: number; body: unknown };

/** A loopback HTTP receiver; `answer` sees the parsed request and decides, as the vendor's server would. */
async function receiver(answer: (url: URL, body: Record<string, unknown>, headers: http.IncomingHttpHeaders) => Answer | null): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      requests.push({ url, body });
      const decided = answer(url, body, request.headers);
      if (!decided) return; // never answers
      response.writeHead(decided.status ?? 200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(decided.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Counts requests in the current minute, as the vendors' limits do. */
function perMinute(limit: number): () => boolean {
  const seen: number[] = [];
  return () => {
    const now = Date.now();
    while (seen.length > 0 && seen[0] <= now - 60_000) seen.shift();
    seen.push(now);
    return seen.length > limit;
  };
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function equalText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

afterAll(() => {
  loopback.agents.http.destroy();
  loopback.agents.https.destroy();
});

describe('DingTalk custom robot, against a receiver checking 加签 as DingTalk documents it', () => {
  const ACCESS_TOKEN = 'a1b2c3d4e5f6';
  const SECRET = 'SEC5b9c7e2a0f4d6b8c1e3a5f7d9b2c4e6a8f0d1b3c5e7a9f2d4b6c8e0a1f3d5b7c9';
  let robot: Receiver;
  let tooFast: () => boolean;

  beforeAll(async () => {
    robot = await receiver((url, body, headers) => {
      if (!String(headers['content-type']).startsWith('application/json')) return { body: { errcode: 43004, errmsg: '无效的HTTP HEADER Content-Type' } };
      if (url.searchParams.get('access_token') !== ACCESS_TOKEN) return { body: { errcode: 300001, errmsg: 'token is not exist' } };
      const timestamp = url.searchParams.get('timestamp') ?? '';
      const sign = url.searchParams.get('sign') ?? '';
      // DingTalk: the timestamp may be at most one hour from the server's time.
      if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() - Number(timestamp)) > 3_600_000) return { body: { errcode: 310000, errmsg: 'invalid timestamp' } };
      const expected = createHmac('sha256', SECRET).update(`${timestamp}\n${SECRET}`).digest('base64');
      // searchParams has already undone the URL encoding, as DingTalk's server does.
      if (!equalText(sign, expected)) return { body: { errcode: 310000, errmsg: 'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]' } };
      if (tooFast()) return { body: { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' } };
      const markdown = body.markdown as { title: string; text: string };
      const at = body.at as { atMobiles: string[] };
      if (body.msgtype !== 'markdown' || !markdown.title || !at.atMobiles.every((mobile) => markdown.text.includes(`@${mobile}`))) {
        return { body: { errcode: 40035, errmsg: '缺少参数 json' } };
      }
      return { body: { errcode: 0, errmsg: 'ok' } };
    });
  });
  afterAll(() => robot.close());
  afterEach(() => {
    robot.requests.length = 0;
  });

  const target = () => ({ webhookUrl: `${robot.url}/robot/send?access_token=${ACCESS_TOKEN}`, secret: SECRET });

  it('delivers a signed markdown message that @-mentions by mobile', async () => {
    // given
    tooFast = perMinute(100);
    const channel = new DingTalkChannel(loopback);

    // when
    const result = await channel.send(target(), message, new Date());

    // then
    expect(result).toMatchObject({ delivered: true, retryable: false, rateLimited: false, statusCode: 200, vendorCode: '0' });
    expect(robot.requests).toHaveLength(1);
    const [{ body }] = robot.requests;
    expect(body).toMatchObject({ msgtype: 'markdown', markdown: { title: message.title }, at: { atMobiles: ['13800000001', '13900000002'], isAtAll: false } });
    expect((body.markdown as { text: string }).text).toContain('[查看问题](https://console.example.org/problems/P-7)');
  });

  it('is refused on a wrong secret, not retried, and says to check 加签', async () => {
    tooFast = perMinute(100);

    const result = await new DingTalkChannel(loopback).send({ ...target(), secret: 'SECwrong' }, message, new Date());

    expect(result).toMatchObject({ delivered: false, retryable: false, rateLimited: false, vendorCode: '310000' });
    expect(result.detail).toMatch(/^DingTalk 310000: signature mismatch — check the robot's 加签 secret \(sign not match/);
  });

  it('is refused when the clock is more than an hour off', async () => {
    tooFast = perMinute(100);

    const result = await new DingTalkChannel(loopback).send(target(), message, new Date(Date.now() - 2 * 3_600_000));

    expect(result).toMatchObject({ delivered: false, retryable: false, vendorCode: '310000' });
    expect(result.detail).toContain("check the server's clock");
  });

  it('reports an unknown access_token as configuration, not to be retried', async () => {
    tooFast = perMinute(100);

    const result = await new DingTalkChannel(loopback).send({ ...target(), webhookUrl: `${robot.url}/robot/send?access_token=nope` }, message, new Date());

    expect(result).toMatchObject({ delivered: false, retryable: false, vendorCode: '300001' });
    expect(result.detail).toContain("check the robot's webhook URL");
    expect(result.detail).not.toContain('nope');
  });

  it('reports 130101 as rate limited once the robot is over its limit for the minute', async () => {
    // given: a robot that takes 3 a minute
    tooFast = perMinute(3);
    const channel = new DingTalkChannel(loopback);

    // when
    const results: SendResult[] = [];
    for (let sent = 0; sent < 5; sent += 1) results.push(await channel.send(target(), message, new Date()));

    // then
    expect(results.map((result) => result.delivered)).toEqual([true, true, true, false, false]);
    expect(results[3]).toMatchObject({ retryable: true, rateLimited: true, vendorCode: '130101' });
    expect(results[3].detail).toContain('DingTalk 130101: sending too fast');
  });
});

describe('Feishu custom bot, against a receiver checking the signature as Feishu documents it', () => {
  const SECRET = 'fs-9Qw3Er5Ty7Ui9Op1As3Df5';
  let bot: Receiver;
  let tooFast: () => boolean;

  beforeAll(async () => {
    bot = await receiver((url, body) => {
      if (url.pathname !== '/open-apis/bot/v2/hook/hook-0001') return { status: 404, body: { code: 19001, msg: 'param invalid: incoming webhook access token invalid' } };
      const timestamp = String(body.timestamp ?? '');
      const sign = String(body.sign ?? '');
      // Feishu: key = timestamp + "\n" + secret, an empty message; the timestamp (seconds) within an hour.
      const expected = createHmac('sha256', `${timestamp}\n${SECRET}`).update('').digest('base64');
      const fresh = /^\d+$/.test(timestamp) && Math.abs(Date.now() / 1000 - Number(timestamp)) <= 3600;
      if (!fresh || !equalText(sign, expected)) {
        return { body: { code: 19021, data: {}, msg: 'sign match fail or timestamp is not within one hour from current time' } };
      }
      if (tooFast()) return { body: { code: 11232, data: {}, msg: 'frequency limited psm[lark.oapi.app_platform_runtime]appID[1]' } };
      const card = body.card as { header?: { title?: { content?: string } }; elements?: Array<{ tag: string }> };
      if (body.msg_type !== 'interactive' || !card.header?.title?.content || !card.elements?.some((element) => element.tag === 'div')) {
        return { body: { code: 9499, data: {}, msg: 'Bad Request' } };
      }
      return { body: { StatusCode: 0, StatusMessage: 'success', code: 0, data: {}, msg: 'success' } };
    });
  });
  afterAll(() => bot.close());
  afterEach(() => {
    bot.requests.length = 0;
  });

  const target = () => ({ webhookUrl: `${bot.url}/open-apis/bot/v2/hook/hook-0001`, secret: SECRET });

  it('delivers a signed interactive card with a button to the problem', async () => {
    tooFast = perMinute(100);

    const result = await new FeishuChannel(loopback).send(target(), message, new Date());

    expect(result).toMatchObject({ delivered: true, retryable: false, rateLimited: false, statusCode: 200, vendorCode: '0' });
    const [{ body }] = bot.requests;
    expect(body).toMatchObject({ msg_type: 'interactive', card: { header: { title: { content: message.title } } } });
    expect(JSON.stringify(body)).toContain('"url":"https://console.example.org/problems/P-7"');
  });

  it('is refused with 19021 on a wrong secret, not retried', async () => {
    tooFast = perMinute(100);

    const result = await new FeishuChannel(loopback).send({ ...target(), secret: 'wrong' }, message, new Date());

    expect(result).toMatchObject({ delivered: false, retryable: false, rateLimited: false, vendorCode: '19021' });
    expect(result.detail).toMatch(/^Feishu 19021: signature mismatch or timestamp more than an hour off/);
  });

  it('reports 11232 as rate limited once over the limit', async () => {
    tooFast = perMinute(2);
    const channel = new FeishuChannel(loopback);

    const results: SendResult[] = [];
    for (let sent = 0; sent < 3; sent += 1) results.push(await channel.send(target(), message, new Date()));

    expect(results.map((result) => result.delivered)).toEqual([true, true, false]);
    expect(results[2]).toMatchObject({ retryable: true, rateLimited: true, vendorCode: '11232' });
  });

  it('reads a vendor code from a non-2xx answer but judges the retry by the status', async () => {
    tooFast = perMinute(100);

    const result = await new FeishuChannel(loopback).send({ ...target(), webhookUrl: `${bot.url}/open-apis/bot/v2/hook/other` }, message, new Date());

    expect(result).toMatchObject({ delivered: false, retryable: false, statusCode: 404, vendorCode: '19001' });
    expect(result.detail).toContain('Feishu answered HTTP 404 19001');
  });
});

describe('WeCom group robot, against a receiver checking the key in the URL', () => {
  const KEY = '693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa';
  let robot: Receiver;
  let tooFast: () => boolean;

  beforeAll(async () => {
    robot = await receiver((url) => {
      if (url.searchParams.get('key') !== KEY) {
        return { body: { errcode: 93000, errmsg: 'invalid webhook url, hint: [1755605200056773468916791], more info at https://open.work.weixin.qq.com/devtool/query?e=93000' } };
      }
      if (tooFast()) return { body: { errcode: 45009, errmsg: 'api freq out of limit' } };
      return { body: { errcode: 0, errmsg: 'ok' } };
    });
  });
  afterAll(() => robot.close());
  afterEach(() => {
    robot.requests.length = 0;
  });

  const target = (key = KEY) => ({ webhookUrl: `${robot.url}/cgi-bin/webhook/send?key=${key}`, secret: null });

  it('delivers; mentions go as text with mentioned_mobile_list', async () => {
    tooFast = perMinute(100);
    const channel = new WeComChannel(loopback);

    const mentioning = await channel.send(target(), message, new Date());
    const plain = await channel.send(target(), { ...message, mentionMobiles: [] }, new Date());

    expect(mentioning).toMatchObject({ delivered: true, vendorCode: '0' });
    expect(plain).toMatchObject({ delivered: true, vendorCode: '0' });
    expect(robot.requests.map(({ body }) => body.msgtype)).toEqual(['text', 'markdown']);
    expect(robot.requests[0].body.text).toMatchObject({ mentioned_mobile_list: ['13800000001', '13900000002'] });
  });

  it('reports 93000 for a wrong key, not retried, without writing the key into the log', async () => {
    tooFast = perMinute(100);

    const result = await new WeComChannel(loopback).send(target('leaked-key-000'), message, new Date());

    expect(result).toMatchObject({ delivered: false, retryable: false, vendorCode: '93000' });
    expect(result.detail).toMatch(/^WeCom 93000: invalid webhook URL/);
    expect(result.detail).not.toContain('leaked-key-000');
  });

  it('reports 45009 as rate limited', async () => {
    tooFast = perMinute(1);
    const channel = new WeComChannel(loopback);

    await channel.send(target(), message, new Date());
    const result = await channel.send(target(), message, new Date());

    expect(result).toMatchObject({ delivered: false, retryable: true, rateLimited: true, vendorCode: '45009' });
  });
});

describe('Robot transport failures', () => {
  const target = (url: string) => ({ webhookUrl: url, secret: null });

  it('refuses a loopback target under the default policy, without sending, naming WEBHOOK_ALLOWED_TARGETS', async () => {
    // given: a receiver that would accept, and a policy with no allow-list
    const robot = await receiver(() => ({ body: { errcode: 0, errmsg: 'ok' } }));
    const strict = connectionFor(new WebhookTargetPolicy([]));
    try {
      // when: by IP literal, and by a name that resolves to loopback
      const byAddress = await new WeComChannel(strict).send(target(`${robot.url}/cgi-bin/webhook/send?key=k`), message, new Date());
      const byName = await new DingTalkChannel(strict).send(target(`${robot.url.replace('127.0.0.1', 'localhost')}/robot/send?access_token=t`), message, new Date());

      // then
      for (const result of [byAddress, byName]) {
        expect(result).toMatchObject({ delivered: false, retryable: false, rateLimited: false, statusCode: null, vendorCode: null });
        expect(result.detail).toContain('is not allowed (loopback');
        expect(result.detail).toContain('WEBHOOK_ALLOWED_TARGETS');
      }
      expect(robot.requests).toHaveLength(0);
    } finally {
      strict.agents.http.destroy();
      await robot.close();
    }
  });

  it('retries a 5xx or 429 answer, not a 4xx one', async () => {
    let status = 503;
    const robot = await receiver(() => ({ status, body: { message: 'upstream' } }));
    try {
      const channel = new DingTalkChannel(loopback);
      const url = `${robot.url}/robot/send?access_token=t`;

      const unavailable = await channel.send(target(url), message, new Date());
      status = 429;
      const throttled = await channel.send(target(url), message, new Date());
      status = 400;
      const bad = await channel.send(target(url), message, new Date());

      expect(unavailable).toMatchObject({ delivered: false, retryable: true, rateLimited: false, statusCode: 503, vendorCode: null, detail: 'DingTalk answered HTTP 503' });
      expect(throttled).toMatchObject({ delivered: false, retryable: true, rateLimited: true, statusCode: 429 });
      expect(bad).toMatchObject({ delivered: false, retryable: false, statusCode: 400 });
    } finally {
      await robot.close();
    }
  });

  it('retries when nobody listens, or nobody answers in time', async () => {
    const silent = await receiver(() => null);
    try {
      const refused = await new FeishuChannel(loopback).send(target(`http://127.0.0.1:${await closedPort()}/open-apis/bot/v2/hook/x`), message, new Date());
      const timedOut = await new FeishuChannel(loopback, { timeoutMs: 300 }).send(target(`${silent.url}/open-apis/bot/v2/hook/x`), message, new Date());

      expect(refused).toMatchObject({ delivered: false, retryable: true, statusCode: null, vendorCode: null });
      expect(refused.detail).toMatch(/^Feishu robot unreachable: .*ECONNREFUSED/);
      expect(timedOut).toMatchObject({ delivered: false, retryable: true, statusCode: null });
      expect(timedOut.detail).toBe('Feishu robot unreachable: no answer within 300 ms');
    } finally {
      await silent.close();
    }
  });

  it('does not retry a code it does not know, and names it', async () => {
    const robot = await receiver(() => ({ body: { errcode: 777777, errmsg: 'something new' } }));
    try {
      const result = await new WeComChannel(loopback).send(target(`${robot.url}/cgi-bin/webhook/send?key=k`), message, new Date());

      expect(result).toMatchObject({ delivered: false, retryable: false, rateLimited: false, vendorCode: '777777' });
      expect(result.detail).toBe('WeCom 777777: something new (a code this adapter does not know; not retried)');
    } finally {
      await robot.close();
    }
  });
});

describe(postForAnswer.name, () => {
  /** A raw receiver: `respond` writes whatever it likes once the request is read. */
  async function rawReceiver(respond: (response: http.ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
    const server = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => respond(response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/`,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }
  const post = (url: string, timeoutMs = 2000) => ({ url, headers: { 'Content-Type': 'application/json' }, body: '{}', timeoutMs });

  it('reads the answer up to the limit and cuts the rest', async () => {
    const peer = await rawReceiver((response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end('x'.repeat(200 * 1024));
    });
    try {
      const answer = await postForAnswer(post(peer.url), loopback, 1024);

      expect(answer.statusCode).toBe(200);
      expect(answer.body).toBe('x'.repeat(1024));
    } finally {
      await peer.close();
    }
  });

  it('counts reading the answer in the timeout', async () => {
    // given: a peer that sends its status and then stalls
    const peer = await rawReceiver((response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.write('{"errcode":');
    });
    try {
      await expect(postForAnswer(post(peer.url, 300), loopback)).rejects.toThrow('no answer within 300 ms');
    } finally {
      await peer.close();
    }
  });
});

describe('Email over SMTP, against a real SMTP server on loopback', () => {
  interface Inbox {
    port: number;
    received: ParsedMail[];
    envelopes: Array<{ from: string; to: string[] }>;
    close(): Promise<void>;
  }

  /** An SMTP server that requires AUTH; `refuse` may reject a recipient or the data with an SMTP code. */
  async function smtpServer(refuse: { rcpt?: number; data?: number } = {}): Promise<Inbox> {
    const received: ParsedMail[] = [];
    const envelopes: Inbox['envelopes'] = [];
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === 'desk' && auth.password === 's3cret') callback(null, { user: 'desk' });
        else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onRcptTo(_address, _session, callback) {
        if (refuse.rcpt) callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: refuse.rcpt }));
        else callback();
      },
      onData(stream, session, callback) {
        simpleParser(stream).then(
          (parsed) => {
            if (refuse.data) return callback(Object.assign(new Error('Try again later'), { responseCode: refuse.data }));
            received.push(parsed);
            envelopes.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((recipient) => recipient.address),
            });
            callback(null, 'Ok: queued as T1');
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.server.address() as AddressInfo;
    return { port, received, envelopes, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  const from = 'Rectification desk <desk@example.org>';

  it('delivers HTML and plain text with From, To, Subject and the Message-ID from the message id', async () => {
    // given
    const inbox = await smtpServer();
    const channel = new EmailChannel();
    try {
      // when
      const result = await channel.send({ smtpUrl: `smtp://desk:s3cret@127.0.0.1:${inbox.port}`, from }, message, new Date());

      // then
      expect(result).toMatchObject({ delivered: true, retryable: false, vendorCode: '250' });
      expect(result.detail).toContain('Ok: queued as T1');
      expect(inbox.envelopes).toEqual([{ from: 'desk@example.org', to: ['head@facilities.example.org', 'deputy@facilities.example.org'] }]);
      const [mail] = inbox.received;
      expect(mail.from?.value).toEqual([{ address: 'desk@example.org', name: 'Rectification desk' }]);
      const to = Array.isArray(mail.to) ? mail.to.flatMap((entry) => entry.value) : (mail.to?.value ?? []);
      expect(to.map((entry) => entry.address)).toEqual(['head@facilities.example.org', 'deputy@facilities.example.org']);
      expect(mail.subject).toBe(message.title);
      expect(mail.text?.trim()).toBe(`${message.text}\n\n查看问题: https://console.example.org/problems/P-7`);
      expect(mail.html).toBe(message.html);
      expect(mail.messageId).toBe('<ntf-01J0ABCDEF-escalation-2@example.org>');
      expect(mail.headers.get('x-rectification-message-id')).toBe(message.id);
    } finally {
      channel.close();
      await inbox.close();
    }
  });

  it('does not retry a 550 (permanent) refusal', async () => {
    const inbox = await smtpServer({ rcpt: 550 });
    const channel = new EmailChannel();
    try {
      const result = await channel.send({ smtpUrl: `smtp://desk:s3cret@127.0.0.1:${inbox.port}`, from }, message, new Date());

      expect(result).toMatchObject({ delivered: false, retryable: false, rateLimited: false, vendorCode: '550' });
      expect(result.detail).toMatch(/^SMTP 550/);
      expect(result.detail).toContain('(permanent)');
      expect(inbox.received).toHaveLength(0);
    } finally {
      channel.close();
      await inbox.close();
    }
  });

  it('retries a 451 (temporary) refusal', async () => {
    const inbox = await smtpServer({ data: 451 });
    const channel = new EmailChannel();
    try {
      const result = await channel.send({ smtpUrl: `smtp://desk:s3cret@127.0.0.1:${inbox.port}`, from }, message, new Date());

      expect(result).toMatchObject({ delivered: false, retryable: true, vendorCode: '451' });
    } finally {
      channel.close();
      await inbox.close();
    }
  });

  it('does not retry a refused login, and says to check the credentials', async () => {
    const inbox = await smtpServer();
    const channel = new EmailChannel();
    try {
      const result = await channel.send({ smtpUrl: `smtp://desk:wrong@127.0.0.1:${inbox.port}`, from }, message, new Date());

      expect(result).toMatchObject({ delivered: false, retryable: false, vendorCode: '535' });
      expect(result.detail).toContain('check the user and password in the SMTP URL');
      expect(result.detail).not.toContain('wrong');
    } finally {
      channel.close();
      await inbox.close();
    }
  });

  it('retries when the SMTP port is closed', async () => {
    const channel = new EmailChannel();
    try {
      const result = await channel.send({ smtpUrl: `smtp://desk:s3cret@127.0.0.1:${await closedPort()}`, from }, message, new Date());

      expect(result).toMatchObject({ delivered: false, retryable: true, statusCode: null, vendorCode: null });
      expect(result.detail).toMatch(/^SMTP server unreachable: .*ECONNREFUSED/);
    } finally {
      channel.close();
    }
  });
});
