import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie's value: 256 random bits, so (as for API tokens) an unsalted SHA-256 is enough to store it. */
export function generateSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSessionSecret(secret: string): string {
  return createHash('sha256').update(`session\u0000${secret}`, 'utf8').digest('hex');
}

/**
 * The CSRF token of a session, derived from its secret (so nothing more is stored): a page of another site can
 * make the browser send the cookie but cannot read it, so cannot compute this. Not the stored hash either, so
 * a copy of the database gives no CSRF tokens.
 */
export function csrfTokenFor(secret: string): string {
  return createHash('sha256').update(`csrf\u0000${secret}`, 'utf8').digest('base64url');
}

/** Constant-time comparison of two short strings (tokens, hashes). */
export function sameSecret(a: string, b: string): boolean {
  const [left, right] = [Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')];
  return left.length === right.length && timingSafeEqual(left, right);
}
