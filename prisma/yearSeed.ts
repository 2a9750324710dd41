import { randomUUID } from 'node:crypto';
import type { Db } from './database.js';

export interface YearSeedOptions {
  year: number;
  /** 104: two a week, as in the province's report. */
  meetings?: number;
  /** Delegate attendances to aim for (the report's ~35,000); head counts are scaled to land near it. */
  delegates?: number;
  /** Share of meetings with the central Government. */
  governmentShare?: number;
  seed?: number;
}

export interface YearSeedResult {
  meetings: number;
  attendanceSessions: number;
  delegates: number;
}

/** mulberry32: a small deterministic PRNG, so a seeded year is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hour = 3_600_000;

/**
 * A year of held meetings for reports and benchmarks: twice a week on working days at 08:00 or
 * 14:00 (UTC+7), provincial meetings inviting every department and a share of communes, Government
 * meetings inviting everyone; most sites attend, some reconnect, each answers one roll call.
 * Needs the sample bridge points and the sample chair (seedSampleData).
 */
export async function seedYear(prisma: Db, options: YearSeedOptions): Promise<YearSeedResult> {
  const { year, meetings = 104, delegates: target = 35_000, governmentShare = 0.3, seed = year } = options;
  const next = random(seed);
  const chair = await prisma.user.findFirstOrThrow({ where: { role: 'CHAIR', bridgePointId: { not: null } }, orderBy: { id: 'asc' } });
  const points = await prisma.bridgePoint.findMany({ orderBy: { id: 'asc' } });
  const provincial = points.filter((p) => p.level !== 'COMMUNE');
  const communes = points.filter((p) => p.level === 'COMMUNE');

  type Plan = { id: string; start: Date; government: boolean; invited: typeof points; attending: Array<{ id: number; weight: number }> };
  const plans: Plan[] = [];
  const yearStart = Date.UTC(year, 0, 1) - 7 * hour;
  const spacingDays = 365 / meetings;
  for (let i = 0; i < meetings; i++) {
    const day = new Date(yearStart + Math.floor(i * spacingDays) * 24 * hour);
    // Weekends move to Monday.
    const weekday = new Date(day.getTime() + 7 * hour).getUTCDay();
    const shift = weekday === 6 ? 2 : weekday === 0 ? 1 : 0;
    const start = new Date(day.getTime() + (shift * 24 + (next() < 0.6 ? 8 : 14)) * hour);
    const government = next() < governmentShare;
    const invited = government ? points : [...provincial, ...communes.filter(() => next() < 0.6)];
    const attending = invited.filter(() => next() < 0.95).map((p) => ({ id: p.id, weight: (p.level === 'COMMUNE' ? 4 : 8) + next() * 6 }));
    plans.push({ id: randomUUID(), start, government, invited, attending });
  }
  const totalWeight = plans.reduce((n, p) => n + p.attending.reduce((m, a) => m + a.weight, 0), 0);
  const scale = target / totalWeight;

  let sessions = 0;
  let delegates = 0;
  for (const plan of plans) {
    const startedAt = new Date(plan.start.getTime() + next() * 5 * 60_000);
    const endedAt = new Date(startedAt.getTime() + (1.5 + next() * 2) * hour);
    await prisma.meeting.create({
      data: {
        id: plan.id,
        title: `${plan.government ? 'Hội nghị trực tuyến Chính phủ với địa phương' : 'Họp giao ban UBND tỉnh'} ${startedAt.toISOString().slice(0, 10)}`,
        hostLevel: plan.government ? 'GOVERNMENT' : 'PROVINCIAL',
        status: 'ENDED',
        scheduledStart: plan.start,
        scheduledEnd: new Date(plan.start.getTime() + 3 * hour),
        startedAt,
        endedAt,
        chairId: chair.id,
        hostBridgePointId: chair.bridgePointId!,
        invitations: { createMany: { data: plan.invited.map((p) => ({ bridgePointId: p.id })) } },
      },
    });
    await prisma.attendanceSession.createMany({
      data: plan.attending.map((a) => {
        const joinedAt = new Date(startedAt.getTime() + next() * 10 * 60_000);
        const leftAt = new Date(endedAt.getTime() - (next() < 0.1 ? next() * hour : 0));
        return {
          meetingId: plan.id,
          bridgePointId: a.id,
          joinedAt,
          leftAt,
          lastSeenAt: leftAt,
          reconnects: next() < 0.15 ? 1 + Math.floor(next() * 3) : 0,
        };
      }),
    });
    const rollCall = await prisma.rollCall.create({
      data: {
        meetingId: plan.id,
        startedAt: new Date(startedAt.getTime() + 15 * 60_000),
        closedAt: new Date(startedAt.getTime() + 25 * 60_000),
      },
    });
    const entries = plan.attending.map((a) => ({
      rollCallId: rollCall.id,
      bridgePointId: a.id,
      confirmedAt: new Date(startedAt.getTime() + (15 + next() * 10) * 60_000),
      headCount: Math.max(1, Math.round(a.weight * scale)),
      reporterName: 'Cán bộ kỹ thuật điểm cầu',
    }));
    await prisma.rollCallEntry.createMany({ data: entries });
    sessions += plan.attending.length;
    delegates += entries.reduce((n, e) => n + e.headCount, 0);
  }
  return { meetings: plans.length, attendanceSessions: sessions, delegates };
}
