import { cleanFileName } from '#domain';
import { DOCX_TYPE, XLSX_TYPE } from './evidence.options.js';

export const MAX_EVIDENCE_NAME_LENGTH = 200;

/** File extensions of the media types evidence is likely to be stored as; the first is the one added. */
const EXTENSIONS: Record<string, readonly string[]> = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'image/heic': ['heic'],
  'image/heif': ['heif'],
  'image/tiff': ['tif', 'tiff'],
  'image/bmp': ['bmp'],
  'image/svg+xml': ['svg'],
  'application/pdf': ['pdf'],
  'text/plain': ['txt', 'text', 'log'],
  'text/csv': ['csv'],
  'application/zip': ['zip'],
  [DOCX_TYPE]: ['docx'],
  [XLSX_TYPE]: ['xlsx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
  'application/msword': ['doc'],
  'application/vnd.ms-excel': ['xls'],
  'video/mp4': ['mp4'],
  'video/quicktime': ['mov'],
  'audio/mpeg': ['mp3'],
};

function extensionsOf(mediaType: string): readonly string[] {
  const known = EXTENSIONS[mediaType];
  if (known) return known;
  // A type EVIDENCE_ALLOWED_TYPES admits beyond the table: its subtype when that reads as an extension.
  const subtype = mediaType.split('/')[1] ?? '';
  return [/^[a-z0-9]{1,10}$/.test(subtype) ? subtype : 'bin'];
}

/**
 * The name an evidence file is stored and downloaded under: one that cannot disguise its type. The name is
 * cleaned (no path, no invisible or bidi characters, NFC, see cleanFileName) and ends in an extension of the
 * media type the file was stored as (sniffed or declared): `report.html` stored as text/plain becomes
 * `report.html.txt`, so no program opens it as a web page; the name the uploader gave stays readable before it.
 */
export function evidenceFileName(originalName: string, mediaType: string): string {
  const extensions = extensionsOf(mediaType);
  const suffix = `.${extensions[0]}`;
  const name = cleanFileName(originalName, MAX_EVIDENCE_NAME_LENGTH) || 'evidence';
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (extensions.includes(extension)) return name;
  return cleanFileName(name, MAX_EVIDENCE_NAME_LENGTH - suffix.length) + suffix;
}
