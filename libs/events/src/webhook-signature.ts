import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Rectification-Signature';
export const TIMESTAMP_HEADER = 'X-Rectification-Timestamp';
export const EVENT_ID_HEADER = 'X-Rectification-Event-Id';

/**
 * `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the subscription's secret. The timestamp (Unix
 * seconds) is signed too, so a receiver can refuse old messages replayed by someone who captured one.
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function verifyWebhook(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
