import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals robot URLs and secrets at rest: AES-256-GCM with a random 12-byte IV, written
 * `v1.<iv>.<tag>.<ciphertext>` (base64url each). GCM's tag makes any change to a sealed value fail to open.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error(`A secret box key must be ${KEY_BYTES} bytes; this one is ${key.length}`);
    this.key = Buffer.from(key);
  }

  /**
   * A key as configuration holds it: 64 hex digits, or base64 (or base64url) of 32 bytes. `name` is the setting's
   * name, so the error says which one to fix.
   */
  static fromSetting(value: string, name = 'the secret box key'): SecretBox {
    const text = value.trim();
    let key: Buffer;
    if (/^[0-9a-fA-F]{64}$/.test(text)) key = Buffer.from(text, 'hex');
    else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) key = Buffer.from(text, 'base64');
    else throw new Error(`${name} must be 32 bytes written as 64 hex digits or as base64; it is neither`);
    if (key.length !== KEY_BYTES) {
      throw new Error(`${name} must be 32 bytes written as 64 hex digits or as base64; it holds ${key.length} bytes (try: openssl rand -base64 32)`);
    }
    return new SecretBox(key);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  /** Throws when the value is not a sealed one, was changed, or was sealed with another key. */
  open(sealed: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) throw new Error(`Not a sealed value (expected ${VERSION}.<iv>.<tag>.<ciphertext>)`);
    const [iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, 'base64url'));
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('Not a sealed value (its IV or tag has the wrong length)');
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('The sealed value was changed or sealed with another key');
    }
  }
}
