import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { chineseDate, type StoredSheet } from '#engine';
import { SEVERITY_LABELS } from '#notify';

/** Noto Sans SC (SIL Open Font License), installed by `npm ci`: the sheet's Chinese text is embedded, subset. */
const require = createRequire(import.meta.url);
const REGULAR = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
const BOLD = require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf');

/** What a printed description may take up; the rest is in the system, which the QR code leads to. */
const DESCRIPTION_MAX_CHARS = 600;
const RED = '#c00000';

function clipped(text: string, max: number): string {
  const characters = [...text.replace(/\s+/g, ' ').trim()];
  return characters.length > max ? `${characters.slice(0, max).join('')}…` : characters.join('');
}

/**
 * The sheet as an A4 PDF: the issuing office's red heading, the step's name, the number, the department and its
 * head, the problem's facts, the requirement, the office and the date, and, for verification, the hash of the history
 * row that issued it and a QR code of `verifyUrl`. The same sheet and URL always give the same bytes (fixed dates in
 * the document information), which is what lets a kept copy be compared byte for byte.
 */
export async function renderSheetPdf(sheet: StoredSheet, verifyUrl: string, timeZone: string): Promise<Buffer> {
  const { facts } = sheet;
  const issued = new Date(sheet.issuedAt);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 64, bottom: 56, left: 72, right: 72 },
    info: { Title: `${facts.stepName} ${sheet.number}`, Author: facts.issuingOffice.name, Subject: facts.problem.title, CreationDate: issued, ModDate: issued },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('regular', REGULAR);
  doc.registerFont('bold', BOLD);
  const width = doc.page.width - 144;

  doc.font('bold').fontSize(24).fillColor(RED).text(facts.issuingOffice.name, { align: 'center' });
  doc.moveDown(0.2);
  const ruleY = doc.y;
  doc.moveTo(72, ruleY).lineTo(72 + width, ruleY).lineWidth(1.5).strokeColor(RED).stroke();
  doc.moveDown(0.8);
  doc.font('bold').fontSize(22).fillColor('black').text(facts.stepName, { align: 'center' });
  doc.moveDown(0.3);
  doc.font('regular').fontSize(12).text(sheet.number, { align: 'center' });
  doc.moveDown(1);

  const leader = facts.leader ? `（责任领导：${facts.leader.name ?? facts.leader.id}）` : '';
  doc.font('bold').fontSize(13).text(`${facts.responsibleDepartment.name}${leader}：`);
  doc.moveDown(0.5);
  const line = (label: string, value: string) => {
    doc.font('bold').fontSize(12).text(`${label}：`, { continued: true }).font('regular').text(value);
    doc.moveDown(0.25);
  };
  line('问题', facts.problem.title);
  line('问题描述', clipped(facts.problem.description, DESCRIPTION_MAX_CHARS));
  line('类别', facts.problem.category);
  line('严重程度', SEVERITY_LABELS.zh[facts.problem.severity] ?? facts.problem.severity);
  line('检查', facts.problem.inspectionRef);
  line('发现时间', chineseDate(facts.problem.foundAt, timeZone));
  line('整改期限', facts.deadline ? chineseDate(facts.deadline, timeZone) : '未设定');
  line('督办级别', `第${facts.level}级（${facts.stepName}）`);
  if (facts.responseDue) line('书面回复期限', chineseDate(facts.responseDue, timeZone));
  doc.moveDown(0.5);
  doc.font('bold').fontSize(12).text('督办要求：');
  doc.font('regular').text(facts.requirement, { indent: 24 });
  doc.moveDown(2);
  doc.font('regular').text(facts.issuingOffice.name, { align: 'right' });
  doc.text(chineseDate(sheet.issuedAt, timeZone), { align: 'right' });

  const qr = await QRCode.toBuffer(verifyUrl, { margin: 1, width: 240, errorCorrectionLevel: 'M' });
  const footerY = doc.page.height - 56 - 124;
  // A long description pushes the signature down: the verification block then stands on a page of its own.
  if (doc.y > footerY - 12) doc.addPage();
  doc.image(qr, 72, footerY, { width: 96 });
  doc
    .font('regular')
    .fontSize(9)
    .fillColor('#333333')
    .text('扫码核验本督办单是否与系统留痕一致', 180, footerY + 4, { width: width - 108 })
    .text(`留痕哈希：${sheet.historyHash}`, { width: width - 108 })
    .text(`问题编号：${facts.problem.id} · 版本 ${sheet.problemVersion}`, { width: width - 108 });
  // The address on one line (a break at one of its hyphens would be read back without it), as small as it must be.
  const address = `核验地址：${verifyUrl}`;
  let size = 9;
  while (size > 5 && doc.fontSize(size).widthOfString(address) > width) size -= 0.5;
  doc.fontSize(size).text(address, 72, footerY + 104, { width, lineBreak: false });
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
