import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { provinceUtcOffsetMs } from '../../shared/provinceCalendar.js';
import type { MeetingReport, PeriodReport } from '../../shared/reports.js';

/** A table as the exports write it: Vietnamese headers, then rows of plain values. */
export interface Table {
  name: string;
  columns: Array<{ header: string; width?: number; format?: string }>;
  rows: Array<Array<string | number | Date | null>>;
}

const hostLevelVi = { PROVINCIAL: 'Cấp tỉnh', GOVERNMENT: 'Với Chính phủ' } as const;
const levelVi = { PROVINCE: 'Cấp tỉnh', DISTRICT: 'Cấp huyện', COMMUNE: 'Cấp xã' } as const;
const date = (iso: string | null) => (iso ? new Date(iso) : null);

export function meetingTables(report: MeetingReport): Table[] {
  return [
    {
      name: 'Điểm cầu',
      columns: [
        { header: 'Mã điểm cầu', width: 14 },
        { header: 'Tên điểm cầu', width: 44 },
        { header: 'Cấp', width: 10 },
        { header: 'Có mặt', width: 8 },
        { header: 'Vào lúc', width: 20, format: 'dd/mm/yyyy hh:mm' },
        { header: 'Rời lúc', width: 20, format: 'dd/mm/yyyy hh:mm' },
        { header: 'Số phút dự', width: 10 },
        { header: 'Số lần kết nối lại', width: 10 },
        { header: 'Số đại biểu', width: 10 },
        { header: 'Người báo cáo', width: 24 },
      ],
      rows: [
        ...report.sites.map((s) => [
          s.code,
          s.name,
          levelVi[s.level],
          s.attended ? 'Có' : 'Không',
          date(s.firstJoinedAt),
          date(s.lastLeftAt),
          s.minutesPresent,
          s.reconnects,
          s.headCount,
          s.reporterName,
        ]),
        [
          'Tổng cộng',
          `${report.totals.attendedSites}/${report.totals.invitedSites} điểm cầu`,
          null,
          null,
          null,
          null,
          null,
          null,
          report.totals.delegates,
          null,
        ],
      ],
    },
    ...(report.agenda.length > 0 ? [agendaTable(report)] : []),
    ...(report.speeches.length > 0 ? [speechTable(report)] : []),
    ...(report.votes.length > 0 ? [voteTable(report)] : []),
  ];
}

/** The speakers in order: the log the minutes are drafted from. */
function speechTable(report: MeetingReport): Table {
  return {
    name: 'Phát biểu',
    columns: [
      { header: 'STT', width: 6 },
      { header: 'Điểm cầu', width: 36 },
      { header: 'Người phát biểu', width: 24 },
      { header: 'Nội dung', width: 40 },
      { header: 'Thuộc nội dung chương trình', width: 36 },
      { header: 'Bắt đầu', width: 20, format: 'dd/mm/yyyy hh:mm:ss' },
      { header: 'Kết thúc', width: 20, format: 'dd/mm/yyyy hh:mm:ss' },
      { header: 'Số giây', width: 10 },
      { header: 'Thời gian cho phép (giây)', width: 12 },
    ],
    rows: report.speeches.map((speech, i) => [
      i + 1,
      speech.siteName,
      speech.delegateName,
      speech.topic,
      speech.agendaItemTitle,
      date(speech.startedAt),
      date(speech.endedAt),
      speech.endedAt ? Math.round((Date.parse(speech.endedAt) - Date.parse(speech.startedAt)) / 1000) : null,
      speech.limitSeconds,
    ]),
  };
}

/** Each agenda item's time against its plan, and when it was under way. */
function agendaTable(report: MeetingReport): Table {
  const clock = (iso: string) => new Date(Date.parse(iso) + provinceUtcOffsetMs).toISOString().slice(11, 16);
  return {
    name: 'Chương trình',
    columns: [
      { header: 'STT', width: 6 },
      { header: 'Nội dung', width: 50 },
      { header: 'Điểm cầu trình bày', width: 30 },
      { header: 'Số phút dự kiến', width: 12 },
      { header: 'Số phút thực tế', width: 12, format: '0.0' },
      { header: 'Chênh lệch (phút)', width: 12, format: '+0.0;-0.0;0' },
      { header: 'Thời gian', width: 30 },
    ],
    rows: report.agenda.map((item) => [
      item.position + 1,
      item.title,
      item.presenterName,
      item.plannedMinutes,
      item.usedSeconds / 60,
      item.spans.length > 0 ? item.usedSeconds / 60 - item.plannedMinutes : null,
      item.spans.map((span) => `${clock(span.startedAt)}–${span.endedAt ? clock(span.endedAt) : '…'}`).join(', ') || null,
    ]),
  };
}

/** Each closed vote's result, a row per choice: what the minutes record of it. */
function voteTable(report: MeetingReport): Table {
  return {
    name: 'Biểu quyết',
    columns: [
      { header: 'Nội dung biểu quyết', width: 50 },
      { header: 'Hình thức', width: 12 },
      { header: 'Lựa chọn', width: 20 },
      { header: 'Số đại biểu', width: 12 },
      { header: 'Tỉ lệ', width: 10, format: '0.0%' },
      { header: 'Số điểm cầu biểu quyết', width: 12 },
      { header: 'Kết thúc lúc', width: 20, format: 'dd/mm/yyyy hh:mm' },
    ],
    rows: report.votes.flatMap((vote) => {
      const totals = vote.totals ?? [];
      const all = totals.reduce((a, b) => a + b, 0);
      return vote.choices.map((choice, i) => [
        vote.question,
        vote.secret ? 'Bỏ phiếu kín' : 'Công khai',
        choice,
        totals[i] ?? 0,
        all > 0 ? (totals[i] ?? 0) / all : null,
        vote.answeredCodes.length,
        date(vote.closedAt),
      ]);
    }),
  };
}

export function periodTables(report: PeriodReport): Table[] {
  return [
    {
      name: 'Tổng hợp',
      columns: [
        { header: 'Chỉ tiêu', width: 40 },
        { header: 'Số cuộc họp', width: 14 },
        { header: 'Lượt đại biểu', width: 14 },
      ],
      rows: [
        [report.summary, null, null],
        ['Họp cấp tỉnh', report.byHostLevel.PROVINCIAL.meetings, report.byHostLevel.PROVINCIAL.delegates],
        ['Họp với Chính phủ', report.byHostLevel.GOVERNMENT.meetings, report.byHostLevel.GOVERNMENT.delegates],
        ['Tổng cộng', report.meetings, report.delegates],
      ],
    },
    {
      name: 'Cuộc họp',
      columns: [
        { header: 'Ngày họp', width: 18, format: 'dd/mm/yyyy hh:mm' },
        { header: 'Nội dung', width: 60 },
        { header: 'Chủ trì', width: 16 },
        { header: 'Điểm cầu được mời', width: 12 },
        { header: 'Điểm cầu tham dự', width: 12 },
        { header: 'Lượt đại biểu', width: 12 },
      ],
      rows: [
        ...report.meetingRows.map((m) => [
          new Date(m.startedAt),
          m.title,
          hostLevelVi[m.hostLevel],
          m.invitedSites,
          m.attendedSites,
          m.delegates,
        ]),
        ['Tổng cộng', `${report.meetings} cuộc họp`, null, null, null, report.delegates],
      ],
    },
    {
      name: 'Điểm cầu',
      columns: [
        { header: 'Mã điểm cầu', width: 14 },
        { header: 'Tên điểm cầu', width: 44 },
        { header: 'Cấp', width: 10 },
        { header: 'Được mời', width: 10 },
        { header: 'Tham dự', width: 10 },
        { header: 'Tỷ lệ tham dự (%)', width: 12 },
        { header: 'Lượt đại biểu', width: 12 },
      ],
      rows: report.bridgePoints.map((p) => [
        p.code,
        p.name,
        levelVi[p.level],
        p.invited,
        p.attended,
        p.rate === null ? null : Math.round(p.rate * 1000) / 10,
        p.delegates,
      ]),
    },
  ];
}

/**
 * CSV for Excel: UTF-8 with a byte-order mark (or Excel shows Vietnamese as mojibake), CRLF. A text cell
 * that Excel would read as a formula (a reporter's name or a meeting title typed as `=HYPERLINK(…)`) is
 * written with a leading apostrophe, which Excel shows as text (OWASP's CSV-injection advice).
 */
export function toCsv(table: Table): Buffer {
  const cell = (value: string | number | Date | null) =>
    value instanceof Date ? formatVi(value) : typeof value === 'string' && formulaStart.test(value) ? `'${value}` : value;
  const text = stringify([table.columns.map((c) => c.header), ...table.rows.map((row) => row.map(cell))], { record_delimiter: 'windows' });
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

export async function toXlsx(tables: Table[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Hệ thống họp trực tuyến tỉnh';
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.name);
    sheet.columns = table.columns.map((c) => ({ header: c.header, width: c.width, style: c.format ? { numFmt: c.format } : {} }));
    sheet.getRow(1).font = { bold: true };
    // Dates are written as the province's wall-clock time: Excel has no time zones.
    for (const row of table.rows) sheet.addRow(row.map((v) => (v instanceof Date ? new Date(v.getTime() + 7 * 3600_000) : v)));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** What Excel and LibreOffice start a formula with (tab and carriage return: they trim them first). */
const formulaStart = /^[=+\-@\t\r]/;

function formatVi(value: Date): string {
  return value.toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' });
}
