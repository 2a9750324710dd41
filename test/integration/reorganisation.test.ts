import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgePointParticipationRow, MeetingReport, PeriodReport } from '../../shared/reports.js';
import { startTestHub, type TestHub } from './helpers.js';

/**
 * The July 2025 reorganisation, tried across a year: two communes merge into a new unit and a
 * department is renamed from 1 July; the reports keep the first half under the units as they were
 * and add the merged ones up under today's units.
 */
describe('administrative reorganisation: merged and renamed units in the reports', () => {
  let hub: TestHub;
  let admin: string;
  const meetings: Record<string, string> = {};

  /** A meeting held at `at` (ICT), with the sites that attended and the delegates each reported. */
  async function heldMeeting(name: string, at: string, invited: string[], present: Record<string, number>): Promise<void> {
    const prisma = hub.database.prisma;
    const startedAt = new Date(at);
    const endedAt = new Date(startedAt.getTime() + 2 * 3_600_000);
    const ids = new Map(
      (await prisma.bridgePoint.findMany({ where: { code: { in: [...invited, 'UBND-TINH'] } } })).map((p) => [p.code, p.id]),
    );
    const chair = await prisma.user.findUniqueOrThrow({ where: { username: 'chu-toa' } });
    const id = randomUUID();
    meetings[name] = id;
    await prisma.meeting.create({
      data: {
        id,
        title: name,
        hostLevel: 'PROVINCIAL',
        status: 'ENDED',
        scheduledStart: startedAt,
        scheduledEnd: endedAt,
        startedAt,
        endedAt,
        chairId: chair.id,
        hostBridgePointId: ids.get('UBND-TINH')!,
        invitations: { create: invited.map((code) => ({ bridgePointId: ids.get(code)! })) },
        attendance: {
          create: Object.keys(present).map((code) => ({
            bridgePointId: ids.get(code)!,
            joinedAt: startedAt,
            leftAt: endedAt,
            lastSeenAt: endedAt,
          })),
        },
        rollCalls: {
          create: [
            {
              startedAt,
              closedAt: startedAt,
              entries: {
                create: Object.entries(present).map(([code, headCount]) => ({
                  bridgePointId: ids.get(code)!,
                  headCount,
                  reporterName: 'Văn thư',
                  confirmedAt: startedAt,
                })),
              },
            },
          ],
        },
      },
    });
  }

  const period = async (units?: 'then' | 'today') =>
    (
      await hub.api<PeriodReport>('GET', `/api/reports/period?from=2025-01-01&to=2026-01-01${units ? `&units=${units}` : ''}`, {
        token: await hub.login('thu-ky'),
      })
    ).body;
  const row = (report: PeriodReport, code: string, name?: RegExp) =>
    report.bridgePoints.filter((r) => r.code === code && (!name || name.test(r.name)));
  const counts = (rows: BridgePointParticipationRow[]) =>
    rows.map(({ invited, attended, delegates }) => ({ invited, attended, delegates }));

  beforeAll(async () => {
    hub = await startTestHub();
    admin = await hub.login('admin');
    await heldMeeting('Giao ban quý I', '2025-03-10T08:00:00+07:00', ['UBND-TINH', 'XA-01', 'XA-02', 'SO-NV'], {
      'XA-01': 12,
      'XA-02': 8,
      'SO-NV': 5,
    });
    await heldMeeting('Giao ban tháng 5', '2025-05-20T08:00:00+07:00', ['UBND-TINH', 'XA-01', 'XA-02'], { 'XA-01': 10 });
  });
  afterAll(async () => hub.close());

  it('merges two communes into a new unit and renames a department from 1 July, audited; the old units take no new meetings', async () => {
    const merged = await hub.api('POST', '/api/bridge-points/merge', {
      token: admin,
      body: {
        codes: ['XA-01', 'XA-02'],
        into: { code: 'PHUONG-MOI', name: 'UBND phường Mới', level: 'COMMUNE' },
        effectiveAt: '2025-07-01T00:00:00+07:00',
      },
    });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ code: 'PHUONG-MOI', retiredAt: null });
    const renamed = await hub.api('PATCH', '/api/bridge-points/SO-NV', {
      token: admin,
      body: { name: 'Sở Nội vụ và Lao động', effectiveAt: '2025-07-01T00:00:00+07:00' },
    });
    expect(renamed.body).toMatchObject({
      name: 'Sở Nội vụ và Lao động',
      history: [{ name: 'Sở Nội vụ', validUntil: '2025-06-30T17:00:00.000Z' }],
    });

    const units = (await hub.api('GET', '/api/bridge-points/history', { token: admin })).body as Array<{
      code: string;
      mergedInto: string | null;
    }>;
    expect(units.filter((u) => u.mergedInto === 'PHUONG-MOI').map((u) => u.code)).toEqual(['XA-01', 'XA-02']);
    const listed = (await hub.api('GET', '/api/bridge-points', { token: await hub.login('chu-toa') })).body as Array<{ code: string }>;
    expect(listed.map((p) => p.code)).toContain('PHUONG-MOI');
    expect(listed.map((p) => p.code)).not.toContain('XA-01');
    const refused = await hub.api('POST', '/api/meetings', {
      token: await hub.login('chu-toa'),
      body: {
        title: 'Họp mời xã cũ',
        hostLevel: 'PROVINCIAL',
        scheduledStart: new Date(Date.now() + 3_600_000).toISOString(),
        scheduledEnd: new Date(Date.now() + 7_200_000).toISOString(),
        invitedCodes: ['XA-01'],
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('Các điểm cầu đã ngừng hoạt động: XA-01 (đã sáp nhập vào PHUONG-MOI).');
    // the commune's bridge-point account now sits at the new unit
    expect((await hub.api('GET', '/api/auth/me', { token: await hub.login('xa-01') })).body.bridgePointCode).toBe('PHUONG-MOI');
    const audit = (await hub.api('GET', '/api/audit?limit=5', { token: admin })).body as Array<{ action: string }>;
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['bridgePoint.merge', 'bridgePoint.update']));

    expect((await hub.api('POST', '/api/bridge-points/XA-01/retire', { token: admin, body: {} })).status).toBe(409);
    const future = await hub.api('PATCH', '/api/bridge-points/SO-TC', {
      token: admin,
      body: { name: 'Sở Tài chính mới', effectiveAt: '2099-01-01T00:00:00Z' },
    });
    expect(future.status).toBe(400);
  });

  it('reports the year under the units as they were at each meeting, and by today’s units adding the merged ones up', async () => {
    await heldMeeting('Giao ban quý III', '2025-09-15T08:00:00+07:00', ['UBND-TINH', 'PHUONG-MOI', 'SO-NV'], {
      'PHUONG-MOI': 15,
      'SO-NV': 6,
    });
    const then = await period('then');
    expect(counts(row(then, 'XA-01'))).toEqual([{ invited: 2, attended: 2, delegates: 22 }]);
    expect(counts(row(then, 'XA-02'))).toEqual([{ invited: 2, attended: 1, delegates: 8 }]);
    expect(counts(row(then, 'PHUONG-MOI'))).toEqual([{ invited: 1, attended: 1, delegates: 15 }]);
    expect(counts(row(then, 'SO-NV', /^Sở Nội vụ$/))).toEqual([{ invited: 1, attended: 1, delegates: 5 }]);
    expect(counts(row(then, 'SO-NV', /Lao động/))).toEqual([{ invited: 1, attended: 1, delegates: 6 }]);
    expect(await period()).toEqual(then);

    const today = await period('today');
    expect(row(today, 'XA-01')).toEqual([]);
    expect(row(today, 'XA-02')).toEqual([]);
    // a meeting that invited both old communes counts once for the new unit
    expect(counts(row(today, 'PHUONG-MOI'))).toEqual([{ invited: 3, attended: 3, delegates: 45 }]);
    expect(row(today, 'SO-NV')).toMatchObject([{ name: 'Sở Nội vụ và Lao động', invited: 2, attended: 2, delegates: 11 }]);
    // nothing lost between the views
    expect(today.delegates).toBe(then.delegates);
    const sum = (r: PeriodReport) => r.bridgePoints.reduce((total, p) => total + p.delegates, 0);
    expect(sum(today)).toBe(sum(then));
  });

  it('shows a past meeting’s sites under the names they had then', async () => {
    const report = (
      await hub.api<MeetingReport>('GET', `/api/reports/meetings/${meetings['Giao ban quý I']}?format=json`, {
        token: await hub.login('thu-ky'),
      })
    ).body;
    expect(report.sites.find((s) => s.code === 'SO-NV')).toMatchObject({ name: 'Sở Nội vụ', headCount: 5 });
    expect(report.sites.find((s) => s.code === 'XA-01')).toMatchObject({ headCount: 12, attended: true });
  });
});
