import { describe, expect, it } from '@jest/globals';
import { evidenceFileName, MAX_EVIDENCE_NAME_LENGTH } from './evidence-name.js';
import { DOCX_TYPE, XLSX_TYPE } from './evidence.options.js';

describe(evidenceFileName.name, () => {
  it.each([
    // name, stored media type, stored name
    ['整改照片说明.txt', 'text/plain', '整改照片说明.txt'],
    ['before.PNG', 'image/png', 'before.PNG'],
    ['site.jpeg', 'image/jpeg', 'site.jpeg'],
    ['report.pdf', 'application/pdf', 'report.pdf'],
    ['plan.docx', DOCX_TYPE, 'plan.docx'],
    ['figures.xlsx', XLSX_TYPE, 'figures.xlsx'],
    // the extension follows the stored type, whatever the name claimed
    ['report.html', 'text/plain', 'report.html.txt'],
    ['index.htm', 'text/plain', 'index.htm.txt'],
    ['ledger.csv', 'text/plain', 'ledger.csv.txt'],
    ['report.bin', 'application/pdf', 'report.bin.pdf'],
    ['photo', 'image/jpeg', 'photo.jpg'],
    ['scan.png', 'image/jpeg', 'scan.png.jpg'],
    // a right-to-left override would show "photoexe.jpg"; without it the real extension is plain to see
    ['photo\u202Egpj.exe', 'image/jpeg', 'photogpj.exe.jpg'],
    ['tool.exe. ', 'text/plain', 'tool.exe.txt'],
    ['a\u200B.txt', 'text/plain', 'a.txt'],
    ['../../etc/passwd', 'text/plain', 'passwd.txt'],
    // nothing left of the name: a neutral one
    ['\u202E', 'text/plain', 'evidence.txt'],
    ['', 'image/png', 'evidence.png'],
    // a type this table does not know (accepted by EVIDENCE_ALLOWED_TYPES) gets its subtype as extension
    ['clip.webm', 'video/webm', 'clip.webm'],
    ['clip.html', 'video/mp4', 'clip.html.mp4'],
    ['diagram.svg', 'image/svg+xml', 'diagram.svg'],
    ['data.json', 'application/x-custom+json', 'data.json.bin'],
  ])('%j stored as %s → %j', (name, mediaType, expected) => {
    expect(evidenceFileName(name, mediaType)).toBe(expected);
  });

  it(`keeps at most ${MAX_EVIDENCE_NAME_LENGTH} characters, the extension included`, () => {
    const stored = evidenceFileName(`${'照'.repeat(400)}.html`, 'text/plain');
    expect([...stored]).toHaveLength(MAX_EVIDENCE_NAME_LENGTH);
    expect(stored.endsWith('照.html.txt')).toBe(true);
  });
});
