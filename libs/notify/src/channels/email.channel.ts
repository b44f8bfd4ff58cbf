import nodemailer, { type NodemailerError, type SendMailOptions, type SMTPPoolOptions, type Transporter } from 'nodemailer';
import { performance } from 'node:perf_hooks';
import type { ChannelAdapter, EmailTarget, OutgoingMessage, SendResult } from './channel.js';

export interface EmailChannelOptions {
  /** Waiting for the TCP (or TLS) connection. */
  connectionTimeoutMs: number;
  /** Waiting for the server's greeting once connected. */
  greetingTimeoutMs: number;
  /** Silence on an open connection before it is given up. */
  socketTimeoutMs: number;
  /** Connections kept open per SMTP server. */
  maxConnections: number;
}

export const DEFAULT_EMAIL_OPTIONS: EmailChannelOptions = {
  connectionTimeoutMs: 10_000,
  greetingTimeoutMs: 10_000,
  socketTimeoutMs: 30_000,
  maxConnections: 2,
};

/** The header carrying our own message id, so a mail found in a mailbox leads back to the delivery log. */
export const MESSAGE_ID_HEADER = 'X-Rectification-Message-Id';

/** `Problem Desk <desk@example.org>` → `example.org`; `localhost` when no domain is found. */
function domainOf(address: string): string {
  const match = /@([^\s>]+)>?\s*$/.exec(address);
  return match ? match[1].toLowerCase() : 'localhost';
}

/** The mail as nodemailer sends it; the Message-ID comes from our message id, so a resend keeps it. */
export function buildEmail(target: EmailTarget, message: OutgoingMessage): SendMailOptions {
  const localPart = message.id.replace(/[^A-Za-z0-9._-]/g, '-');
  return {
    from: target.from,
    to: message.to,
    subject: message.title,
    text: message.link ? `${message.text}\n\n${message.linkLabel}: ${message.link}` : message.text,
    html: message.html,
    messageId: `<${localPart}@${domainOf(target.from)}>`,
    headers: { [MESSAGE_ID_HEADER]: message.id, 'Content-Language': message.language === 'zh' ? 'zh-CN' : 'en' },
  };
}

/** Socket-level failures (no SMTP answer at all): the server may be back later. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

const DETAIL_LIMIT = 500;

function clip(detail: string): string {
  return detail.length <= DETAIL_LIMIT ? detail : `${detail.slice(0, DETAIL_LIMIT - 1)}…`;
}

/**
 * Email over SMTP with nodemailer: HTML and plain text, one pooled transport per SMTP server. An SMTP 4xx reply is
 * temporary (tried again), a 5xx reply permanent; no reply at all (refused, timed out) is tried again.
 */
export class EmailChannel implements ChannelAdapter<EmailTarget> {
  readonly kind = 'email' as const;
  private readonly transports = new Map<string, Transporter>();

  constructor(private readonly options: EmailChannelOptions = DEFAULT_EMAIL_OPTIONS) {}

  async send(target: EmailTarget, message: OutgoingMessage, _now: Date): Promise<SendResult> {
    const started = performance.now();
    const finish = (result: Omit<SendResult, 'durationMs'>): SendResult => ({
      ...result,
      detail: clip(result.detail),
      durationMs: Math.round(performance.now() - started),
    });
    if (message.to.length === 0) {
      return finish({ delivered: false, retryable: false, rateLimited: false, statusCode: null, vendorCode: null, detail: 'email not sent: no recipient address' });
    }
    try {
      const info = await this.transport(target.smtpUrl).sendMail(buildEmail(target, message));
      const response = String(info.response ?? '');
      const rejected = (info.rejected ?? []).map(String);
      return finish({
        delivered: true,
        retryable: false,
        rateLimited: false,
        statusCode: null,
        vendorCode: /^\d{3}/.exec(response)?.[0] ?? null,
        detail: `SMTP accepted the message: ${response}${rejected.length > 0 ? `; refused recipients: ${rejected.join(', ')}` : ''}`,
      });
    } catch (caught) {
      return finish(this.failure(caught as NodemailerError));
    }
  }

  /** Closes every pooled connection (on shutdown). */
  close(): void {
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
  }

  private failure(error: NodemailerError): Omit<SendResult, 'durationMs'> {
    const base = { delivered: false, rateLimited: false, statusCode: null };
    if (typeof error.responseCode === 'number') {
      const code = error.responseCode;
      const temporary = code >= 400 && code < 500;
      const hint = error.code === 'EAUTH' ? ' — check the user and password in the SMTP URL' : temporary ? ' (temporary, tried again)' : ' (permanent)';
      return {
        ...base,
        retryable: temporary,
        vendorCode: String(code),
        detail: `SMTP ${code}${error.command ? ` after ${error.command}` : ''}: ${error.response ?? error.message}${hint}`,
      };
    }
    const code = error.originalCode ?? error.code ?? '';
    const transient = TRANSIENT_CODES.has(code) || TRANSIENT_CODES.has(error.code ?? '');
    const reason = code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
    return {
      ...base,
      retryable: transient,
      vendorCode: null,
      detail: transient ? `SMTP server unreachable: ${reason}` : `email not sent: ${reason}`,
    };
  }

  private transport(smtpUrl: string): Transporter {
    let transport = this.transports.get(smtpUrl);
    if (!transport) {
      const options: SMTPPoolOptions & { pool: true } = {
        url: smtpUrl,
        pool: true,
        maxConnections: this.options.maxConnections,
        // A message whose connection dropped mid-send is not sent again here: the caller's retry decides.
        maxRequeues: 0,
        connectionTimeout: this.options.connectionTimeoutMs,
        greetingTimeout: this.options.greetingTimeoutMs,
        socketTimeout: this.options.socketTimeoutMs,
      };
      transport = nodemailer.createTransport(options);
      this.transports.set(smtpUrl, transport);
    }
    return transport;
  }
}
