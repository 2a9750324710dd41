import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgendaDto } from '../../shared/agenda.js';
import type { MeetingState } from '../../shared/meetings.js';
import type { MeetingReport } from '../../shared/reports.js';
import { nextEvent, request, startTestHub, testProvider, type TestHub, type TestSocket } from './helpers.js';

describe(`requests to speak: the queue the chair orders, the speeches it times, their log (${testProvider})`, () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub.close());

  it('three sites ask; the chair reorders, declines one, calls the others with a limit; every page follows; the speeches are logged with their agenda item', async () => {
    const meeting = await hub.createMeeting(['SO-YT', 'XA-10', 'XA-11']);
    const chairToken = await hub.login('chu-toa');
    const { body: agenda } = await hub.api<AgendaDto>('PUT', `/api/meetings/${meeting.id}/agenda`, {
      token: chairToken,
      body: { items: [{ title: 'Thảo luận dự toán ngân sách', presenterCode: null, plannedMinutes: 30 }] },
    });
    expect((await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: chairToken })).status).toBe(200);
    const chair = await hub.connect('chu-toa');
    await request(chair, 'meeting:join', { meetingId: meeting.id });
    const sites: Record<string, TestSocket> = {};
    for (const code of ['SO-YT', 'XA-10', 'XA-11']) {
      sites[code] = await hub.connect(code.toLowerCase());
      await request(sites[code], 'meeting:join', { meetingId: meeting.id });
    }
    const [yt, xa10, xa11] = [sites['SO-YT']!, sites['XA-10']!, sites['XA-11']!];
    await request(chair, 'chair:agendaItem', { itemId: agenda.items[0]!.id });

    const queued = nextEvent(xa11, 'meeting:state', (s) => s.speaking.requests.length === 3);
    expect(await request(yt, 'speech:request', { topic: 'Kinh phí y tế cơ sở', delegateName: 'BS. Trần Thị Lan' })).toEqual({
      ok: true,
      data: null,
    });
    // a raised hand (or a room system's *1) is a request with neither topic nor name
    await request(xa10, 'hand:raise', { raised: true });
    await request(xa11, 'speech:request', { topic: 'Đường giao thông nông thôn' });
    const requests = (await queued).speaking.requests;
    expect(requests.map((r) => [r.code, r.topic, r.delegateName])).toEqual([
      ['SO-YT', 'Kinh phí y tế cơ sở', 'BS. Trần Thị Lan'],
      ['XA-10', null, null],
      ['XA-11', 'Đường giao thông nông thôn', null],
    ]);
    // asked again, the topic changes and the place stays
    const updated = nextEvent(chair, 'meeting:state', (s) => s.speaking.requests[0]?.topic === 'Kinh phí y tế xã');
    await request(yt, 'speech:request', { topic: 'Kinh phí y tế xã', delegateName: 'BS. Trần Thị Lan' });
    expect((await updated).speaking.requests.map((r) => r.code)).toEqual(['SO-YT', 'XA-10', 'XA-11']);
    expect((await updated).handQueue).toEqual(['SO-YT', 'XA-10', 'XA-11']);

    // only the chair runs the queue; the chair asks nobody
    expect(await request(yt, 'chair:reorderRequests', { codes: ['XA-11', 'SO-YT', 'XA-10'] })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await request(chair, 'speech:request', {})).toMatchObject({ ok: false, error: { messageKey: 'speaking.chairNeedsNoRequest' } });
    const reordered = nextEvent(yt, 'meeting:state', (s) => s.speaking.requests[0]?.code === 'XA-11');
    expect(await request(chair, 'chair:reorderRequests', { codes: ['XA-11', 'SO-YT', 'XA-10'] })).toEqual({ ok: true, data: null });
    expect((await reordered).speaking.requests.map((r) => r.code)).toEqual(['XA-11', 'SO-YT', 'XA-10']);
    // an order that is not the queue (one left out) changes nothing
    expect(await request(chair, 'chair:reorderRequests', { codes: ['SO-YT', 'XA-10'] })).toMatchObject({
      ok: false,
      error: { messageKey: 'speaking.queueChanged' },
    });

    const declined = nextEvent(xa10, 'speech:declined');
    expect(await request(chair, 'chair:declineRequest', { bridgePointCode: 'XA-10' })).toEqual({ ok: true, data: null });
    await declined;
    expect(await request(chair, 'chair:declineRequest', { bridgePointCode: 'XA-10' })).toMatchObject({
      ok: false,
      error: { messageKey: 'speaking.notWaiting' },
    });

    const first = nextEvent(yt, 'meeting:state', (s) => s.speaking.current?.code === 'XA-11');
    expect(await request(chair, 'chair:callSpeaker', { bridgePointCode: 'XA-11', limitSeconds: 120 })).toEqual({ ok: true, data: null });
    const speaking = await first;
    expect(speaking.floorCode).toBe('XA-11');
    expect(speaking.speaking.current).toMatchObject({
      code: 'XA-11',
      topic: 'Đường giao thông nông thôn',
      delegateName: null,
      limitSeconds: 120,
    });
    expect(speaking.speaking.current!.runningSeconds).toBeGreaterThanOrEqual(0);
    expect(speaking.speaking.requests.map((r) => r.code)).toEqual(['SO-YT']);
    // a limit outside 15 s – 1 h is refused
    expect(await request(chair, 'chair:callSpeaker', { bridgePointCode: 'SO-YT', limitSeconds: 5 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PAYLOAD' },
    });

    // the next speaker: the first speech ends as the second begins
    const second = nextEvent(xa11, 'meeting:state', (s: MeetingState) => s.speaking.current?.code === 'SO-YT');
    await request(chair, 'chair:callSpeaker', { bridgePointCode: 'SO-YT', limitSeconds: 300 });
    expect((await second).speaking.current).toMatchObject({ delegateName: 'BS. Trần Thị Lan', topic: 'Kinh phí y tế xã' });
    // the floor moved by hand ends the speech
    const floorMoved = nextEvent(yt, 'meeting:state', (s) => s.floorCode === 'XA-10' && s.speaking.current === null);
    await request(chair, 'chair:giveFloor', { bridgePointCode: 'XA-10' });
    await floorMoved;
    // a speech ended by the chair: the speaker loses the floor
    await request(chair, 'chair:callSpeaker', { bridgePointCode: 'XA-10', limitSeconds: 60 });
    const ended = nextEvent(xa10, 'meeting:state', (s) => s.speaking.current === null && s.floorCode === null);
    expect(await request(chair, 'chair:endSpeech', {})).toEqual({ ok: true, data: null });
    await ended;
    expect(await request(chair, 'chair:endSpeech', {})).toMatchObject({ ok: false, error: { messageKey: 'speaking.noSpeech' } });
    // a speech under way when the meeting ends ends with it
    await request(chair, 'chair:callSpeaker', { bridgePointCode: 'SO-YT', limitSeconds: 60 });
    expect((await hub.api('POST', `/api/meetings/${meeting.id}/end`, { token: chairToken })).status).toBe(200);

    const rows = await hub.database.prisma.speech.findMany({ where: { meetingId: meeting.id }, orderBy: { id: 'asc' } });
    expect(rows.every((row) => row.endedAt !== null && row.endedAt >= row.startedAt)).toBe(true);
    for (const [i, row] of rows.entries())
      if (i > 0) expect(row.startedAt.getTime()).toBeGreaterThanOrEqual(rows[i - 1]!.endedAt!.getTime());
    const actions = await hub.database.prisma.chairAction.findMany({
      where: { meetingId: meeting.id, action: { in: ['reorderRequests', 'declineRequest', 'callSpeaker', 'endSpeech'] } },
      orderBy: { id: 'asc' },
    });
    expect(actions.map((a) => `${a.action}:${a.targetCode ?? ''}`)).toEqual([
      'reorderRequests:',
      'declineRequest:XA-10',
      'callSpeaker:XA-11',
      'callSpeaker:SO-YT',
      'callSpeaker:XA-10',
      'endSpeech:XA-10',
      'callSpeaker:SO-YT',
    ]);

    const clerk = await hub.login('thu-ky');
    const report = (await hub.api<MeetingReport>('GET', `/api/reports/meetings/${meeting.id}`, { token: clerk })).body;
    expect(report.speeches.map((s) => [s.code, s.delegateName, s.topic, s.agendaItemTitle, s.limitSeconds])).toEqual([
      ['XA-11', null, 'Đường giao thông nông thôn', 'Thảo luận dự toán ngân sách', 120],
      ['SO-YT', 'BS. Trần Thị Lan', 'Kinh phí y tế xã', 'Thảo luận dự toán ngân sách', 300],
      ['XA-10', null, null, 'Thảo luận dự toán ngân sách', 60],
      ['SO-YT', null, null, 'Thảo luận dự toán ngân sách', 60],
    ]);
    const xlsx = await hub.api('GET', `/api/reports/meetings/${meeting.id}?format=xlsx`, { token: clerk });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.raw as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Phát biểu')!;
    expect([2, 3].map((row) => [sheet.getCell(row, 1).value, sheet.getCell(row, 3).text, sheet.getCell(row, 4).text])).toEqual([
      [1, '', 'Đường giao thông nông thôn'],
      [2, 'BS. Trần Thị Lan', 'Kinh phí y tế xã'],
    ]);
  });

  it('a request and its topic outlive a restart of the hub, and so does the speech under way', async () => {
    const meeting = await hub.createMeeting(['SO-YT', 'XA-10']);
    const chairToken = await hub.login('chu-toa');
    await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: chairToken });
    const chair = await hub.connect('chu-toa');
    await request(chair, 'meeting:join', { meetingId: meeting.id });
    const yt = await hub.connect('so-yt');
    const xa10 = await hub.connect('xa-10');
    await request(yt, 'meeting:join', { meetingId: meeting.id });
    await request(xa10, 'meeting:join', { meetingId: meeting.id });
    await request(xa10, 'speech:request', { topic: 'Chợ nông thôn', delegateName: 'Ông Lê Văn Tư' });
    const called = nextEvent(chair, 'meeting:state', (s) => s.speaking.current?.code === 'SO-YT' && s.speaking.requests.length === 1);
    await request(yt, 'speech:request', {});
    await request(chair, 'chair:callSpeaker', { bridgePointCode: 'SO-YT', limitSeconds: 600 });
    await called;
    // the chair's controls are written once their state went out
    await expect
      .poll(async () => (await hub.database.prisma.meeting.findUniqueOrThrow({ where: { id: meeting.id } })).controlState)
      .toContain('Chợ nông thôn');

    const again = await startTestHub({ reuse: { config: hub.databaseConfig } });
    try {
      const site = await again.connect('xa-10');
      const joined = await request(site, 'meeting:join', { meetingId: meeting.id });
      const state = (joined.data as { meeting: MeetingState }).meeting;
      expect(state.speaking.requests).toEqual([
        { code: 'XA-10', topic: 'Chợ nông thôn', delegateName: 'Ông Lê Văn Tư', requestedAt: expect.any(String) },
      ]);
      expect(state.speaking.current).toMatchObject({ code: 'SO-YT', limitSeconds: 600 });
    } finally {
      await again.close();
    }
  });
});
