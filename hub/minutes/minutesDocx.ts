import {
  AlignmentType,
  BorderStyle,
  convertMillimetersToTwip,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { MinutesContent } from '../../shared/minutes.js';
import { documentDateLine, romanNumeral } from './documentDate.js';

/** Nghị định 30's font: Times New Roman, 13–14 pt (docx sizes are in half-points). */
const font = 'Times New Roman';
const size = { body: 28, header: 26, title: 28 };
const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' } as const;
const noBorders = { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none };
const thin = { style: BorderStyle.SINGLE, size: 4, color: '000000' } as const;

function text(value: string, options: { bold?: boolean; italics?: boolean; underline?: boolean; size?: number } = {}): TextRun {
  return new TextRun({
    text: value,
    font,
    size: options.size ?? size.body,
    bold: options.bold,
    italics: options.italics,
    underline: options.underline ? {} : undefined,
  });
}

function centred(value: string, options: Parameters<typeof text>[1] = {}): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, children: [text(value, options)] });
}

/**
 * The minutes as a Word document laid out as Nghị định 30/2020/NĐ-CP lays out one: A4, margins 20 mm top and bottom,
 * 30 mm left, 15 mm right; the issuing body and number on the left, the national title and motto on the right; the
 * date line; the title; the numbered sections; the signers.
 */
export async function minutesDocx(content: MinutesContent): Promise<Buffer> {
  const { header } = content;
  const heading = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: noBorders,
    rows: [
      new TableRow({
        children: [
          new TableCell({
            width: { size: 40, type: WidthType.PERCENTAGE },
            borders: noBorders,
            children: [
              centred(header.parentBody, { size: size.header }),
              centred(header.issuingBody, { bold: true, size: size.header }),
              centred('———', { size: size.header }),
              centred(header.number, { size: size.header }),
            ],
          }),
          new TableCell({
            width: { size: 60, type: WidthType.PERCENTAGE },
            borders: noBorders,
            children: [
              centred('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, size: size.header }),
              centred('Độc lập - Tự do - Hạnh phúc', { bold: true, underline: true, size: size.body }),
            ],
          }),
        ],
      }),
    ],
  });
  let numbered = 0;
  const body = content.sections.flatMap((section) => {
    const blocks: Array<Paragraph | Table> = [];
    if (section.heading) {
      numbered++;
      blocks.push(
        new Paragraph({
          spacing: { before: 120, after: 60 },
          children: [text(`${romanNumeral(numbered)}. ${section.heading}`, { bold: true })],
        }),
      );
    }
    for (const paragraph of section.paragraphs.filter((text) => text.trim()))
      blocks.push(
        new Paragraph({
          alignment: AlignmentType.JUSTIFIED,
          indent: { firstLine: convertMillimetersToTwip(10) },
          spacing: { after: 60 },
          children: [text(paragraph)],
        }),
      );
    if (section.table) {
      const row = (cells: string[], bold: boolean) =>
        new TableRow({
          tableHeader: bold,
          children: section.table!.columns.map(
            (_, i) =>
              new TableCell({
                borders: { top: thin, bottom: thin, left: thin, right: thin },
                children: [new Paragraph({ children: [text(cells[i] ?? '', { bold, size: size.header })] })],
              }),
          ),
        });
      blocks.push(
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: [row(section.table.columns, true), ...section.table.rows.map((cells) => row(cells, false))],
        }),
      );
    }
    return blocks;
  });
  const signers = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: noBorders,
    rows: [
      new TableRow({
        children: [
          ['THƯ KÝ', content.signers.secretary],
          ['CHỦ TỌA', content.signers.chair],
        ].map(
          ([role, name]) =>
            new TableCell({
              width: { size: 50, type: WidthType.PERCENTAGE },
              borders: noBorders,
              children: [
                centred(role!, { bold: true }),
                centred('(Ký, ghi rõ họ tên)', { italics: true }),
                new Paragraph({ spacing: { before: 1200 }, alignment: AlignmentType.CENTER, children: [text(name!, { bold: true })] }),
              ],
            }),
        ),
      }),
    ],
  });
  const document = new Document({
    creator: 'Hệ thống họp trực tuyến',
    title: `${content.title} ${content.subject}`,
    styles: { default: { document: { run: { font, size: size.body } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: convertMillimetersToTwip(210), height: convertMillimetersToTwip(297) },
            margin: {
              top: convertMillimetersToTwip(20),
              bottom: convertMillimetersToTwip(20),
              left: convertMillimetersToTwip(30),
              right: convertMillimetersToTwip(15),
            },
          },
        },
        children: [
          heading,
          new Paragraph({
            alignment: AlignmentType.RIGHT,
            spacing: { before: 120, after: 240 },
            children: [text(documentDateLine(header.place, header.date), { italics: true })],
          }),
          centred(content.title, { bold: true, size: size.title }),
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [text(content.subject, { bold: true })] }),
          ...body,
          new Paragraph({ children: [] }),
          signers,
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
