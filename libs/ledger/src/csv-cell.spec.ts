import { describe, expect, it } from '@jest/globals';
import { neutraliseFormula, NEUTRALISED_FORMULA } from './csv-cell.js';

describe(neutraliseFormula.name, () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+1', "'+1"],
    ['-1+1', "'-1+1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    // full-width forms, which some spreadsheet programs (Apple Numbers) fold to the ASCII ones
    ['＝1+1', "'＝1+1"],
    ['＋1', "'＋1"],
    ['－1', "'－1"],
    ['＠SUM(A1)', "'＠SUM(A1)"],
    // a text that looks like a negative number is still text someone typed
    ['-3', "'-3"],
  ])('prefixes %j with a single quote', (cell, expected) => {
    // when
    const written = neutraliseFormula(cell);

    // then
    expect(written).toBe(expected);
    expect(NEUTRALISED_FORMULA.test(written)).toBe(true);
  });

  it.each(['王芳', 'Wang Fang', '', ' =1+1 starts with a space', 'a=b', "'already quoted", '2026-03-20 18:00', 'x\n=1+1'])(
    'leaves %j as it is',
    (cell) => {
      expect(neutraliseFormula(cell)).toBe(cell);
      expect(NEUTRALISED_FORMULA.test(neutraliseFormula(cell))).toBe(false);
    },
  );

  it('leaves numbers the product computed as numbers, negative ones included', () => {
    // numbers are not user text and cannot carry a formula; the ledger writes none below zero anyway
    expect([0, 7, 0.6667, -3].map(neutraliseFormula)).toEqual([0, 7, 0.6667, -3]);
  });
});
