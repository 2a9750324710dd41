import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedYear } from '../../prisma/index.js';
import type { PeriodReport } from '../../shared/reports.js';
import { startTestHub, testProvider, type TestHub } from './helpers.js';

describe(`a seeded year of meetings (${testProvider})`, () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub.close());

  it('holds 104 meetings and about 35,000 delegate attendances, and the yearly report reads like the province’s', async () => {
    const seeded = await seedYear(hub.database.prisma, { year: 2025 });
    expect(seeded.meetings).toBe(104);
    expect(Math.abs(seeded.delegates - 35_000)).toBeLessThan(500);
    const { body } = await hub.api<PeriodReport>('GET', '/api/reports/period?from=2025-01-01&to=2026-01-01', {
      token: await hub.login('thu-ky'),
    });
    expect(body.meetings).toBe(104);
    expect(body.delegates).toBe(seeded.delegates);
    expect(body.summary).toBe(`104 cuộc họp với ${new Intl.NumberFormat('vi-VN').format(seeded.delegates)} lượt đại biểu tham dự`);
    expect(body.byHostLevel.PROVINCIAL.meetings + body.byHostLevel.GOVERNMENT.meetings).toBe(104);
    expect(body.byMonth.map((m) => m.month)).toEqual(Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`));
    // Nothing leaks across the year's edges.
    const before = await hub.api<PeriodReport>('GET', '/api/reports/period?from=2024-01-01&to=2025-01-01', {
      token: await hub.login('thu-ky'),
    });
    expect(before.body.meetings).toBe(0);
  });

  it('lists the years that had meetings, newest first, by the province calendar', async () => {
    const clerk = await hub.login('thu-ky');
    const first = await hub.database.prisma.meeting.findFirstOrThrow({
      where: { startedAt: { not: null } },
      orderBy: { startedAt: 'asc' },
    });
    // 01:00 on 1 January 2024 in the province is still 2023 in UTC
    await hub.database.prisma.meeting.update({ where: { id: first.id }, data: { startedAt: new Date('2023-12-31T18:00:00Z') } });
    const { status, body } = await hub.api<{ years: Array<{ year: number; meetings: number }> }>('GET', '/api/reports/years', {
      token: clerk,
    });
    expect(status).toBe(200);
    expect(body.years).toEqual([
      { year: 2025, meetings: 103 },
      { year: 2024, meetings: 1 },
    ]);
    expect((await hub.api('GET', '/api/reports/years', { token: await hub.login('so-nv') })).status).toBe(403);
  });
});
