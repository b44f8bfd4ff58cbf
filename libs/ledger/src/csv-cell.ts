/**
 * Characters that make a spreadsheet program read a CSV cell as a formula (OWASP "CSV Injection"), and their
 * full-width forms, which Apple Numbers folds to the ASCII ones (csv-stringify's `escape_formulas` found it).
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A cell `neutraliseFormula` prefixed: the CSV writer quotes these fields, as OWASP asks. */
export const NEUTRALISED_FORMULA = /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * A CSV cell that no spreadsheet program runs: text starting like a formula gets a leading single quote, so
 * `=HYPERLINK(...)` planted as a responsible person is shown, not followed. Numbers pass as they are: the
 * product computes them (days overdue, counts, rates), they carry no formula, and none is below zero.
 * Only for CSV: JSON and XLSX hold the text as stored (an XLSX cell is typed as a string, never a formula).
 */
export function neutraliseFormula<T extends string | number>(cell: T): T {
  return (typeof cell === 'string' && FORMULA_START.test(cell) ? `'${cell}` : cell) as T;
}
