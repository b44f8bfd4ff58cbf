import { describe, expect, it } from '@jest/globals';
import { fieldNestedTooDeep, MAX_BODY_DEPTH } from './configure-app.js';

const nest = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);

describe('fieldNestedTooDeep', () => {
  it('lets a body nest MAX_BODY_DEPTH levels (the body itself included) and no more', () => {
    expect(fieldNestedTooDeep(nest(MAX_BODY_DEPTH))).toBeNull();
    expect(fieldNestedTooDeep(nest(MAX_BODY_DEPTH + 1))).toBe('body');
    expect(fieldNestedTooDeep(`{"a":${nest(MAX_BODY_DEPTH - 1)}}`)).toBeNull();
    expect(fieldNestedTooDeep(`{"a":${nest(MAX_BODY_DEPTH)}}`)).toBe('a');
  });

  it('names the top-level key the deep value is under, escapes decoded', () => {
    expect(fieldNestedTooDeep(`{"title":"x","tags":[1,2],"ti\\u0074le2":{"b":${nest(40)}}}`)).toBe('title2');
    expect(fieldNestedTooDeep(`[{"a":${nest(40)}}]`)).toBe('body');
  });

  it('does not count brackets, quotes or backslashes inside strings', () => {
    const brackets = `"${'['.repeat(100)}\\"${'{'.repeat(100)}\\\\"`;
    expect(fieldNestedTooDeep(`{"a":${brackets},"b":[${brackets}]}`)).toBeNull();
    expect(fieldNestedTooDeep(`{"a\\"[[[":1,"b":${nest(40)}}`)).toBe('b');
  });

  it('reads the body in the charset it came in', () => {
    expect(fieldNestedTooDeep(Buffer.from(`{"a":${nest(40)}}`, 'utf16le'), 'utf-16le')).toBe('a');
    expect(fieldNestedTooDeep(Buffer.from(`{"a":1}`, 'utf8'))).toBeNull();
  });
});
