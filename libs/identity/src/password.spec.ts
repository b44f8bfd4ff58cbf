import { describe, expect, it } from '@jest/globals';
import { generatePassword, hashPassword, PASSWORD_MAX_LENGTH, passwordWeakness, verifyPassword } from './password.js';

const FAST = { N: 1024, r: 8, p: 1 };

describe(passwordWeakness.name, () => {
  it.each([
    ['short1234', 'too_short'],
    ['x'.repeat(PASSWORD_MAX_LENGTH + 1), 'too_long'],
    ['Wang.Fang.2026', 'same_as_username'],
    ['Password123', 'too_common'],
    ['WOAINI1314', 'too_common'],
    ['aaaaaaaaaaaa', 'too_common'],
  ])('given %j, refuses it as %s', (password, reason) => {
    // when / then
    expect(passwordWeakness(password, 'wang.fang.2026')?.reason).toBe(reason);
  });

  it('accepts a long enough, uncommon password, and says what is wrong otherwise', () => {
    expect(passwordWeakness('correct horse battery', 'wang.fang')).toBeNull();
    expect(passwordWeakness('short', 'wang.fang')?.message).toContain('at least 10 characters');
  });

  it('counts characters, not UTF-16 units (10 CJK characters are enough)', () => {
    expect(passwordWeakness('整改落实到位按期销号', 'wang.fang')).toBeNull();
  });
});

describe(hashPassword.name, () => {
  it('stores a self-describing scrypt string with a 16-byte salt, different each time', async () => {
    // given / when
    const [first, second] = [await hashPassword('correct horse battery', FAST), await hashPassword('correct horse battery', FAST)];
    // then
    expect(first).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
  });

  it('uses N=2^14, r=8, p=1 by default', async () => {
    expect(await hashPassword('correct horse battery')).toMatch(/^scrypt\$16384\$8\$1\$/);
  });
});

describe(verifyPassword.name, () => {
  it('matches the right password only, with the parameters read from the hash', async () => {
    // given
    const stored = await hashPassword('correct horse battery', FAST);
    // when / then
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
  });

  it('treats the NFC and NFD spellings of a password as the same', async () => {
    const stored = await hashPassword('caf\u00e9 au lait 2026', FAST);
    expect(await verifyPassword('cafe\u0301 au lait 2026', stored)).toBe(true);
  });

  it.each(['', 'bcrypt$x', 'scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'scrypt$4194304$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'])(
    'matches nothing against a malformed or unbounded hash %j',
    async (stored) => {
      expect(await verifyPassword('correct horse battery', stored)).toBe(false);
    },
  );
});

describe(generatePassword.name, () => {
  it('makes 20-character passwords that pass the rules', () => {
    const password = generatePassword();
    expect(password).toHaveLength(20);
    expect(passwordWeakness(password, 'admin')).toBeNull();
  });
});
