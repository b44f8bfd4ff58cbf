import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box.js';

describe(SecretBox.name, () => {
  const key = randomBytes(32);
  const box = new SecretBox(key);

  it('opens what it sealed, in the v1 format with a fresh IV each time', () => {
    // given
    const url = 'https://oapi.dingtalk.com/robot/send?access_token=abc123';

    // when
    const first = box.seal(url);
    const second = box.seal(url);

    // then
    expect(first).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('access_token');
    expect(box.open(first)).toBe(url);
    expect(box.open(second)).toBe(url);
    expect(box.open(box.seal('钉钉 加签 SEC…'))).toBe('钉钉 加签 SEC…');
  });

  it('refuses a sealed value whose ciphertext, tag or IV was changed', () => {
    const sealed = box.seal('SECabcdef');
    const [version, iv, tag, ciphertext] = sealed.split('.');
    const flip = (part: string) => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[0] ^= 0x01;
      return bytes.toString('base64url');
    };

    expect(() => box.open([version, iv, tag, flip(ciphertext)].join('.'))).toThrow('changed or sealed with another key');
    expect(() => box.open([version, iv, flip(tag), ciphertext].join('.'))).toThrow('changed or sealed with another key');
    expect(() => box.open([version, flip(iv), tag, ciphertext].join('.'))).toThrow('changed or sealed with another key');
    expect(() => box.open(`v2.${iv}.${tag}.${ciphertext}`)).toThrow('Not a sealed value');
    expect(() => box.open('plain text')).toThrow('Not a sealed value');
  });

  it('does not open a value sealed with another key', () => {
    const sealed = new SecretBox(randomBytes(32)).seal('SECabcdef');

    expect(() => box.open(sealed)).toThrow('changed or sealed with another key');
  });

  it('takes its key from a setting in base64, base64url or 64 hex digits', () => {
    const sealed = box.seal('secret');

    expect(SecretBox.fromSetting(key.toString('base64')).open(sealed)).toBe('secret');
    expect(SecretBox.fromSetting(` ${key.toString('base64url')}\n`).open(sealed)).toBe('secret');
    expect(SecretBox.fromSetting(key.toString('hex')).open(sealed)).toBe('secret');
    expect(SecretBox.fromSetting(key.toString('hex').toUpperCase()).open(sealed)).toBe('secret');
  });

  it('refuses keys of another length, naming the setting', () => {
    expect(() => SecretBox.fromSetting(randomBytes(16).toString('base64'), 'NOTIFY_SECRET_KEY')).toThrow(
      'NOTIFY_SECRET_KEY must be 32 bytes written as 64 hex digits or as base64; it holds 16 bytes',
    );
    expect(() => SecretBox.fromSetting(randomBytes(31).toString('hex'))).toThrow('holds');
    expect(() => SecretBox.fromSetting('not a key!')).toThrow('it is neither');
    expect(() => SecretBox.fromSetting('')).toThrow('it is neither');
    expect(() => new SecretBox(randomBytes(24))).toThrow('must be 32 bytes; this one is 24');
  });
});
