import { simpleParser, type ParsedMail } from 'mailparser';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on loopback (smtp-server), keeping what it receives. */
export interface Inbox {
  port: number;
  received: ParsedMail[];
  close(): Promise<void>;
}

export async function smtpInbox(): Promise<Inbox> {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'desk' && auth.password === 's3cret') callback(null, { user: 'desk' });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          received.push(parsed);
          callback(null, 'Ok: queued');
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** One robot message as a receiver took it: when the sender stamped it (ms), and the markdown it carried. */
export interface RobotDelivery {
  timestampMs: number;
  title: string;
  text: string;
  atMobiles: string[];
}

/**
 * A DingTalk custom robot on loopback, as DingTalk documents it: the 加签 signature is checked here with its own
 * HMAC (sign = urlEncode(base64(HMAC-SHA256(secret, timestamp + "\n" + secret)))); more than `perMinute`
 * messages in any 60 s of the senders' timestamps is answered with 130101, as DingTalk does, and counted.
 */
export interface DingTalkRobot {
  url: string;
  secret: string;
  accepted: RobotDelivery[];
  refusedTooFast: number;
  badSignatures: number;
  close(): Promise<void>;
}

export async function dingTalkRobot(secret: string, perMinute = 20): Promise<DingTalkRobot> {
  const robot: DingTalkRobot = { url: '', secret, accepted: [], refusedTooFast: 0, badSignatures: 0, close: async () => undefined };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const timestamp = url.searchParams.get('timestamp') ?? '';
      const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
      const answer = (body: object) => {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (url.searchParams.get('access_token') !== 'robot-token' || url.searchParams.get('sign') !== expected) {
        robot.badSignatures += 1;
        return answer({ errcode: 310000, errmsg: 'sign not match' });
      }
      const at = Number(timestamp);
      const inWindow = robot.accepted.filter((delivery) => delivery.timestampMs > at - 60_000 && delivery.timestampMs <= at).length;
      if (inWindow >= perMinute) {
        robot.refusedTooFast += 1;
        return answer({ errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' });
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { markdown: { title: string; text: string }; at?: { atMobiles?: string[] } };
      robot.accepted.push({ timestampMs: at, title: body.markdown.title, text: body.markdown.text, atMobiles: body.at?.atMobiles ?? [] });
      answer({ errcode: 0, errmsg: 'ok' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  robot.url = `http://127.0.0.1:${port}/robot/send?access_token=robot-token`;
  robot.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return robot;
}
