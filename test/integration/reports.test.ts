import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingReport, PeriodReport } from '../../shared/reports.js';
import { request, startTestHub, testProvider, type TestHub } from './helpers.js';

describe(`secretariat reports (${testProvider})`, () => {
  let hub: TestHub;
  let provincialId: string;
  let governmentId: string;
  let clerk: string;
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);

  /** Runs a meeting: the sites join, answer a roll call with `heads`, and the chair ends it. */
  async function hold(codes: string[], heads: number[], hostLevel: 'PROVINCIAL' | 'GOVERNMENT'): Promise<string> {
    const meeting = await hub.createMeeting(codes, { hostLevel });
    const chairToken = await hub.login('chu-toa');
    await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: chairToken });
    const chair = await hub.connect('chu-toa');
    await request(chair, 'meeting:join', { meetingId: meeting.id });
    const sites = await Promise.all(codes.map((code) => hub.connect(code.toLowerCase())));
    for (const site of sites) expect(await request(site, 'meeting:join', { meetingId: meeting.id })).toMatchObject({ ok: true });
    await request(chair, 'chair:rollCall', { open: true });
    for (const [i, site] of sites.entries())
      await request(site, 'rollCall:confirm', { headCount: heads[i], reporterName: `Báo cáo viên ${i + 1}` });
    await request(chair, 'chair:rollCall', { open: false });
    await hub.api('POST', `/api/meetings/${meeting.id}/end`, { token: chairToken });
    return meeting.id;
  }

  beforeAll(async () => {
    hub = await startTestHub();
    clerk = await hub.login('thu-ky');
    provincialId = await hold(['SO-NV', 'XA-01', 'XA-02'], [4, 9, 6], 'PROVINCIAL');
    governmentId = await hold(['SO-NV', 'SO-TC'], [12, 8], 'GOVERNMENT');
    // Invited but absent: counts against participation.
    await hub.createMeeting(['XA-25']);
  });
  afterAll(async () => hub.close());

  it('reports one meeting: sites, presence, minutes and head counts', async () => {
    const { status, body } = await hub.api<MeetingReport>('GET', `/api/reports/meetings/${provincialId}`, { token: clerk });
    expect(status).toBe(200);
    expect(body.totals).toEqual({ invitedSites: 4, attendedSites: 4, delegates: 19 });
    const nv = body.sites.find((s) => s.code === 'SO-NV')!;
    expect(nv).toMatchObject({ attended: true, headCount: 4, reporterName: 'Báo cáo viên 1', minutesPresent: 0, reconnects: 0 });
    expect(Date.parse(nv.lastLeftAt!)).toBeGreaterThanOrEqual(Date.parse(nv.firstJoinedAt!));
    expect(body.sites.find((s) => s.code === 'UBND-TINH')).toMatchObject({ attended: true, headCount: null });
    // the meeting as the API describes it, not the hub's own record of it (chair id, control state)
    expect(Object.keys(body.meeting).sort()).toEqual([
      'callRoomSystemsAtStart',
      'chair',
      'endedAt',
      'hostBridgePointCode',
      'hostLevel',
      'id',
      'invited',
      'locked',
      'scheduledEnd',
      'scheduledStart',
      'startedAt',
      'status',
      'title',
    ]);
  });

  it('exports a meeting as CSV with a BOM (Excel reads Vietnamese) and as XLSX', async () => {
    const csv = await hub.api('GET', `/api/reports/meetings/${provincialId}?format=csv`, { token: clerk });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    // named as it reads: what it is, the meeting's date in the province and its title; unaccented for older clients
    const disposition = csv.headers.get('content-disposition')!;
    const { title, startedAt } = (await hub.api<MeetingReport>('GET', `/api/reports/meetings/${provincialId}`, { token: clerk })).body
      .meeting;
    const day = new Date(Date.parse(startedAt!) + 7 * 3_600_000).toISOString().slice(0, 10);
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(disposition)![1]!)).toBe(`Điểm danh ${day} ${title}.csv`);
    expect(title).toBe('Họp giao ban trực tuyến');
    expect(/filename="([^"]+)"/.exec(disposition)![1]).toBe(`Diem danh ${day} Hop giao ban truc tuyen.csv`);
    expect([...csv.raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse<Record<string, string>>(csv.raw, { bom: true, columns: true });
    expect(Object.keys(rows[0]!)).toContain('Tên điểm cầu');
    expect(rows.find((r) => r['Mã điểm cầu'] === 'XA-01')).toMatchObject({
      'Tên điểm cầu': 'UBND xã An Bình',
      'Số đại biểu': '9',
      'Có mặt': 'Có',
    });
    expect(rows.at(-1)).toMatchObject({ 'Mã điểm cầu': 'Tổng cộng', 'Số đại biểu': '19' });

    const xlsx = await hub.api('GET', `/api/reports/meetings/${provincialId}?format=xlsx`, { token: clerk });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.raw as never);
    const sheet = book.getWorksheet('Điểm cầu')!;
    expect(sheet.getRow(1).getCell(2).value).toBe('Tên điểm cầu');
    expect(sheet.getRow(sheet.rowCount).getCell(9).value).toBe(19);
  });

  it('sums a period by host level and month, with participation per bridge point and the province’s sentence', async () => {
    const { body } = await hub.api<PeriodReport>('GET', `/api/reports/period?from=${yesterday}&to=${tomorrow}`, { token: clerk });
    expect(body.meetings).toBe(2);
    expect(body.delegates).toBe(19 + 20);
    expect(body.byHostLevel).toEqual({ PROVINCIAL: { meetings: 1, delegates: 19 }, GOVERNMENT: { meetings: 1, delegates: 20 } });
    expect(body.byMonth.reduce((n, m) => n + m.PROVINCIAL.meetings + m.GOVERNMENT.meetings, 0)).toBe(2);
    expect(body.summary).toBe('2 cuộc họp với 39 lượt đại biểu tham dự');
    expect(body.meetingRows.map((m) => m.id)).toEqual([provincialId, governmentId]);
    const nv = body.bridgePoints.find((p) => p.code === 'SO-NV')!;
    expect(nv).toMatchObject({ invited: 2, attended: 2, rate: 1, delegates: 16 });
    // The scheduled meeting with XA-25 has not been held, so it is not in the period.
    expect(body.bridgePoints.find((p) => p.code === 'XA-25')).toMatchObject({ invited: 0, rate: null });
    expect(body.bridgePoints.find((p) => p.code === 'SO-YT')).toMatchObject({ invited: 0, attended: 0 });
    const empty = await hub.api<PeriodReport>('GET', `/api/reports/period?from=2020-01-01&to=2021-01-01`, { token: clerk });
    expect(empty.body.summary).toBe('0 cuộc họp với 0 lượt đại biểu tham dự');
  });

  it('exports the period as CSV tables and a three-sheet XLSX whose totals match', async () => {
    const csv = await hub.api('GET', `/api/reports/period?from=${yesterday}&to=${tomorrow}&format=csv`, { token: clerk });
    const meetings = parse<Record<string, string>>(csv.raw, { bom: true, columns: true });
    expect(meetings.at(-1)).toMatchObject({ 'Ngày họp': 'Tổng cộng', 'Lượt đại biểu': '39' });
    expect(meetings.slice(0, -1).map((m) => m['Chủ trì'])).toEqual(['Cấp tỉnh', 'Với Chính phủ']);
    const points = await hub.api('GET', `/api/reports/period?from=${yesterday}&to=${tomorrow}&format=csv&table=bridge-points`, {
      token: clerk,
    });
    const rows = parse<Record<string, string>>(points.raw, { bom: true, columns: true });
    expect(rows.find((r) => r['Mã điểm cầu'] === 'SO-TC')).toMatchObject({ 'Được mời': '1', 'Tham dự': '1', 'Tỷ lệ tham dự (%)': '100' });

    const xlsx = await hub.api('GET', `/api/reports/period?from=${yesterday}&to=${tomorrow}&format=xlsx`, { token: clerk });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.raw as never);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Cuộc họp', 'Điểm cầu']);
    const summary = book.getWorksheet('Tổng hợp')!;
    expect(summary.getRow(2).getCell(1).value).toBe('2 cuộc họp với 39 lượt đại biểu tham dự');
    expect(summary.getRow(5).values).toEqual([undefined, 'Tổng cộng', 2, 39]);
  });

  it('refuses sites, anonymous callers, bad periods and unknown meetings', async () => {
    expect((await hub.api('GET', `/api/reports/period?from=${today}&to=${tomorrow}`, { token: await hub.login('so-nv') })).status).toBe(
      403,
    );
    expect((await hub.api('GET', `/api/reports/period?from=${today}&to=${tomorrow}`)).status).toBe(401);
    const backwards = await hub.api('GET', `/api/reports/period?from=${tomorrow}&to=${today}`, { token: clerk });
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toBe('Đến: phải sau thời điểm bắt đầu');
    expect((await hub.api('GET', `/api/reports/period?from=hom-nay&to=${today}`, { token: clerk })).body.message).toMatch(/^Từ: /);
    expect((await hub.api('GET', `/api/reports/period?from=${today}&to=${tomorrow}&format=pdf`, { token: clerk })).status).toBe(400);
    expect((await hub.api('GET', '/api/reports/meetings/khong-co', { token: clerk })).status).toBe(404);
  });
});
