import { createHmac } from 'node:crypto';
import type { WebhookConnection } from '#events';
import type { ChannelAdapter, OutgoingMessage, RobotTarget, SendResult } from './channel.js';
import {
  DEFAULT_ROBOT_OPTIONS,
  type RobotChannelOptions,
  type RobotRequest,
  type RobotVendor,
  sendRobotRequest,
  truncateUtf8,
  type VendorAnswer,
  type VendorCodeMeaning,
} from './robot-request.js';

/**
 * Feishu custom bot (自定义机器人) answer codes, `{code, msg}` (older bots also, or only, `StatusCode`):
 *
 * | code  | msg (as Feishu writes it)                                                  | retry             |
 * | ----- | -------------------------------------------------------------------------- | ----------------- |
 * | 0     | success                                                                    | —                 |
 * | 9499  | Bad Request (the body is not a message Feishu understands)                 | no                |
 * | 11232 | frequency limited (the bot sends more than its 100 a minute / 5 a second)   | yes, rate limited |
 * | 19001 | param invalid: incoming webhook access token invalid                        | no                |
 * | 19021 | sign match fail or timestamp is not within one hour from current time      | no                |
 * | 19022 | Ip Not Allowed (the bot's IP whitelist)                                     | no                |
 * | 19024 | Key Words Not Found (the bot's custom keywords)                             | no                |
 *
 * Sources: Feishu's custom bot guide (error section) and answers quoted in issue threads
 * (e.g. PrometheusAlert #422 for 19021).
 */
const CODES: Readonly<Record<string, VendorCodeMeaning>> = {
  '9499': { meaning: 'Feishu could not read the message (bad request)', retryable: false },
  '11232': { meaning: 'sending too fast, frequency limited by Feishu', retryable: true, rateLimited: true },
  '19001': { meaning: "webhook token invalid — check the bot's webhook URL", retryable: false },
  '19021': { meaning: "signature mismatch or timestamp more than an hour off — check the bot's signing secret (签名校验) and the server's clock", retryable: false },
  '19022': { meaning: "this server's address is not in the bot's IP whitelist", retryable: false },
  '19024': { meaning: "keyword missing — the bot's custom keywords must appear in every message", retryable: false },
};

const FEISHU: RobotVendor = {
  name: 'Feishu',
  read(answer: unknown): VendorAnswer | null {
    if (typeof answer !== 'object' || answer === null) return null;
    const { code, msg, StatusCode, StatusMessage } = answer as Record<string, unknown>;
    const value = typeof code === 'number' || typeof code === 'string' ? code : StatusCode;
    if (typeof value !== 'number' && typeof value !== 'string') return null;
    const message = typeof msg === 'string' ? msg : typeof StatusMessage === 'string' ? StatusMessage : '';
    return { code: String(value), message };
  },
  interpret: ({ code }) => CODES[code] ?? null,
};

/**
 * Feishu's signature: `base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = ""))`, timestamp in seconds.
 * (The key and the message are the other way round from DingTalk's.)
 */
export function feishuSignature(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/** Feishu refuses cards over 30 KB of JSON; the body is cut well below that. */
const MARKDOWN_LIMIT = 20_000;

/**
 * An interactive card: the title as header, the markdown body as a lark_md div, the link as a button. Feishu custom
 * bots can @ only by open_id/user_id (or everyone), never by mobile number, so `mentionMobiles` is not used.
 */
export function buildFeishuRequest(target: RobotTarget, message: OutgoingMessage, now: Date): RobotRequest {
  const elements: unknown[] = [{ tag: 'div', text: { tag: 'lark_md', content: truncateUtf8(message.markdown, MARKDOWN_LIMIT) } }];
  if (message.link) {
    elements.push({
      tag: 'action',
      actions: [{ tag: 'button', text: { tag: 'plain_text', content: message.linkLabel }, type: 'primary', url: message.link }],
    });
  }
  const card = {
    config: { wide_screen_mode: true },
    header: { title: { tag: 'plain_text', content: message.title } },
    elements,
  };
  const signature: Record<string, string> = {};
  if (target.secret) {
    const timestamp = Math.floor(now.getTime() / 1000);
    signature.timestamp = String(timestamp);
    signature.sign = feishuSignature(target.secret, timestamp);
  }
  return { url: target.webhookUrl, body: { ...signature, msg_type: 'interactive', card } };
}

/** Feishu custom bot (飞书自定义机器人). */
export class FeishuChannel implements ChannelAdapter<RobotTarget> {
  readonly kind = 'feishu' as const;

  constructor(
    private readonly connection: WebhookConnection,
    private readonly options: RobotChannelOptions = DEFAULT_ROBOT_OPTIONS,
  ) {}

  send(target: RobotTarget, message: OutgoingMessage, now: Date): Promise<SendResult> {
    return sendRobotRequest(FEISHU, buildFeishuRequest(target, message, now), this.connection, this.options);
  }
}
