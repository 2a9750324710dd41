import { conclusionsHeading, type MinutesContent } from '../../shared/minutes.js';
import { provinceUtcOffsetMs } from '../../shared/provinceCalendar.js';
import type { MeetingReport } from '../../shared/reports.js';

/** What the hub knows of who writes the minutes, for whom. */
export interface MinutesContext {
  /** The province as its date line names it, e.g. "An Giang" (PROVINCE_NAME). */
  province: string;
  /** The secretariat's account that opens the draft. */
  secretaryName: string;
  now: Date;
}

/** A moment in the province's time: its parts as a Vietnamese document writes them. */
function provinceTime(iso: string | Date) {
  const local = new Date(new Date(iso).getTime() + provinceUtcOffsetMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${two(local.getUTCDate())}/${two(local.getUTCMonth() + 1)}/${local.getUTCFullYear()}`,
    isoDate: local.toISOString().slice(0, 10),
    clock: `${two(local.getUTCHours())} giờ ${two(local.getUTCMinutes())} phút`,
    short: `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`,
  };
}

const minutes = (seconds: number) => (seconds / 60).toLocaleString('vi-VN', { maximumFractionDigits: 1 });
const percent = (part: number, whole: number) =>
  whole > 0 ? `${((part / whole) * 100).toLocaleString('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%` : '—';

/**
 * The first draft of a meeting's minutes, from what the hub recorded of it: when and where; who chaired and who
 * writes; the sites present with their head counts and those absent; the agenda with each item's times; the speakers
 * in order with how long each spoke; each vote and its result. The chair's conclusions are left for the secretariat.
 */
export function draftMinutes(report: MeetingReport, context: MinutesContext): MinutesContent {
  const { meeting } = report;
  const started = provinceTime(meeting.startedAt ?? meeting.scheduledStart);
  const ended = meeting.endedAt ? provinceTime(meeting.endedAt) : null;
  const host = meeting.invited.find((site) => site.code === meeting.hostBridgePointCode);
  const present = report.sites.filter((site) => site.attended);
  const absent = report.sites.filter((site) => !site.attended);
  return {
    header: {
      parentBody: `ỦY BAN NHÂN DÂN TỈNH ${context.province.toLocaleUpperCase('vi-VN')}`,
      issuingBody: 'VĂN PHÒNG',
      number: 'Số:       /BB-VP',
      place: context.province,
      date: provinceTime(context.now).isoDate,
    },
    title: 'BIÊN BẢN',
    subject: meeting.title,
    sections: [
      {
        heading: 'Thời gian, địa điểm',
        paragraphs: [
          `Thời gian: bắt đầu lúc ${started.clock}, ngày ${started.date}${ended ? `; kết thúc lúc ${ended.clock}` : ''}.`,
          `Địa điểm: họp trực tuyến, điểm cầu chính tại ${host?.name ?? meeting.hostBridgePointCode}, kết nối với ${report.totals.invitedSites} điểm cầu.`,
        ],
        table: null,
      },
      {
        heading: 'Thành phần tham dự',
        paragraphs: [
          `Chủ trì: ${meeting.chair.displayName}.`,
          `Thư ký: ${context.secretaryName}.`,
          `Có mặt ${report.totals.attendedSites}/${report.totals.invitedSites} điểm cầu với ${report.totals.delegates} đại biểu (theo điểm danh).`,
          absent.length > 0 ? `Vắng mặt: ${absent.map((site) => site.name).join('; ')}.` : 'Vắng mặt: không.',
        ],
        table: {
          columns: ['STT', 'Điểm cầu có mặt', 'Số đại biểu', 'Người báo cáo'],
          rows: present.map((site, i) => [
            String(i + 1),
            site.name,
            site.headCount === null ? '' : String(site.headCount),
            site.reporterName ?? '',
          ]),
        },
      },
      {
        heading: 'Chương trình cuộc họp',
        paragraphs: report.agenda.length > 0 ? [] : ['Cuộc họp không có chương trình ghi trên hệ thống.'],
        table:
          report.agenda.length > 0
            ? {
                columns: ['STT', 'Nội dung', 'Điểm cầu trình bày', 'Dự kiến (phút)', 'Thực tế (phút)', 'Thời gian'],
                rows: report.agenda.map((item) => [
                  String(item.position + 1),
                  item.title,
                  item.presenterName ?? '',
                  String(item.plannedMinutes),
                  item.spans.length > 0 ? minutes(item.usedSeconds) : '',
                  item.spans
                    .map((span) => `${provinceTime(span.startedAt).short}–${span.endedAt ? provinceTime(span.endedAt).short : ''}`)
                    .join(', '),
                ]),
              }
            : null,
      },
      {
        heading: 'Ý kiến phát biểu',
        paragraphs: report.speeches.length > 0 ? [] : ['Không có ý kiến phát biểu ghi trên hệ thống.'],
        table:
          report.speeches.length > 0
            ? {
                columns: ['STT', 'Điểm cầu', 'Người phát biểu', 'Nội dung', 'Bắt đầu', 'Thời lượng (phút)', 'Thuộc nội dung'],
                rows: report.speeches.map((speech, i) => [
                  String(i + 1),
                  speech.siteName,
                  speech.delegateName ?? '',
                  speech.topic ?? '',
                  provinceTime(speech.startedAt).short,
                  speech.endedAt ? minutes((Date.parse(speech.endedAt) - Date.parse(speech.startedAt)) / 1000) : '',
                  speech.agendaItemTitle ?? '',
                ]),
              }
            : null,
      },
      {
        heading: 'Kết quả biểu quyết',
        paragraphs:
          report.votes.length > 0
            ? report.votes.map((vote, i) => {
                const totals = vote.totals ?? [];
                const all = totals.reduce((a, b) => a + b, 0);
                const results = vote.choices.map(
                  (choice, c) => `${choice} ${totals[c] ?? 0}/${all} đại biểu (${percent(totals[c] ?? 0, all)})`,
                );
                return `${i + 1}. ${vote.question} (${vote.secret ? 'bỏ phiếu kín' : 'biểu quyết công khai'}, ${vote.answeredCodes.length} điểm cầu biểu quyết): ${results.join('; ')}.`;
              })
            : ['Cuộc họp không biểu quyết.'],
        table: null,
      },
      { heading: conclusionsHeading, paragraphs: [''], table: null },
      {
        heading: '',
        paragraphs: [ended ? `Cuộc họp kết thúc vào lúc ${ended.clock} cùng ngày./.` : 'Cuộc họp kết thúc cùng ngày./.'],
        table: null,
      },
    ],
    signers: { secretary: context.secretaryName, chair: meeting.chair.displayName },
  };
}
