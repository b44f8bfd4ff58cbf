import { performance } from 'node:perf_hooks';
import { postForAnswer, TargetNotAllowedError, type WebhookConnection } from '#events';
import type { SendResult } from './channel.js';

/** A robot message as it goes on the wire; built by a pure function of each adapter so specs can read it. */
export interface RobotRequest {
  url: string;
  body: Record<string, unknown>;
}

/** What a vendor's answer code means for the delivery log and for retrying. */
export interface VendorCodeMeaning {
  meaning: string;
  retryable: boolean;
  rateLimited?: boolean;
}

/** The vendor's code and message read from an answer body; null when the body is not the vendor's JSON. */
export interface VendorAnswer {
  code: string;
  message: string;
}

export interface RobotVendor {
  name: 'DingTalk' | 'Feishu' | 'WeCom';
  read(answer: unknown): VendorAnswer | null;
  /** Meaning of a non-zero code; may look at the message when one code covers several causes (DingTalk 310000). */
  interpret(answer: VendorAnswer): VendorCodeMeaning | null;
}

export interface RobotChannelOptions {
  /** Covers connecting, sending and reading the answer. */
  timeoutMs: number;
}

export const DEFAULT_ROBOT_OPTIONS: RobotChannelOptions = { timeoutMs: 10_000 };

const DETAIL_LIMIT = 500;

function clip(detail: string): string {
  return detail.length <= DETAIL_LIMIT ? detail : `${detail.slice(0, DETAIL_LIMIT - 1)}…`;
}

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a character (the vendors count bytes). */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const ellipsis = '…';
  let bytes = Buffer.byteLength(ellipsis);
  let end = 0;
  for (const character of text) {
    const size = Buffer.byteLength(character);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += character.length;
  }
  return text.slice(0, end) + ellipsis;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

/**
 * Sends one robot request through the outbound target policy and turns the answer into a SendResult. The URL is
 * never written into a detail: for WeCom its key is the credential, for DingTalk its access_token.
 */
export async function sendRobotRequest(
  vendor: RobotVendor,
  request: RobotRequest,
  connection: WebhookConnection,
  options: RobotChannelOptions,
): Promise<SendResult> {
  const started = performance.now();
  const finish = (result: Omit<SendResult, 'durationMs' | 'detail'> & { detail: string }): SendResult => ({
    ...result,
    detail: clip(result.detail),
    durationMs: Math.round(performance.now() - started),
  });
  let answer: { statusCode: number; body: string };
  try {
    answer = await postForAnswer(
      {
        url: request.url,
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'rectification-engine-notify' },
        body: JSON.stringify(request.body),
        timeoutMs: options.timeoutMs,
      },
      connection,
    );
  } catch (caught) {
    const failure = caught as Error & { code?: string };
    if (failure instanceof TargetNotAllowedError) {
      // A refused address is configuration, not luck: trying again would be refused again.
      return finish({ delivered: false, retryable: false, rateLimited: false, statusCode: null, vendorCode: null, detail: `${vendor.name} robot not sent: ${failure.message}` });
    }
    const reason = failure.code && !failure.message.includes(failure.code) ? `${failure.code}: ${failure.message}` : failure.message;
    return finish({ delivered: false, retryable: true, rateLimited: false, statusCode: null, vendorCode: null, detail: `${vendor.name} robot unreachable: ${reason}` });
  }

  const { statusCode } = answer;
  const vendorAnswer = vendor.read(parseJson(answer.body));
  const said = vendorAnswer ? ` ${vendorAnswer.code}: ${vendorAnswer.message}` : '';
  if (statusCode < 200 || statusCode >= 300) {
    const meaning = vendorAnswer && vendorAnswer.code !== '0' ? vendor.interpret(vendorAnswer) : null;
    const rateLimited = statusCode === 429 || meaning?.rateLimited === true;
    return finish({
      delivered: false,
      retryable: statusCode >= 500 || rateLimited,
      rateLimited,
      statusCode,
      vendorCode: vendorAnswer?.code ?? null,
      detail: `${vendor.name} answered HTTP ${statusCode}${said}${meaning ? ` — ${meaning.meaning}` : ''}`,
    });
  }
  if (!vendorAnswer) {
    return finish({
      delivered: false,
      retryable: false,
      rateLimited: false,
      statusCode,
      vendorCode: null,
      detail: `${vendor.name} answered HTTP ${statusCode} without its JSON verdict (is the webhook URL the robot's?): ${JSON.stringify(answer.body.slice(0, 200))}`,
    });
  }
  if (vendorAnswer.code === '0') {
    return finish({ delivered: true, retryable: false, rateLimited: false, statusCode, vendorCode: '0', detail: `${vendor.name} accepted the message` });
  }
  const meaning = vendor.interpret(vendorAnswer);
  if (!meaning) {
    return finish({
      delivered: false,
      retryable: false,
      rateLimited: false,
      statusCode,
      vendorCode: vendorAnswer.code,
      detail: `${vendor.name} ${vendorAnswer.code}: ${vendorAnswer.message} (a code this adapter does not know; not retried)`,
    });
  }
  return finish({
    delivered: false,
    retryable: meaning.retryable,
    rateLimited: meaning.rateLimited === true,
    statusCode,
    vendorCode: vendorAnswer.code,
    detail: `${vendor.name} ${vendorAnswer.code}: ${meaning.meaning} (${vendorAnswer.message})`,
  });
}

/** Reads `{errcode, errmsg}`, the answer of DingTalk and WeCom robots. */
export function readErrcode(answer: unknown): VendorAnswer | null {
  if (typeof answer !== 'object' || answer === null) return null;
  const { errcode, errmsg } = answer as { errcode?: unknown; errmsg?: unknown };
  if (typeof errcode !== 'number' && typeof errcode !== 'string') return null;
  return { code: String(errcode), message: typeof errmsg === 'string' ? errmsg : '' };
}
