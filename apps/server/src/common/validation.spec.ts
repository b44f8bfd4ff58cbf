import { describe, expect, it } from '@jest/globals';
import { unstorableTextIn } from './validation.js';

describe(unstorableTextIn.name, () => {
  it.each([
    ['a NUL character', { title: 'Exit\u0000blocked' }, 'title', /NUL/],
    ['a lone high surrogate', { title: 'Exit \ud800' }, 'title', /surrogate/],
    ['a lone low surrogate, nested', { plan: { steps: ['ok', 'x\udc00'] } }, 'plan.steps.1', /surrogate/],
    ['a lone surrogate in a key', { details: { 'k\ud800': 'v' } }, 'details.k\ud800', /surrogate/],
    ['a bare string body', 'x\udfff', 'body', /surrogate/],
  ])('names the field holding %s', (_name, body, field, message) => {
    const found = unstorableTextIn(body);
    expect(found?.field).toBe(field);
    expect(found?.messages[0]).toMatch(message);
  });

  it('accepts well-formed text, surrogate pairs (astral characters) included', () => {
    expect(unstorableTextIn({ title: 'Exit blocked 🚧', tags: ['𠀀', '设施部'], n: 3, none: null })).toBeNull();
  });
});
