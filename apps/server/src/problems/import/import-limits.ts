import type { ImportOptions } from '#config';
import { DomainError } from '#domain';

/**
 * The bounds a findings file is read under, and the refusals when one is crossed. An .xlsx is a ZIP of XML: a
 * file of a few MiB can inflate to gigabytes, so every bound is checked while the file is being read, never after.
 * The settings (IMPORT_*) are in ImportOptions; the constants below are bounds no honest workbook comes near.
 */
export type ImportLimits = ImportOptions;

/** Parts (files) in the archive: sheets, their relationships, drawings, images. */
export const MAX_ARCHIVE_ENTRIES = 1000;
/** Parts inflating to less than this may have any compression ratio: small XML compresses well, and cannot hurt. */
export const RATIO_GRACE_BYTES = 1024 * 1024;
/** Workbook XML nests about ten deep. */
export const MAX_XML_DEPTH = 64;
export const MAX_XML_ATTRIBUTES = 256;
export const MAX_XML_NAME_CHARS = 1024;
/** Excel's grid: 1,048,576 rows by 16,384 columns (XFD). */
export const MAX_SHEET_ROW = 1_048_576;
export const MAX_SHEET_COLUMN = 16_384;
/** Excel allows 64,000 cell formats and about 250 number formats per workbook. */
export const MAX_CELL_FORMATS = 65_536;
export const MAX_NUMBER_FORMATS = 4096;

const SAVE_AGAIN = 'Save the findings again from Excel (or as "CSV UTF-8") and import that.';

function bytes(count: number): string {
  return count >= 1024 * 1024 && count % (1024 * 1024) === 0 ? `${count / (1024 * 1024)} MiB` : `${count.toLocaleString('en')} bytes`;
}

export function tooManyRows(rows: number, maxRows: number): DomainError {
  return new DomainError(
    'IMPORT.TOO_MANY_ROWS',
    `The file has more than ${maxRows.toLocaleString('en')} rows of findings, the most one import takes (IMPORT_MAX_ROWS). Split it into several files.`,
    { rows, maxRows },
  );
}

export function partTooLarge(entry: string, uncompressedBytes: number, declared: boolean, maxEntryUncompressedBytes: number): DomainError {
  return new DomainError(
    'IMPORT.UNCOMPRESSED_TOO_LARGE',
    `The workbook's part ${entry} ${declared ? 'declares' : 'inflates to'} more than ${bytes(maxEntryUncompressedBytes)} uncompressed, ` +
      'the most one part may hold (IMPORT_MAX_ENTRY_UNCOMPRESSED_BYTES). Remove other sheets, images and formatting, or split the findings into several files. ' +
      SAVE_AGAIN,
    { entry, uncompressedBytes, declared, maxEntryUncompressedBytes },
  );
}

export function workbookTooLarge(uncompressedBytes: number, declared: boolean, maxUncompressedBytes: number): DomainError {
  return new DomainError(
    'IMPORT.UNCOMPRESSED_TOO_LARGE',
    `The workbook ${declared ? 'declares' : 'inflates to'} more than ${bytes(maxUncompressedBytes)} uncompressed in all, ` +
      'the most one import reads (IMPORT_MAX_UNCOMPRESSED_BYTES). Remove other sheets, images and formatting, or split the findings into several files. ' +
      SAVE_AGAIN,
    { uncompressedBytes, declared, maxUncompressedBytes },
  );
}

export function compressionRatio(entry: string | null, ratio: number, declared: boolean, maxRatio: number): DomainError {
  return new DomainError(
    'IMPORT.COMPRESSION_RATIO',
    `${entry === null ? 'The workbook' : `The workbook's part ${entry}`} ${declared ? 'declares' : 'inflates at'} a compression ratio of more than ${maxRatio}:1 ` +
      `(IMPORT_MAX_RATIO): it is built to inflate (a "zip bomb"), not saved by a spreadsheet program. ${SAVE_AGAIN}`,
    { ...(entry === null ? {} : { entry }), ratio: Math.floor(ratio), declared, maxRatio },
  );
}

export function tooManyEntries(entries: number): DomainError {
  return new DomainError(
    'IMPORT.TOO_MANY_ENTRIES',
    `The workbook is made of more than ${MAX_ARCHIVE_ENTRIES} parts (sheets, images, drawings), the most one import reads. ` +
      'Copy the findings into a new workbook and import that.',
    { entries, maxEntries: MAX_ARCHIVE_ENTRIES },
  );
}

export function tooManySheets(sheets: number, maxSheets: number): DomainError {
  return new DomainError(
    'IMPORT.TOO_MANY_SHEETS',
    `The workbook has more than ${maxSheets} sheets, the most one import takes (IMPORT_MAX_SHEETS); only the first sheet is read. ` +
      'Copy the findings sheet into a new workbook and import that.',
    { sheets, maxSheets },
  );
}

export function tooManyCells(cells: number, maxCells: number): DomainError {
  return new DomainError(
    'IMPORT.TOO_MANY_CELLS',
    `The sheet has more than ${maxCells.toLocaleString('en')} cells, empty and merged ones included, the most one import reads (IMPORT_MAX_CELLS). ` +
      'Delete the unused columns and rows, or split the findings into several files.',
    { cells, maxCells },
  );
}

/** `where`: a cell reference such as B7, or a description of the text (a shared string, a part). */
export function cellTooLong(where: { cell: string } | { text: string }, chars: number, maxCellChars: number): DomainError {
  const what = 'cell' in where ? `Cell ${where.cell}` : `${where.text[0].toUpperCase()}${where.text.slice(1)}`;
  return new DomainError(
    'IMPORT.CELL_TOO_LONG',
    `${what} holds more than ${maxCellChars.toLocaleString('en')} characters, the most one cell may hold (IMPORT_MAX_CELL_CHARS; ` +
      "Excel's own limit is 32,767). Shorten it: a finding's description and requirement take at most 5,000 characters each.",
    { ...where, chars, maxCellChars },
  );
}

export function tooManySharedStrings(sharedStrings: number, maxSharedStrings: number): DomainError {
  return new DomainError(
    'IMPORT.TOO_MANY_SHARED_STRINGS',
    `The workbook's table of shared strings has more than ${maxSharedStrings.toLocaleString('en')} entries, the most one import reads ` +
      '(IMPORT_MAX_SHARED_STRINGS). Copy only the findings into a new workbook, or split them into several files.',
    { sharedStrings, maxSharedStrings },
  );
}

export function sharedStringsTooLarge(sharedStringChars: number, maxSharedStringChars: number): DomainError {
  return new DomainError(
    'IMPORT.SHARED_STRINGS_TOO_LARGE',
    `The workbook's shared strings hold more than ${maxSharedStringChars.toLocaleString('en')} characters in all, the most one import reads ` +
      '(IMPORT_MAX_SHARED_STRING_CHARS). Copy only the findings into a new workbook, or split them into several files.',
    { sharedStringChars, maxSharedStringChars },
  );
}

export type UnsafeXmlReason = 'doctype' | 'depth' | 'attributes' | 'name';

const UNSAFE_XML: Record<UnsafeXmlReason, string> = {
  doctype: 'has a DOCTYPE declaration, which spreadsheet programs never write and XML entity-expansion attacks need',
  depth: `nests elements more than ${MAX_XML_DEPTH} deep`,
  attributes: `has an element with more than ${MAX_XML_ATTRIBUTES} attributes`,
  name: `has a name longer than ${MAX_XML_NAME_CHARS} characters`,
};

export function unsafeXml(part: string, reason: UnsafeXmlReason): DomainError {
  return new DomainError('IMPORT.UNSAFE_XML', `The workbook's part ${part} ${UNSAFE_XML[reason]}, so the file is refused. ${SAVE_AGAIN}`, { part, reason });
}

/** A ZIP or XML that cannot be read as a workbook (the same code as any file that is neither CSV nor .xlsx). */
export function unreadableWorkbook(why?: string, details?: Record<string, unknown>): DomainError {
  return new DomainError(
    'IMPORT.UNSUPPORTED_FILE',
    `The file looks like a ZIP archive but is not a readable .xlsx workbook${why ? `: ${why}` : ''}. ${SAVE_AGAIN}`,
    details,
  );
}
