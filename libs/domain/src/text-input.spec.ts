import { describe, expect, it } from '@jest/globals';
import { DomainError } from './domain.errors.js';
import { cleanFileName, displayName, invisibleCharactersIn, loneSurrogateIn, nameKey, normaliseText } from './text-input.js';

const refusal = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
};

describe(normaliseText.name, () => {
  it('composes to NFC and trims', () => {
    // given "Café" written with a combining acute accent, and spaces around
    const decomposed = '  Cafe\u0301 设施部 \u3000';

    // when / then
    expect(normaliseText(decomposed)).toBe('Café 设施部');
    expect(normaliseText(decomposed)).toBe(normaliseText('Café 设施部'));
  });
});

describe(invisibleCharactersIn.name, () => {
  it.each([
    ['zero-width space', 'Faci\u200Blities', ['U+200B']],
    ['zero-width non-joiner and joiner', '设\u200C施\u200D部', ['U+200C', 'U+200D']],
    ['word joiner', 'A\u2060B', ['U+2060']],
    ['byte-order mark', '\uFEFFFacilities', ['U+FEFF']],
    ['right-to-left override', 'photo\u202Egpj.exe', ['U+202E']],
    ['bidi embeddings and isolates', '\u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069', ['U+202A', 'U+202B', 'U+202C', 'U+202D', 'U+2066', 'U+2067', 'U+2068', 'U+2069']],
    ['direction marks', 'a\u200Eb\u200Fc\u061Cd', ['U+200E', 'U+200F', 'U+061C']],
    ['control characters', 'line\none\ttab', ['U+000A', 'U+0009']],
    ['line separator', 'a\u2028b', ['U+2028']],
  ])('finds the %s', (_name, text, expected) => {
    expect(invisibleCharactersIn(text)).toEqual(expected);
  });

  it('names each character once, and none in ordinary text in any script', () => {
    expect(invisibleCharactersIn('a\u200Bb\u200Bc')).toEqual(['U+200B']);
    for (const text of ['Facilities Department (设施部)', 'Müller & Söhne', 'مكتب الرقابة', 'Служба', '🚧 Site 3', '⚠️ Cafe\u0301']) {
      expect({ text, found: invisibleCharactersIn(text) }).toEqual({ text, found: [] });
    }
    // an emoji joined by a zero-width joiner counts too: a name does without it
    expect(invisibleCharactersIn('👩\u200D🔧')).toEqual(['U+200D']);
  });
});

describe(displayName.name, () => {
  it('gives the normalised name', () => {
    expect(displayName('  Facilities\u0020Department ', 'name')).toBe('Facilities Department');
    expect(displayName('Cafe\u0301', 'name')).toBe('Café');
  });

  it.each(['', '   ', '\u3000', ' \u00A0 '])('refuses %j as blank with VALIDATION_FAILED naming the field', (blank) => {
    const error = refusal(() => displayName(blank, 'name'));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual({ fields: [{ field: 'name', messages: ['name must not be blank'] }] });
  });

  it('refuses invisible characters with TEXT.INVISIBLE_CHARACTERS naming the field and the characters', () => {
    const error = refusal(() => displayName('Faci\u200Blities\u202E', 'label'));
    expect(error.code).toBe('TEXT.INVISIBLE_CHARACTERS');
    expect(error.details).toEqual({ field: 'label', characters: ['U+200B', 'U+202E'] });
    expect(error.message).toContain('label');
  });
});

describe(nameKey.name, () => {
  it('compares names after NFC, trimming and case folding', () => {
    expect(nameKey(' Facilities ')).toBe(nameKey('FACILITIES'));
    expect(nameKey('Cafe\u0301')).toBe(nameKey('CAFÉ'));
    expect(nameKey('Straße')).toBe(nameKey('STRASSE'));
    expect(nameKey('设施部')).toBe(nameKey('设施部 '));
    expect(nameKey('Facilities A')).not.toBe(nameKey('Facilities B'));
  });
});

describe(loneSurrogateIn.name, () => {
  it.each([
    ['a high surrogate alone', 'x\uD800y', 1],
    ['a low surrogate alone', '\uDC00', 0],
    ['a high surrogate at the end', 'abc\uDBFF', 3],
    ['a reversed pair', '\uDC00\uD800', 0],
  ])('finds %s', (_name, text, at) => {
    expect(loneSurrogateIn(text)).toBe(at);
  });

  it('finds nothing in well-formed text, astral characters included', () => {
    expect(loneSurrogateIn('Exit blocked 🚧 𠀀 设施部')).toBe(-1);
  });
});

describe(cleanFileName.name, () => {
  it.each([
    ['right-to-left override removed', 'photo\u202Egpj.exe', 'photogpj.exe'],
    ['zero-width characters removed', 'rep\u200Bort\uFEFF.pdf', 'report.pdf'],
    ['control characters removed', 'a\u0000b\u0007c\n.txt', 'abc.txt'],
    ['directories dropped', '../../etc/passwd', 'passwd'],
    ['Windows directories dropped', 'C:\\Users\\x\\整改照片.jpg', '整改照片.jpg'],
    ['composed to NFC', 'Cafe\u0301.txt', 'Café.txt'],
    ['trailing dots and spaces dropped (Windows drops them, unmasking the real extension)', 'tool.exe. . ', 'tool.exe'],
    ['leading dots dropped', '..hidden.txt', 'hidden.txt'],
    ['a lone surrogate removed', 'x\uD800y.txt', 'xy.txt'],
  ])('%s', (_name, raw, expected) => {
    expect(cleanFileName(raw, 255)).toBe(expected);
  });

  it('is empty when nothing is left', () => {
    expect(cleanFileName(' \u202E/. ', 255)).toBe('');
  });

  it('keeps at most the given number of characters, the extension kept, never splitting one', () => {
    const long = cleanFileName(`${'照'.repeat(300)}.jpg`, 255);
    expect([...long]).toHaveLength(255);
    expect(long.endsWith('照.jpg')).toBe(true);
    const astral = cleanFileName('𠀀'.repeat(10), 5);
    expect(astral).toBe('𠀀'.repeat(5));
  });
});
