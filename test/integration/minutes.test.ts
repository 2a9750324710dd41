import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minutesDigest } from '../../hub/minutes/index.js';
import type { AgendaDto } from '../../shared/agenda.js';
import { renderMessage, said } from '../../shared/messages/index.js';
import { conclusionsHeading, type MinutesContent, type MinutesDto, type MinutesVersionDto } from '../../shared/minutes.js';
import { provinceUtcOffsetMs } from '../../shared/provinceCalendar.js';
import type { MeetingReport } from '../../shared/reports.js';
import { pdfPagesText } from '../support/pdfDocuments.js';
import { readPdfPage } from '../support/pdfPictures.js';
import { nextEvent, request, startTestHub, testProvider, type TestHub } from './helpers.js';

const clock = (iso: string) => {
  const local = new Date(Date.parse(iso) + provinceUtcOffsetMs);
  return `${String(local.getUTCHours()).padStart(2, '0')} giờ ${String(local.getUTCMinutes()).padStart(2, '0')} phút`;
};

describe(`the minutes: drafted from what happened, edited, finalized with a hash, exported (${testProvider})`, () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub.close());

  /** A meeting held: two sites present (12 and 8 delegates), one absent, an agenda, a speech and an open vote. */
  async function meetingHeld() {
    const meeting = await hub.createMeeting(['SO-YT', 'XA-10', 'XA-11'], { title: 'Họp giao ban chuyển đổi số tháng 12' });
    const chairToken = await hub.login('chu-toa');
    const { body: agenda } = await hub.api<AgendaDto>('PUT', `/api/meetings/${meeting.id}/agenda`, {
      token: chairToken,
      body: {
        items: [
          { title: 'Báo cáo kết quả chuyển đổi số', presenterCode: 'SO-YT', plannedMinutes: 15 },
          { title: 'Biểu quyết kế hoạch năm 2027', presenterCode: null, plannedMinutes: 10 },
        ],
      },
    });
    await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: chairToken });
    const chair = await hub.connect('chu-toa');
    await request(chair, 'meeting:join', { meetingId: meeting.id });
    const yt = await hub.connect('so-yt');
    const xa10 = await hub.connect('xa-10');
    await request(yt, 'meeting:join', { meetingId: meeting.id });
    await request(xa10, 'meeting:join', { meetingId: meeting.id });
    await request(chair, 'chair:rollCall', { open: true });
    const counted = nextEvent(chair, 'meeting:state', (s) => s.rollCall?.entries.length === 2);
    await request(yt, 'rollCall:confirm', { headCount: 12, reporterName: 'Trần Thị Lan' });
    await request(xa10, 'rollCall:confirm', { headCount: 8, reporterName: 'Lê Văn Chín' });
    await counted;
    await request(chair, 'chair:agendaItem', { itemId: agenda.items[0]!.id });
    await request(yt, 'speech:request', { topic: 'Hồ sơ bệnh án điện tử', delegateName: 'BS. Nguyễn Văn Hải' });
    await request(chair, 'chair:callSpeaker', { bridgePointCode: 'SO-YT', limitSeconds: 180 });
    await request(chair, 'chair:endSpeech', {});
    await request(chair, 'chair:agendaItem', { itemId: agenda.items[1]!.id });
    const { data } = await request(chair, 'chair:openVote', { question: 'Thông qua kế hoạch chuyển đổi số năm 2027', secret: false });
    const voteId = (data as { voteId: number }).voteId;
    await request(yt, 'vote:answer', { voteId, counts: [12, 0, 0] });
    await request(xa10, 'vote:answer', { voteId, counts: [5, 2, 1] });
    await request(chair, 'chair:closeVote', { voteId });
    return { meeting, chairToken };
  }

  it('lists exactly what happened, is edited, finalized with its SHA-256, changed in a new version, and exported as DOCX and PDF', async () => {
    const { meeting, chairToken } = await meetingHeld();
    const clerk = await hub.login('thu-ky');
    const path = `/api/meetings/${meeting.id}/minutes`;
    // written once the meeting is over, by the secretariat, the chair or the admin only
    const early = await hub.api('POST', path, { token: clerk });
    expect(early.status).toBe(409);
    expect(early.body.message).toBe(renderMessage(said('minutes.meetingNotEnded')));
    expect((await hub.api('POST', `/api/meetings/${meeting.id}/end`, { token: chairToken })).status).toBe(200);
    for (const other of ['so-yt', 'giam-sat']) expect((await hub.api('POST', path, { token: await hub.login(other) })).status).toBe(403);

    const opened = await hub.api<MinutesVersionDto>('POST', path, { token: clerk });
    expect(opened.status).toBe(201);
    const draft = opened.body;
    expect(draft).toMatchObject({ version: 1, status: 'DRAFT', sha256: null, createdBy: expect.any(String) });
    const report = (await hub.api<MeetingReport>('GET', `/api/reports/meetings/${meeting.id}`, { token: clerk })).body;
    const content = draft.content;
    const section = (heading: string) => content.sections.find((s) => s.heading === heading)!;
    expect(content.header).toMatchObject({
      parentBody: 'ỦY BAN NHÂN DÂN TỈNH AN GIANG',
      place: 'An Giang',
      date: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
    });
    expect([content.title, content.subject]).toEqual(['BIÊN BẢN', 'Họp giao ban chuyển đổi số tháng 12']);
    expect(section('Thời gian, địa điểm').paragraphs[0]).toBe(
      `Thời gian: bắt đầu lúc ${clock(report.meeting.startedAt!)}, ngày ${new Date(Date.parse(report.meeting.startedAt!) + provinceUtcOffsetMs).toISOString().slice(0, 10).split('-').reverse().join('/')}; kết thúc lúc ${clock(report.meeting.endedAt!)}.`,
    );
    const names = Object.fromEntries(report.sites.map((site) => [site.code, site.name]));
    const attendance = section('Thành phần tham dự');
    expect(attendance.paragraphs).toEqual([
      `Chủ trì: ${report.meeting.chair.displayName}.`,
      `Thư ký: ${draft.createdBy}.`,
      'Có mặt 3/4 điểm cầu với 20 đại biểu (theo điểm danh).',
      `Vắng mặt: ${names['XA-11']}.`,
    ]);
    expect(attendance.table!.rows).toEqual([
      ['1', names['UBND-TINH'], '', ''],
      ['2', names['SO-YT'], '12', 'Trần Thị Lan'],
      ['3', names['XA-10'], '8', 'Lê Văn Chín'],
    ]);
    expect(section('Chương trình cuộc họp').table!.rows.map((row) => row.slice(0, 4))).toEqual([
      ['1', 'Báo cáo kết quả chuyển đổi số', names['SO-YT'], '15'],
      ['2', 'Biểu quyết kế hoạch năm 2027', '', '10'],
    ]);
    expect(section('Ý kiến phát biểu').table!.rows.map((row) => [row[0], row[1], row[2], row[3], row[6]])).toEqual([
      ['1', names['SO-YT'], 'BS. Nguyễn Văn Hải', 'Hồ sơ bệnh án điện tử', 'Báo cáo kết quả chuyển đổi số'],
    ]);
    expect(section('Kết quả biểu quyết').paragraphs).toEqual([
      '1. Thông qua kế hoạch chuyển đổi số năm 2027 (biểu quyết công khai, 2 điểm cầu biểu quyết): Tán thành 17/20 đại biểu (85,0%); Không tán thành 2/20 đại biểu (10,0%); Không biểu quyết 1/20 đại biểu (5,0%).',
    ]);
    expect(section(conclusionsHeading).paragraphs).toEqual(['']);
    expect(content.signers).toEqual({ secretary: draft.createdBy, chair: report.meeting.chair.displayName });
    // one draft at a time
    expect((await hub.api('POST', path, { token: clerk })).status).toBe(409);

    // not final without the chair's conclusions
    const unfinished = await hub.api('POST', `${path}/finalize`, { token: clerk });
    expect(unfinished.status).toBe(400);
    expect(unfinished.body.message).toBe(renderMessage(said('minutes.conclusionsMissing')));
    const conclusions = 'Giao Sở Y tế hoàn thành hồ sơ bệnh án điện tử tại 100% trạm y tế xã trước ngày 30/6/2027.';
    const edited: MinutesContent = {
      ...content,
      header: { ...content.header, number: 'Số: 15/BB-VP' },
      sections: content.sections.map((s) => (s.heading === conclusionsHeading ? { ...s, paragraphs: [conclusions] } : s)),
    };
    expect((await hub.api('PUT', `${path}/draft`, { token: clerk, body: { document: edited } })).status).toBe(200);
    // what is not the document's shape is refused in words
    const malformed = await hub.api('PUT', `${path}/draft`, {
      token: clerk,
      body: { document: { ...edited, header: { ...edited.header, date: 'hôm nay' } } },
    });
    expect(malformed.status).toBe(400);
    const final = await hub.api<MinutesVersionDto>('POST', `${path}/finalize`, { token: clerk });
    expect(final.status).toBe(200);
    expect(final.body).toMatchObject({ version: 1, status: 'FINAL', finalizedBy: expect.any(String), content: edited });
    expect(final.body.sha256).toBe(minutesDigest(edited));
    const audit = await hub.database.prisma.auditEntry.findMany({
      where: { target: `meeting:${meeting.id}`, action: { startsWith: 'meeting.minutes' } },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((entry) => entry.action)).toEqual(['meeting.minutes.draft', 'meeting.minutes.finalize']);
    expect(JSON.parse(audit[1]!.detail!)).toEqual({ version: 1, sha256: final.body.sha256 });

    // locked: a change is the next version, from the final one
    expect((await hub.api('PUT', `${path}/draft`, { token: clerk, body: { document: { ...edited, subject: 'Sửa' } } })).status).toBe(409);
    const next = await hub.api<MinutesVersionDto>('POST', path, { token: chairToken });
    expect(next.body).toMatchObject({ version: 2, status: 'DRAFT', content: edited });
    await hub.api('PUT', `${path}/draft`, {
      token: chairToken,
      body: { content: { ...edited, subject: 'Họp giao ban chuyển đổi số (bổ sung)' } },
    });
    const versions = (await hub.api<MinutesDto>('GET', path, { token: clerk })).body.versions;
    expect(versions.map((v) => [v.version, v.status, v.sha256])).toEqual([
      [1, 'FINAL', final.body.sha256],
      [2, 'DRAFT', null],
    ]);
    expect(versions[0]!.content).toEqual(edited);

    // the Word document, read back with a DOCX reader
    const docx = await hub.api('GET', `${path}/1/export?format=docx`, { token: clerk });
    expect(docx.status).toBe(200);
    expect(docx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const { value: words } = await mammoth.extractRawText({ buffer: docx.raw });
    const wordText = words.replace(/\s+/g, ' ');
    for (const expected of [
      'ỦY BAN NHÂN DÂN TỈNH AN GIANG',
      'Số: 15/BB-VP',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      `An Giang, ngày `,
      'BIÊN BẢN',
      'I. Thời gian, địa điểm',
      'Có mặt 3/4 điểm cầu với 20 đại biểu (theo điểm danh).',
      'BS. Nguyễn Văn Hải',
      'VI. Kết luận của chủ tọa',
      conclusions,
      'THƯ KÝ',
      'CHỦ TỌA',
    ])
      expect(wordText).toContain(expected);

    // the PDF: its text, and its first page drawn and read back with its Vietnamese marks
    const pdf = await hub.api('GET', `${path}/1/export?format=pdf`, { token: clerk });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = (await pdfPagesText(pdf.raw)).join(' ');
    for (const expected of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'BIÊN BẢN',
      conclusions.slice(0, 40),
      'Thông qua kế hoạch chuyển đổi số năm 2027',
    ])
      expect(text).toContain(expected);
    const { text: seen } = await readPdfPage(pdf.raw, 1);
    for (const expected of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'BIÊN BẢN',
      'Họp giao ban chuyển đổi số tháng 12',
      'Thời gian, địa điểm',
    ])
      expect(seen).toContain(expected);
  });
});
