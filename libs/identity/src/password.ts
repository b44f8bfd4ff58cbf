import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';
import { DomainError } from '#domain';

/** Longer input is refused before hashing: scrypt's cost does not grow with it, but nobody needs more. */
export const PASSWORD_MAX_LENGTH = 200;
export const PASSWORD_MIN_LENGTH = 10;

/**
 * scrypt's cost: N = 2^14 takes about 100 ms on this project's 2-core machine (2^15 took 270 ms under load), memory
 * 128·N·r = 16 MiB. Stored with every hash, so raising it later leaves old hashes verifiable.
 */
export const SCRYPT_PARAMS = { N: 2 ** 14, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

/**
 * The most common passwords of at least PASSWORD_MIN_LENGTH characters (shorter ones fail the length rule anyway),
 * from the public breach top lists, the Chinese ones (woaini1314, 5201314…) included. Compared case-insensitively.
 */
const COMMON_PASSWORDS = new Set([
  '1234567890', '0123456789', '0987654321', '1234567891', '12345678910', '123456789a', 'a123456789', '1234567890a',
  '123123123123', '1122334455', '1111111111', '0000000000', '1234512345', '1234554321', '1q2w3e4r5t', '1q2w3e4r5t6y',
  '1qaz2wsx3edc', 'qazwsxedc123', 'zaq12wsxcde', 'qwertyuiop', 'qwerty1234', 'qwerty12345', 'qwerty123456', 'asdfghjkl;',
  'asdfghjkl1', 'zxcvbnm123', 'password12', 'password123', 'password1234', 'password1!', 'passw0rd12', 'p@ssw0rd123',
  'iloveyou12', 'iloveyou123', 'changeme123', 'welcome123', 'welcome1234', 'letmein123', 'administrator', 'admin12345',
  'admin123456', 'abcdefghij', 'abc1234567', 'abcd123456', 'football123', 'baseball123', 'sunshine123', 'princess123',
  'woaini1314', 'woaini520', '5201314520', '5201314000', 'qq123456789', 'aa123456789', 'a1234567890', 'iloveyou1314',
]);

export type PasswordWeakness = 'too_short' | 'too_long' | 'same_as_username' | 'too_common';

/** NFC, so that é typed as one character or as e + accent is the same password; never trimmed. */
function normalisePassword(password: string): string {
  return password.normalize('NFC');
}

/** What is wrong with a new password, as a sentence a person can act on, or null when it is acceptable. */
export function passwordWeakness(password: string, username: string): { reason: PasswordWeakness; message: string } | null {
  const normalised = normalisePassword(password);
  const length = [...normalised].length;
  if (length > PASSWORD_MAX_LENGTH) return { reason: 'too_long', message: `The password is longer than ${PASSWORD_MAX_LENGTH} characters.` };
  if (length < PASSWORD_MIN_LENGTH) {
    return { reason: 'too_short', message: `The password must be at least ${PASSWORD_MIN_LENGTH} characters long (it has ${length}); a short sentence is easy to remember.` };
  }
  const folded = normalised.toUpperCase().toLowerCase();
  if (folded === username.normalize('NFC').toUpperCase().toLowerCase()) {
    return { reason: 'same_as_username', message: 'The password must not be the username.' };
  }
  // One character repeated (aaaaaaaaaa) is as guessable as anything on the list.
  if (COMMON_PASSWORDS.has(folded) || new Set(folded).size < 3) {
    return { reason: 'too_common', message: 'This password is one of the most common ones, which are tried first: choose another.' };
  }
  return null;
}

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scrypt(normalisePassword(password), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url: the string says how to check it. */
export async function hashPassword(password: string, params: { N: number; r: number; p: number } = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

const STORED = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{16,128})$/;

/** Whether the password matches the stored hash, compared in constant time; a malformed hash matches nothing. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = STORED.exec(stored);
  if (!match || [...password].length > PASSWORD_MAX_LENGTH) return false;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Only powers of two up to 2^20 are meaningful (and bounded in memory).
  if (N < 2 || N > 2 ** 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const expected = Buffer.from(match[5], 'base64url');
  const actual = await derive(password, Buffer.from(match[4], 'base64url'), { N, r, p });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A password to print once (bootstrap admin, demo): 20 characters from 120 random bits. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

/** Refuses a new password that breaks the rules (422 AUTH.WEAK_PASSWORD naming the field and what is wrong). */
export function assertStrongPassword(password: string, username: string, field: string): void {
  const weakness = passwordWeakness(password, username);
  if (weakness) throw new DomainError('AUTH.WEAK_PASSWORD', weakness.message, { field, reason: weakness.reason });
}
