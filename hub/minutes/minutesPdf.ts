import PDFDocument from 'pdfkit';
import type { MinutesContent } from '../../shared/minutes.js';
import { documentDateLine, romanNumeral } from './documentDate.js';

/**
 * Debian's DejaVu Serif (fonts-dejavu-core, its italic in fonts-dejavu-extra): every Vietnamese letter, embedded in the
 * PDF so it reads the same on any machine.
 */
const fonts = {
  regular: '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf',
  bold: '/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf',
  italic: '/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf',
};
const mm = (millimetres: number) => (millimetres * 72) / 25.4;
const size = { body: 13, header: 12, table: 10.5 };

/** The minutes as a PDF, laid out as the DOCX is (Nghị định 30/2020/NĐ-CP on A4). */
export async function minutesPdf(content: MinutesContent): Promise<Buffer> {
  const document = new PDFDocument({
    size: 'A4',
    margins: { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15) },
    info: { Title: `${content.title} ${content.subject}`, Creator: 'Hệ thống họp trực tuyến' },
  });
  document.registerFont('regular', fonts.regular);
  document.registerFont('bold', fonts.bold);
  document.registerFont('italic', fonts.italic);
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    document.on('end', resolve);
    document.on('error', reject);
  });

  const left = document.page.margins.left;
  const width = document.page.width - left - document.page.margins.right;
  const top = document.page.margins.top;
  const leftColumn = width * 0.4;
  const { header } = content;
  // the issuing body and number on the left, the national title and motto on the right, side by side
  document.font('regular').fontSize(size.header).text(header.parentBody, left, top, { width: leftColumn, align: 'center' });
  document.font('bold').text(header.issuingBody, { width: leftColumn, align: 'center' });
  document.font('regular').text('———', { width: leftColumn, align: 'center' });
  document.text(header.number, { width: leftColumn, align: 'center' });
  const leftBottom = document.y;
  // the national title on one line (DejaVu is wider than Times New Roman: a point smaller), the motto with a line
  // drawn under it clear of its marks below (ạ), as Nghị định 30 draws it
  const rightColumn = width - leftColumn;
  document.font('bold').fontSize(size.header - 1);
  document.text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', left + leftColumn, top, { width: rightColumn, align: 'center' });
  const motto = 'Độc lập - Tự do - Hạnh phúc';
  document.fontSize(size.body - 0.5).text(motto, { width: rightColumn, align: 'center' });
  const mottoWidth = document.widthOfString(motto);
  const lineY = document.y + 3;
  const lineStart = left + leftColumn + (rightColumn - mottoWidth) / 2;
  document
    .moveTo(lineStart, lineY)
    .lineTo(lineStart + mottoWidth, lineY)
    .lineWidth(0.7)
    .stroke();
  document.y = Math.max(leftBottom, lineY) + 10;
  document
    .font('italic')
    .fontSize(size.body)
    .text(documentDateLine(header.place, header.date), left, document.y, { width, align: 'right' });
  document.moveDown();
  document.font('bold').fontSize(14).text(content.title, left, document.y, { width, align: 'center' });
  document.fontSize(size.body).text(content.subject, { width, align: 'center' });
  document.moveDown();

  let numbered = 0;
  for (const section of content.sections) {
    if (section.heading) {
      numbered++;
      document
        .font('bold')
        .fontSize(size.body)
        .text(`${romanNumeral(numbered)}. ${section.heading}`, left, document.y, { width });
      document.moveDown(0.3);
    }
    for (const paragraph of section.paragraphs.filter((text) => text.trim())) {
      document
        .font('regular')
        .fontSize(size.body)
        .text(paragraph, left, document.y, { width, align: 'justify', indent: mm(10) });
      document.moveDown(0.3);
    }
    if (section.table) {
      document.font('regular').fontSize(size.table);
      document.table({
        position: { x: left, y: document.y },
        maxWidth: width,
        defaultStyle: { border: 0.5, padding: 3 },
        // the row number narrow, the rest shared
        columnStyles: section.table.columns.map((column, i) => (i === 0 && column === 'STT' ? 32 : '*')),
        data: [
          section.table.columns.map((column) => ({ text: column, font: { src: fonts.bold } })),
          ...section.table.rows.map((cells) => section.table!.columns.map((_, i) => cells[i] ?? '')),
        ],
      });
      document.moveDown(0.5);
    }
  }

  // the signers, side by side, room left for the signatures
  document.moveDown();
  if (document.y > document.page.height - document.page.margins.bottom - 120) document.addPage();
  const signY = document.y;
  const half = width / 2;
  for (const [i, [role, name]] of [
    ['THƯ KÝ', content.signers.secretary],
    ['CHỦ TỌA', content.signers.chair],
  ].entries()) {
    const x = left + i * half;
    document.font('bold').fontSize(size.body).text(role!, x, signY, { width: half, align: 'center' });
    document.font('italic').text('(Ký, ghi rõ họ tên)', x, document.y, { width: half, align: 'center' });
    document.font('bold').text(name!, x, document.y + 60, { width: half, align: 'center' });
  }
  document.end();
  await ended;
  return Buffer.concat(chunks);
}
