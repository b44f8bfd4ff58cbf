import { describe, expect, it } from '@jest/globals';
import { readErrcode, truncateUtf8 } from './robot-request.js';

describe(truncateUtf8.name, () => {
  it('keeps a string that fits, and cuts one that does not on a character boundary with an ellipsis', () => {
    expect(truncateUtf8('abc', 3)).toBe('abc');
    expect(truncateUtf8('abcdef', 5)).toBe('ab…');
    // 问 is 3 bytes, … is 3 bytes: 10 bytes hold two of them and the ellipsis.
    expect(truncateUtf8('问问问问', 10)).toBe('问问…');
    expect(truncateUtf8('😀😀😀', 9)).toBe('😀…');
  });
});

describe(readErrcode.name, () => {
  it('reads DingTalk and WeCom answers, and nothing else', () => {
    expect(readErrcode({ errcode: 0, errmsg: 'ok' })).toEqual({ code: '0', message: 'ok' });
    expect(readErrcode({ errcode: 310000, errmsg: 'sign not match' })).toEqual({ code: '310000', message: 'sign not match' });
    expect(readErrcode({ errcode: -1 })).toEqual({ code: '-1', message: '' });
    expect(readErrcode({ code: 0 })).toBeNull();
    expect(readErrcode(null)).toBeNull();
    expect(readErrcode('<html>')).toBeNull();
  });
});
