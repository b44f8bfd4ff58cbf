import { createHmac } from 'node:crypto';
import type { WebhookConnection } from '#events';
import type { ChannelAdapter, OutgoingMessage, RobotTarget, SendResult } from './channel.js';
import {
  DEFAULT_ROBOT_OPTIONS,
  readErrcode,
  type RobotChannelOptions,
  type RobotRequest,
  type RobotVendor,
  sendRobotRequest,
  truncateUtf8,
  type VendorCodeMeaning,
} from './robot-request.js';

/**
 * DingTalk custom robot (自定义机器人) answer codes, `{errcode, errmsg}` with HTTP 200:
 *
 * | errcode          | meaning                                                                | retry            |
 * | ---------------- | ---------------------------------------------------------------------- | ---------------- |
 * | 0                | ok                                                                     | —                |
 * | -1               | system busy (系统繁忙)                                                  | yes              |
 * | 130101           | send too fast, more than 20 messages a minute: blocked for 10 minutes   | yes, rate limited |
 * | 410100           | sending too fast, throttled (发送速度太快而限流)                         | yes, rate limited |
 * | 310000           | security setting not met: sign mismatch, stale timestamp, keyword missing or IP not in whitelist (errmsg says which) | no |
 * | 300001, 300005   | access_token does not exist (token is not exist)                        | no               |
 * | 400101           | access_token does not exist                                             | no               |
 * | 400102           | robot disabled (机器人已停用)                                            | no               |
 * | 400106           | robot does not exist                                                    | no               |
 * | 400013           | group dissolved (群已被解散)                                              | no               |
 * | 400105           | unsupported msgtype                                                     | no               |
 * | 40035            | json body missing                                                       | no               |
 * | 43004            | invalid Content-Type header                                             | no               |
 * | 430101..430104   | content refused: unsafe link, text, image or content                    | no               |
 *
 * Sources: DingTalk's "custom robot access" page (error codes section) as quoted by maintained SDKs, and
 * answers seen in issue threads (e.g. `{"errcode":310000,"errmsg":"sign not match"}`).
 */
const CODES: Readonly<Record<string, VendorCodeMeaning>> = {
  '-1': { meaning: 'DingTalk is busy; tried again later', retryable: true },
  '130101': { meaning: 'sending too fast (over 20 messages a minute); DingTalk blocks the robot for 10 minutes', retryable: true, rateLimited: true },
  '410100': { meaning: 'sending too fast, throttled by DingTalk', retryable: true, rateLimited: true },
  '300001': { meaning: "access_token unknown — check the robot's webhook URL", retryable: false },
  '300005': { meaning: "access_token unknown — check the robot's webhook URL", retryable: false },
  '400101': { meaning: "access_token unknown — check the robot's webhook URL", retryable: false },
  '400102': { meaning: 'the robot is disabled — a group admin can enable it again', retryable: false },
  '400106': { meaning: 'the robot no longer exists — add it to the group again and update the webhook URL', retryable: false },
  '400013': { meaning: "the robot's group was dissolved", retryable: false },
  '400105': { meaning: 'message type not supported by DingTalk', retryable: false },
  '40035': { meaning: 'DingTalk did not find the JSON body', retryable: false },
  '43004': { meaning: 'DingTalk refused the Content-Type header', retryable: false },
  '430101': { meaning: 'DingTalk refused the message: it holds a link DingTalk deems unsafe', retryable: false },
  '430102': { meaning: 'DingTalk refused the message text as inappropriate', retryable: false },
  '430103': { meaning: 'DingTalk refused an image in the message as inappropriate', retryable: false },
  '430104': { meaning: 'DingTalk refused the message content as inappropriate', retryable: false },
};

/** 310000 covers every security setting; its errmsg tells which one failed. */
function securityFailure(errmsg: string): VendorCodeMeaning {
  const message = errmsg.toLowerCase();
  const meaning = message.includes('sign')
    ? "signature mismatch — check the robot's 加签 secret"
    : message.includes('timestamp')
      ? "timestamp refused (more than an hour off) — check the server's clock"
      : message.includes('keyword')
        ? "keyword missing — the robot's 自定义关键词 must appear in every message"
        : message.includes('whitelist') || message.includes('ip')
          ? "this server's address is not in the robot's IP whitelist"
          : "signature mismatch or keyword missing — check the robot's 加签 secret and keywords";
  return { meaning, retryable: false };
}

const DINGTALK: RobotVendor = {
  name: 'DingTalk',
  read: readErrcode,
  interpret: ({ code, message }) => (code === '310000' ? securityFailure(message) : (CODES[code] ?? null)),
};

/**
 * 加签: `urlEncode(base64(HMAC-SHA256(key = secret, message = timestamp + "\n" + secret)))`, timestamp in
 * milliseconds. Returned base64 (not yet URL-encoded).
 */
export function dingTalkSignature(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/** DingTalk takes about 20 000 bytes of markdown; longer ones are refused as a whole. */
const MARKDOWN_LIMIT = 18_000;

/** The markdown message: @-mentions must appear as `@mobile` in the text as well as in `at.atMobiles`. */
export function buildDingTalkRequest(target: RobotTarget, message: OutgoingMessage, now: Date): RobotRequest {
  // The link and the mentions are kept whole: only the body is cut when the message is too long.
  const tail = [
    message.link ? `[${message.linkLabel}](${message.link})` : '',
    message.mentionMobiles.map((mobile) => `@${mobile}`).join(' '),
  ]
    .filter((part) => part !== '')
    .map((part) => `\n\n${part}`)
    .join('');
  const text = truncateUtf8(message.markdown, MARKDOWN_LIMIT - Buffer.byteLength(tail)) + tail;
  let url = target.webhookUrl;
  if (target.secret) {
    const timestamp = now.getTime();
    const sign = encodeURIComponent(dingTalkSignature(target.secret, timestamp));
    url += `${url.includes('?') ? '&' : '?'}timestamp=${timestamp}&sign=${sign}`;
  }
  return {
    url,
    body: {
      msgtype: 'markdown',
      markdown: { title: message.title, text },
      at: { atMobiles: message.mentionMobiles, isAtAll: false },
    },
  };
}

/** DingTalk custom robot (钉钉自定义机器人). */
export class DingTalkChannel implements ChannelAdapter<RobotTarget> {
  readonly kind = 'dingtalk' as const;

  constructor(
    private readonly connection: WebhookConnection,
    private readonly options: RobotChannelOptions = DEFAULT_ROBOT_OPTIONS,
  ) {}

  send(target: RobotTarget, message: OutgoingMessage, now: Date): Promise<SendResult> {
    return sendRobotRequest(DINGTALK, buildDingTalkRequest(target, message, now), this.connection, this.options);
  }
}
