import { createHash, randomBytes } from 'node:crypto';

/** Tokens are 256 random bits, so a fast unsalted SHA-256 is enough to store them safely. */
export function generateApiToken(): string {
  return `rk_${randomBytes(32).toString('base64url')}`;
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
