import { describe, expect, it } from '@jest/globals';
import { usernameFromName, usernameKey, withSuffix } from './username.js';

describe(usernameFromName.name, () => {
  it.each([
    ['Li Wei (inspector)', 'li.wei.inspector'],
    ['Administrator', 'administrator'],
    ['王芳', '王芳'],
    ['Chen Jie (Production) ', 'chen.jie.production'],
    ['(—)', 'user'],
  ])('given the name %j, derives %j', (name, expected) => {
    expect(usernameFromName(name)).toBe(expected);
  });

  it('keeps room for a suffix', () => {
    expect([...usernameFromName('x'.repeat(100))].length).toBe(60);
  });
});

describe(usernameKey.name, () => {
  it('compares usernames case-folded and normalised', () => {
    expect(usernameKey(' Wang.FANG ')).toBe(usernameKey('wang.fang'));
    expect(usernameKey('STRASSE')).toBe(usernameKey('straße'));
  });
});

describe(withSuffix.name, () => {
  it('numbers the candidates after the first', () => {
    expect([1, 2, 3].map((n) => withSuffix('li.wei', n))).toEqual(['li.wei', 'li.wei.2', 'li.wei.3']);
  });
});
