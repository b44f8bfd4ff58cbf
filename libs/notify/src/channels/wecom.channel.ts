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
 * WeCom group robot (企业微信群机器人) answer codes, `{errcode, errmsg}` with HTTP 200:
 *
 * | errcode | meaning                                                                 | retry             |
 * | ------- | ----------------------------------------------------------------------- | ----------------- |
 * | 0       | ok                                                                      | —                 |
 * | -1      | system busy (系统繁忙)                                                   | yes               |
 * | 45009   | api freq out of limit (more than 20 messages a minute)                  | yes, rate limited |
 * | 93000   | invalid webhook url: the key is wrong or the robot was removed          | no                |
 * | 40008   | invalid message type                                                    | no                |
 * | 40058   | invalid parameter, e.g. markdown.content exceeds 4096 bytes             | no                |
 *
 * Sources: WeCom's group robot guide (developer.work.weixin.qq.com, path 91770) and the global error code page;
 * answers quoted in issue threads (e.g. `{"errcode":93000,"errmsg":"invalid webhook url, hint: …"}`).
 */
const CODES: Readonly<Record<string, VendorCodeMeaning>> = {
  '-1': { meaning: 'WeCom is busy; tried again later', retryable: true },
  '45009': { meaning: 'sending too fast (over 20 messages a minute), limited by WeCom', retryable: true, rateLimited: true },
  '93000': { meaning: "invalid webhook URL — the key is wrong or the robot was removed from the group; copy the robot's URL again", retryable: false },
  '40008': { meaning: 'message type refused by WeCom', retryable: false },
  '40058': { meaning: 'WeCom refused a parameter (content too long or empty)', retryable: false },
};

const WECOM: RobotVendor = {
  name: 'WeCom',
  read: readErrcode,
  interpret: ({ code }) => CODES[code] ?? null,
};

/** WeCom counts bytes: markdown.content at most 4096, text.content at most 2048. */
const MARKDOWN_LIMIT = 4096;
const TEXT_LIMIT = 2048;

/**
 * A markdown message; the key in the webhook URL is the credential, there is no signature. WeCom markdown cannot
 * @ anyone by mobile number (`mentioned_mobile_list` belongs to text messages only), so a message that must mention
 * people goes as text instead: the mention matters more than the formatting.
 */
export function buildWeComRequest(target: RobotTarget, message: OutgoingMessage): RobotRequest {
  if (message.mentionMobiles.length > 0) {
    const tail = message.link ? `\n${message.linkLabel}: ${message.link}` : '';
    const content = truncateUtf8(`${message.title}\n${message.text}`, TEXT_LIMIT - Buffer.byteLength(tail)) + tail;
    return { url: target.webhookUrl, body: { msgtype: 'text', text: { content, mentioned_mobile_list: message.mentionMobiles } } };
  }
  const tail = message.link ? `\n[${message.linkLabel}](${message.link})` : '';
  const content = truncateUtf8(`**${message.title}**\n${message.markdown}`, MARKDOWN_LIMIT - Buffer.byteLength(tail)) + tail;
  return { url: target.webhookUrl, body: { msgtype: 'markdown', markdown: { content } } };
}

/** WeCom group robot (企业微信群机器人). */
export class WeComChannel implements ChannelAdapter<RobotTarget> {
  readonly kind = 'wecom' as const;

  constructor(
    private readonly connection: WebhookConnection,
    private readonly options: RobotChannelOptions = DEFAULT_ROBOT_OPTIONS,
  ) {}

  send(target: RobotTarget, message: OutgoingMessage, _now: Date): Promise<SendResult> {
    return sendRobotRequest(WECOM, buildWeComRequest(target, message), this.connection, this.options);
  }
}
