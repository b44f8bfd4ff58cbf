export const CHANNEL_KINDS = ['email', 'dingtalk', 'feishu', 'wecom'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export type RobotKind = Exclude<ChannelKind, 'email'>;

/** A message rendered for sending; adapters pick the parts their format uses. */
export interface OutgoingMessage {
  /** Deterministic message id (logs; email Message-ID / X-header). */
  id: string;
  title: string;
  /** Plain text body. */
  text: string;
  /** Markdown body for robots (DingTalk/WeCom markdown, Feishu lark_md). */
  markdown: string;
  /** HTML body for email. */
  html: string;
  /** Console link of the problem (or of a list, for digests); null when none. */
  link: string | null;
  /** Label of the link button, in the recipient's language (e.g. 查看问题 / Open problem). */
  linkLabel: string;
  /** Robots: mobile numbers to @-mention. */
  mentionMobiles: string[];
  /** Email: recipient addresses. */
  to: string[];
  /** 'zh' | 'en' */
  language: 'zh' | 'en';
}
/** Where a robot message goes: the robot's webhook URL and, when the robot signs (加签), its secret. */
export interface RobotTarget { webhookUrl: string; secret: string | null }
/** An SMTP server: `smtp://user:pass@host:port` or `smtps://…`, and the From address. */
export interface EmailTarget { smtpUrl: string; from: string }

export interface SendResult {
  delivered: boolean;
  /** Worth trying again later (network error, 5xx, vendor rate limit, vendor "system busy"). Bad config (wrong key, bad signature) is not. */
  retryable: boolean;
  /** The vendor said we send too fast (DingTalk 130101, Feishu 11232, WeCom 45009) — the caller backs off the whole robot. */
  rateLimited: boolean;
  statusCode: number | null;
  /** The vendor's own code as text ('0', '130101', '19021', SMTP reply code '250' …), null when no answer. */
  vendorCode: string | null;
  /** What happened, for the delivery log, a person can act on it: e.g. "DingTalk 310000: signature mismatch or keyword missing — check the robot's 加签 secret". Max 500 chars. */
  detail: string;
  durationMs: number;
}
export interface ChannelAdapter<Target> {
  readonly kind: ChannelKind;
  send(target: Target, message: OutgoingMessage, now: Date): Promise<SendResult>;
}
