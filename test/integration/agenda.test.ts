import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgendaDocumentDto, AgendaDto } from '../../shared/agenda.js';
import type { MeetingState } from '../../shared/meetings.js';
import { renderMessage, said } from '../../shared/messages/index.js';
import type { MeetingReport } from '../../shared/reports.js';
import { pdfDocument, pdfPagesText } from '../support/pdfDocuments.js';
import { testTempDir } from '../support/tempDirs.js';
import { nextEvent, request, startTestHub, testProvider, type TestHub } from './helpers.js';

describe(`the agenda: items, documents, the item under way, its time in the report (${testProvider})`, () => {
  let hub: TestHub;
  let recordingsDir: string;
  const maxBytes = 200_000;
  beforeAll(async () => {
    recordingsDir = testTempDir('hub-agenda-');
    hub = await startTestHub({ program: { recordingsDir }, agendaDocumentMaxBytes: maxBytes });
  });
  afterAll(async () => hub.close());

  const pdf = (content: Buffer) => ({ type: 'application/pdf', content });
  const documentFiles = (meetingId: string) => {
    const dir = path.join(recordingsDir, meetingId, 'documents');
    return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  };

  it('the secretariat writes the agenda and uploads its PDFs; invited sites read them, nobody else does; bad files are refused in words', async () => {
    const meeting = await hub.createMeeting(['SO-YT', 'XA-10']);
    const clerk = await hub.login('thu-ky');
    const agendaPath = `/api/meetings/${meeting.id}/agenda`;
    const put = await hub.api<AgendaDto>('PUT', agendaPath, {
      token: clerk,
      body: {
        items: [
          { title: 'Báo cáo tình hình kinh tế – xã hội quý IV', presenterCode: 'SO-YT', plannedMinutes: 20 },
          { title: 'Kết luận của Chủ tọa', presenterCode: null, plannedMinutes: 10 },
        ],
      },
    });
    expect(put.status).toBe(200);
    expect(put.body.items.map((item) => [item.position, item.title, item.presenterName, item.plannedMinutes])).toEqual([
      [0, 'Báo cáo tình hình kinh tế – xã hội quý IV', expect.any(String), 20],
      [1, 'Kết luận của Chủ tọa', null, 10],
    ]);
    const [report, conclusion] = put.body.items;

    // a presenter the meeting did not invite, and a site writing the agenda, are refused
    const stranger = await hub.api('PUT', agendaPath, {
      token: clerk,
      body: { items: [{ title: 'Tham luận', presenterCode: 'XA-11', plannedMinutes: 5 }] },
    });
    expect(stranger.status).toBe(400);
    expect(stranger.body.message).toBe(renderMessage(said('agenda.presenterNotInvited', { code: 'XA-11' })));
    expect((await hub.api('PUT', agendaPath, { token: await hub.login('so-yt'), body: { items: [] } })).status).toBe(403);

    const content = await pdfDocument(['Báo cáo quý IV: tăng trưởng 8,2%', 'Trang 2: dự toán ngân sách năm 2027']);
    const uploaded = await hub.api<AgendaDocumentDto>(
      'POST',
      `${agendaPath}/${report!.id}/documents?fileName=${encodeURIComponent('Báo cáo quý IV.pdf')}`,
      { token: clerk, file: pdf(content) },
    );
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ fileName: 'Báo cáo quý IV.pdf', pages: 2, bytes: content.length });
    expect(documentFiles(meeting.id)).toEqual([`${uploaded.body.id}.pdf`]);

    // an invited site reads the agenda and opens the document: the same PDF, to be shown in the page
    const site = await hub.login('so-yt');
    const read = await hub.api<AgendaDto>('GET', agendaPath, { token: site });
    expect(read.body.items[0]!.documents).toEqual([uploaded.body]);
    expect(read.body.documentMaxMegabytes).toBe(0.2);
    const opened = await hub.api('GET', `/api/meetings/${meeting.id}/documents/${uploaded.body.id}`, { token: site });
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-type')).toBe('application/pdf');
    expect(opened.headers.get('content-disposition')).toMatch(/^inline; .*filename\*=UTF-8''B%C3%A1o%20c%C3%A1o%20qu%C3%BD%20IV\.pdf$/);
    expect(await pdfPagesText(opened.raw)).toEqual(['Báo cáo quý IV: tăng trưởng 8,2%', 'Trang 2: dự toán ngân sách năm 2027']);
    // a site not invited, and a supervisor, see nothing of it
    const outsider = await hub.login('xa-11');
    expect((await hub.api('GET', agendaPath, { token: outsider })).status).toBe(404);
    expect((await hub.api('GET', `/api/meetings/${meeting.id}/documents/${uploaded.body.id}`, { token: outsider })).status).toBe(404);
    expect((await hub.api('GET', agendaPath, { token: await hub.login('giam-sat') })).status).toBe(403);

    // what is not a PDF, a damaged one, and one too large: each said, nothing kept
    const refusals: Array<[Buffer, string]> = [
      [Buffer.from('Đây là tệp văn bản, không phải PDF'), renderMessage(said('agenda.documentNotPdf'))],
      [content.subarray(0, Math.floor(content.length / 3)), renderMessage(said('agenda.documentUnreadable'))],
      [
        Buffer.concat([content.subarray(0, 20), Buffer.alloc(maxBytes)]),
        renderMessage(said('agenda.documentTooLarge', { megabytes: 0.2 })),
      ],
    ];
    for (const [body, message] of refusals) {
      const refused = await hub.api('POST', `${agendaPath}/${conclusion!.id}/documents?fileName=x.pdf`, { token: clerk, file: pdf(body) });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toBe(message);
    }
    const notNamedPdf = await hub.api('POST', `${agendaPath}/${conclusion!.id}/documents?fileName=bao-cao.docx`, {
      token: clerk,
      file: pdf(content),
    });
    expect(notNamedPdf.status).toBe(400);
    expect((await hub.api<AgendaDto>('GET', agendaPath, { token: clerk })).body.items[1]!.documents).toEqual([]);
    expect(documentFiles(meeting.id)).toEqual([`${uploaded.body.id}.pdf`]);

    // an item removed takes its documents with it, files and all; each change is in the audit trail
    const second = await hub.api<AgendaDocumentDto>('POST', `${agendaPath}/${conclusion!.id}/documents?fileName=ket-luan.pdf`, {
      token: clerk,
      file: pdf(await pdfDocument(['Dự thảo kết luận'])),
    });
    expect(documentFiles(meeting.id)).toHaveLength(2);
    const removed = await hub.api<AgendaDto>('PUT', agendaPath, {
      token: clerk,
      body: { items: [{ id: report!.id, title: report!.title, presenterCode: 'SO-YT', plannedMinutes: 25 }] },
    });
    expect(removed.body.items.map((item) => [item.id, item.plannedMinutes, item.documents.length])).toEqual([[report!.id, 25, 1]]);
    expect(documentFiles(meeting.id)).toEqual([`${uploaded.body.id}.pdf`]);
    expect((await hub.api('GET', `/api/meetings/${meeting.id}/documents/${second.body.id}`, { token: clerk })).status).toBe(404);
    const audit = await hub.database.prisma.auditEntry.findMany({ where: { target: `meeting:${meeting.id}` }, orderBy: { id: 'asc' } });
    expect(audit.map((entry) => entry.action)).toEqual([
      'meeting.agenda.update',
      'meeting.document.upload',
      'meeting.document.upload',
      'meeting.agenda.update',
    ]);
    expect(JSON.parse(audit[1]!.detail!)).toMatchObject({
      fileName: 'Báo cáo quý IV.pdf',
      bytes: content.length,
      sha256: expect.any(String),
    });
  });

  it('the chair moves through the items: every page shows the one under way; its times reach the report and its workbook', async () => {
    const meeting = await hub.createMeeting(['SO-YT', 'XA-10']);
    const chairToken = await hub.login('chu-toa');
    const agendaPath = `/api/meetings/${meeting.id}/agenda`;
    const { body } = await hub.api<AgendaDto>('PUT', agendaPath, {
      token: chairToken,
      body: {
        items: [
          { title: 'Khai mạc', presenterCode: null, plannedMinutes: 5 },
          { title: 'Báo cáo của Sở Y tế', presenterCode: 'SO-YT', plannedMinutes: 15 },
          { title: 'Kết luận', presenterCode: null, plannedMinutes: 10 },
        ],
      },
    });
    const [opening, health, closing] = body.items;
    expect((await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: chairToken })).status).toBe(200);
    const chair = await hub.connect('chu-toa');
    await request(chair, 'meeting:join', { meetingId: meeting.id });
    const site = await hub.connect('so-yt');
    const joined = await request(site, 'meeting:join', { meetingId: meeting.id });
    expect((joined.data as { meeting: MeetingState }).meeting.agenda).toEqual({
      items: [
        { id: opening!.id, title: 'Khai mạc', presenterCode: null, plannedMinutes: 5, documentCount: 0, usedSeconds: 0 },
        { id: health!.id, title: 'Báo cáo của Sở Y tế', presenterCode: 'SO-YT', plannedMinutes: 15, documentCount: 0, usedSeconds: 0 },
        { id: closing!.id, title: 'Kết luận', presenterCode: null, plannedMinutes: 10, documentCount: 0, usedSeconds: 0 },
      ],
      current: null,
    });

    // only the chair moves the agenda
    expect(await request(site, 'chair:agendaItem', { itemId: opening!.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const taken = nextEvent(site, 'meeting:state', (s) => s.agenda.current?.itemId === opening!.id);
    expect(await request(chair, 'chair:agendaItem', { itemId: opening!.id })).toEqual({ ok: true, data: null });
    expect((await taken).agenda.current!.runningSeconds).toBeGreaterThanOrEqual(0);
    expect(await request(chair, 'chair:agendaItem', { itemId: 999_999 })).toMatchObject({
      ok: false,
      error: { messageKey: 'agenda.itemNotFound' },
    });
    const moved = nextEvent(site, 'meeting:state', (s) => s.agenda.current?.itemId === health!.id);
    await request(chair, 'chair:agendaItem', { itemId: health!.id });
    const afterMove = (await moved).agenda;
    // the item left behind keeps the time it ran
    expect(afterMove.items[0]!.usedSeconds).toBeGreaterThanOrEqual(0);

    // an item that has been under way is part of what happened: renamed, never removed
    const held = await hub.api('PUT', agendaPath, {
      token: chairToken,
      body: { items: [{ id: health!.id, title: health!.title, presenterCode: 'SO-YT', plannedMinutes: 15 }] },
    });
    expect(held.status).toBe(409);
    expect(held.body.message).toBe(renderMessage(said('agenda.itemHeld', { title: 'Khai mạc' })));
    // a change the pages see at once
    const renamed = nextEvent(site, 'meeting:state', (s) => s.agenda.items[2]?.title === 'Kết luận của Chủ tọa');
    await hub.api('PUT', agendaPath, {
      token: chairToken,
      body: {
        items: [
          { id: opening!.id, title: 'Khai mạc', presenterCode: null, plannedMinutes: 5 },
          { id: health!.id, title: 'Báo cáo của Sở Y tế', presenterCode: 'SO-YT', plannedMinutes: 15 },
          { id: closing!.id, title: 'Kết luận của Chủ tọa', presenterCode: null, plannedMinutes: 10 },
        ],
      },
    });
    expect((await renamed).agenda.current?.itemId).toBe(health!.id);

    // a pause, then the last item; the meeting's end closes it
    await request(chair, 'chair:agendaItem', { itemId: null });
    await request(chair, 'chair:agendaItem', { itemId: closing!.id });
    expect((await hub.api('POST', `/api/meetings/${meeting.id}/end`, { token: chairToken })).status).toBe(200);

    const spans = await hub.database.prisma.agendaSpan.findMany({ where: { item: { meetingId: meeting.id } }, orderBy: { id: 'asc' } });
    expect(spans.map((span) => span.itemId)).toEqual([opening!.id, health!.id, closing!.id]);
    expect(spans.every((span) => span.endedAt !== null)).toBe(true);
    // one after the other, none overlapping
    for (const [i, span] of spans.entries()) {
      expect(span.endedAt!.getTime()).toBeGreaterThanOrEqual(span.startedAt.getTime());
      if (i > 0) expect(span.startedAt.getTime()).toBeGreaterThanOrEqual(spans[i - 1]!.endedAt!.getTime());
    }
    const actions = await hub.database.prisma.chairAction.findMany({
      where: { meetingId: meeting.id, action: 'agendaItem' },
      orderBy: { id: 'asc' },
    });
    expect(actions.map((action) => JSON.parse(action.detail!).itemId)).toEqual([opening!.id, health!.id, null, closing!.id]);
    // over, the agenda stays as it was
    expect((await hub.api('PUT', agendaPath, { token: chairToken, body: { items: [] } })).status).toBe(409);

    const clerk = await hub.login('thu-ky');
    const meetingReport = (await hub.api<MeetingReport>('GET', `/api/reports/meetings/${meeting.id}`, { token: clerk })).body;
    const seconds = (span: { startedAt: Date; endedAt: Date | null }) => (span.endedAt!.getTime() - span.startedAt.getTime()) / 1000;
    expect(meetingReport.agenda.map((item) => [item.title, item.plannedMinutes, item.spans.length, item.usedSeconds])).toEqual([
      ['Khai mạc', 5, 1, Math.round(seconds(spans[0]!))],
      ['Báo cáo của Sở Y tế', 15, 1, Math.round(seconds(spans[1]!))],
      ['Kết luận của Chủ tọa', 10, 1, Math.round(seconds(spans[2]!))],
    ]);
    const xlsx = await hub.api('GET', `/api/reports/meetings/${meeting.id}?format=xlsx`, { token: clerk });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.raw as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Chương trình')!;
    expect([2, 3, 4].map((row) => [sheet.getCell(row, 1).value, sheet.getCell(row, 2).text, sheet.getCell(row, 4).value])).toEqual([
      [1, 'Khai mạc', 5],
      [2, 'Báo cáo của Sở Y tế', 15],
      [3, 'Kết luận của Chủ tọa', 10],
    ]);
    expect(sheet.getCell(3, 3).text).toBe(meetingReport.agenda[1]!.presenterName);
    expect(sheet.getCell(3, 5).value).toBeCloseTo(meetingReport.agenda[1]!.usedSeconds / 60, 5);
    expect(sheet.getCell(3, 7).text).toMatch(/^\d\d:\d\d–\d\d:\d\d$/);
  });
});
