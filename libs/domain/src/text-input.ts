import { DomainError } from './domain.errors.js';

/**
 * Characters a reader cannot see: control characters (Cc: tabs, line breaks, NUL …), format characters (Cf:
 * zero-width space, joiners, word joiner, byte-order mark, the bidi embeddings, overrides, isolates and marks
 * U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C …) and the line and paragraph separators. In a name they
 * make two names that look the same differ, or make text display in another order than it is stored.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** A UTF-16 surrogate without its partner: JSON.parse makes one of `"\ud800"`, and UTF-8 cannot encode it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** NFC and trimmed: one way of writing the same text (é as one character, not e + combining accent). */
export function normaliseText(value: string): string {
  return value.normalize('NFC').trim();
}

/** The invisible characters in the text (see INVISIBLE), each once, as `U+XXXX`, in order of appearance. */
export function invisibleCharactersIn(value: string): string[] {
  return [...new Set(Array.from(value.matchAll(INVISIBLE), (match) => codePoint(match[0])))];
}

/** Where the first lone surrogate is (a UTF-16 index), or -1. */
export function loneSurrogateIn(value: string): number {
  return value.search(LONE_SURROGATE);
}

/**
 * A name people pick from a list (a department, a user, a token label), normalised (NFC, trimmed), or refused:
 * blank → VALIDATION_FAILED naming the field (as an empty one is); invisible characters →
 * TEXT.INVISIBLE_CHARACTERS naming the field and the characters.
 */
export function displayName(value: string, field: string): string {
  const name = normaliseText(value);
  if (name === '') {
    throw new DomainError('VALIDATION_FAILED', `The request has invalid fields: ${field}. See details.fields for what each needs.`, {
      fields: [{ field, messages: [`${field} must not be blank`] }],
    });
  }
  const characters = invisibleCharactersIn(name);
  if (characters.length > 0) {
    throw new DomainError(
      'TEXT.INVISIBLE_CHARACTERS',
      `${field} holds characters that are not shown (${characters.join(', ')}: zero-width, direction or control characters); type it again without them.`,
      { field, characters },
    );
  }
  return name;
}

/**
 * How two names are compared for sameness: normalised, then case-folded (upper then lower case, so that
 * "Straße" and "STRASSE" are the same name, as Unicode full case folding has it).
 */
export function nameKey(value: string): string {
  return normaliseText(value).toUpperCase().toLowerCase();
}

/**
 * A file name to show and offer for download, never a path: the last path segment, without invisible
 * characters (a right-to-left override turns `photo‮gpj.exe` into what reads as `photoexe.jpg`) or lone
 * surrogates, NFC, without leading dots or trailing dots and spaces (Windows drops those, unmasking the
 * extension before them), at most `maxLength` characters with the extension kept. May be empty.
 */
export function cleanFileName(raw: string, maxLength: number): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  const visible = base.replace(INVISIBLE, '').replace(new RegExp(LONE_SURROGATE.source, 'g'), '');
  const name = normaliseText(visible).replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  const chars = [...name];
  if (chars.length <= maxLength) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? [...name.slice(dot)] : [];
  if (extension.length >= maxLength) return chars.slice(0, maxLength).join('');
  return chars.slice(0, maxLength - extension.length).join('') + extension.join('');
}
