import { DOCX_TYPE, XLSX_TYPE } from './evidence.options.js';

/** Media types recognised by their first bytes; any other declared type is taken as declared. */
const SIGNATURES: Array<{ type: string; bytes: number[] }> = [
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  { type: 'application/zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
];

/** Office Open XML documents are zip files. */
const ZIP_BASED = new Set([DOCX_TYPE, XLSX_TYPE, 'application/zip']);

const GENERIC = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

function signatureOf(content: Buffer): string | null {
  return SIGNATURES.find(({ bytes }) => content.length >= bytes.length && bytes.every((b, i) => content[i] === b))?.type ?? null;
}

function isText(content: Buffer): boolean {
  if (content.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return true;
  } catch {
    return false;
  }
}

/**
 * The media type the content really has, given what the client declared, or null when they disagree: a file
 * declared as an image must start like one, text must be UTF-8 without NUL, a docx/xlsx must be a zip, and a
 * file declaring a known format but carrying another (an executable renamed .png) is refused. A generic
 * declaration (`application/octet-stream`) takes the sniffed type.
 */
export function sniffMediaType(content: Buffer, declared: string): string | null {
  const claimed = declared.split(';')[0].trim().toLowerCase();
  const signature = signatureOf(content);
  if (GENERIC.has(claimed)) {
    if (signature !== null && signature !== 'application/zip') return signature;
    return null;
  }
  if (claimed === 'text/plain') return signature === null && isText(content) ? claimed : null;
  if (ZIP_BASED.has(claimed)) return signature === 'application/zip' ? claimed : null;
  if (SIGNATURES.some((s) => s.type === claimed)) return signature === claimed ? claimed : null;
  // A type without a signature we know: accepted as declared unless the bytes say it is something else.
  return signature === null ? claimed : null;
}
