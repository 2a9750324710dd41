import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { HubError } from '../../errors/index.js';
import { importColumns, type ImportFormat, type ImportKind } from '../../shared/provinceImport.js';

/** A spreadsheet as read: its headings and each data row with its number as the spreadsheet shows it. */
export interface Sheet {
  headings: string[];
  rows: Array<{ line: number; cells: string[] }>;
}

const zipSignature = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const oldExcelSignature = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/** Reads a CSV or an .xlsx workbook (its first sheet); the first row that is not empty holds the headings. */
export async function readSheet(bytes: Buffer): Promise<Sheet> {
  if (bytes.subarray(0, 4).equals(oldExcelSignature)) throw new HubError('INVALID', 'import.oldExcel');
  const table = bytes.subarray(0, 4).equals(zipSignature) ? await xlsxRows(bytes) : csvRows(csvText(bytes));
  const filled = table.filter((row) => row.cells.some((cell) => cell !== ''));
  const [headingRow, ...rows] = filled;
  if (!headingRow) throw new HubError('INVALID', 'import.empty');
  return { headings: headingRow.cells, rows };
}

async function xlsxRows(bytes: Buffer): Promise<Array<{ line: number; cells: string[] }>> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new HubError('INVALID', 'import.unreadable');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new HubError('INVALID', 'import.empty');
  const rows: Array<{ line: number; cells: string[] }> = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    // .text is what the cell shows: a link's words, a formula's result, a number as written
    rows.push({
      line,
      cells: Array.from({ length: sheet.columnCount }, (_, i) =>
        row
          .getCell(i + 1)
          .text.normalize('NFC')
          .trim(),
      ),
    });
  });
  return rows;
}

/**
 * The file's text: UTF-8 (with or without its mark), UTF-16 as Excel's "Unicode text" saves it, or else
 * Windows-1258, the code page Excel's plain "CSV" uses on a Vietnamese Windows (its tone marks are combining
 * characters, composed here).
 */
function csvText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1258').decode(bytes).normalize('NFC');
  }
}

/** The separator the heading line uses most: a comma, or a semicolon or a tab where the list separator is one. */
function separatorOf(text: string): string {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((separator) => ({ separator, count: firstLine.split(separator).length }));
  return counts.reduce((best, next) => (next.count > best.count ? next : best)).separator;
}

function csvRows(text: string): Array<{ line: number; cells: string[] }> {
  let records: string[][];
  try {
    records = parse(text, { bom: true, delimiter: separatorOf(text), relax_column_count: true, skip_empty_lines: false });
  } catch {
    throw new HubError('INVALID', 'import.unreadable');
  }
  return records.map((cells, index) => ({ line: index + 1, cells: cells.map((cell) => cell.normalize('NFC').trim()) }));
}

const kindWords: Record<ImportKind, string> = { units: 'đơn vị', accounts: 'tài khoản', cameras: 'camera' };
const contentTypes: Record<ImportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** A kind's template: the headings (and, in a workbook, a guide sheet with how to write each column). */
export async function templateFile(kind: ImportKind, format: ImportFormat): Promise<{ name: string; contentType: string; body: Buffer }> {
  const columns = importColumns[kind];
  const name = `Mẫu nhập ${kindWords[kind]}.${format}`;
  if (format === 'csv') {
    // the byte order mark tells Excel the file is UTF-8: without it, Vietnamese letters open garbled
    const line = columns.map((c) => c.heading).join(',');
    return { name, contentType: contentTypes.csv, body: Buffer.from(`\uFEFF${line}\r\n`, 'utf8') };
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(kindWords[kind]);
  sheet.columns = columns.map((c) => ({
    header: c.heading,
    key: c.field,
    width: Math.max(16, c.example.length + 4),
    style: { numFmt: '@' },
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const guide = workbook.addWorksheet('Hướng dẫn');
  guide.columns = [
    { header: 'Cột', width: 20 },
    { header: 'Bắt buộc', width: 10 },
    { header: 'Cách ghi', width: 60 },
    { header: 'Ví dụ', width: 40 },
  ];
  guide.getRow(1).font = { bold: true };
  for (const c of columns) guide.addRow([c.heading, c.required ? 'có' : 'không', c.guide, c.example]);
  guide.addRow([]);
  guide.addRow(['Mỗi dòng của trang đầu là một mục; dòng 1 là tiêu đề cột. Kiểm tra tệp trên trang quản trị trước khi nhập.']);
  return { name, contentType: contentTypes.xlsx, body: Buffer.from(await workbook.xlsx.writeBuffer()) };
}
