import type { Db } from '../../prisma/index.js';
import { hostLevels, unitLevelOrder, type HostLevel } from '../../shared/meetings.js';
import type {
  BridgePointParticipationRow,
  HostLevelTotals,
  MeetingReport,
  PeriodReport,
  ReportYear,
  SiteAttendanceRow,
} from '../../shared/reports.js';
import type { UnitView } from '../../shared/units.js';
import { toMeetingDto, type MeetingStore } from '../meetings/index.js';
import { provinceUtcOffsetMs } from '../../shared/provinceCalendar.js';
import { UnitHistory, type UnitAsOf } from './UnitHistory.js';

const numberVi = new Intl.NumberFormat('vi-VN');
export function yearlySummary(meetings: number, delegates: number): string {
  return `${numberVi.format(meetings)} cuộc họp với ${numberVi.format(delegates)} lượt đại biểu tham dự`;
}

interface RollCallRow {
  entries: Array<{ bridgePointId: number; headCount: number; reporterName: string; confirmedAt: Date }>;
}

/** A site's latest roll-call answer in a meeting, by bridge point id. */
function latestAnswers(rollCalls: RollCallRow[]): Map<number, { headCount: number; reporterName: string; confirmedAt: Date }> {
  const answers = new Map<number, { headCount: number; reporterName: string; confirmedAt: Date }>();
  for (const entry of rollCalls.flatMap((r) => r.entries)) {
    const known = answers.get(entry.bridgePointId);
    if (!known || known.confirmedAt < entry.confirmedAt) answers.set(entry.bridgePointId, entry);
  }
  return answers;
}

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

/**
 * Attendance reports for the secretariat. A delegate attendance (lượt đại biểu) is one person
 * counted by a site's roll-call answer: a meeting's delegates are the sum of each site's latest
 * head count, and the period's are the sum over its meetings.
 */
export class ReportService {
  readonly #prisma: Db;
  readonly #store: MeetingStore;

  constructor(prisma: Db, store: MeetingStore) {
    this.#prisma = prisma;
    this.#store = store;
  }

  async meeting(meetingId: string, now = new Date()): Promise<MeetingReport | null> {
    const record = await this.#store.get(meetingId);
    if (!record) return null;
    const [sessions, rollCalls, votes, agenda, speeches] = await Promise.all([
      this.#prisma.attendanceSession.findMany({ where: { meetingId }, orderBy: { joinedAt: 'asc' } }),
      this.#prisma.rollCall.findMany({ where: { meetingId }, include: { entries: true } }),
      this.#store.votes.list(meetingId),
      this.#store.agenda.list(meetingId, now),
      this.#store.speeches.list(meetingId),
    ]);
    const answers = latestAnswers(rollCalls);
    const until = record.endedAt ? new Date(record.endedAt) : now;
    // each site under the name and level it had when the meeting was held
    const history = await UnitHistory.load(this.#prisma);
    const heldAt = new Date(record.startedAt ?? record.scheduledStart);
    const sites: SiteAttendanceRow[] = record.invited.map((invited) => {
      const id = record.invitedIds.get(invited.code)!;
      const { name, level } = history.asOf(id, heldAt);
      const site = { ...invited, name, level };
      const own = sessions.filter((s) => s.bridgePointId === id);
      const answer = answers.get(id);
      const lastLeft = own.some((s) => s.leftAt === null) ? null : (own.at(-1)?.leftAt ?? null);
      const presentMs = sum(own.map((s) => (s.leftAt ?? until).getTime() - s.joinedAt.getTime()));
      return {
        ...site,
        attended: own.length > 0,
        firstJoinedAt: own[0]?.joinedAt.toISOString() ?? null,
        lastLeftAt: lastLeft?.toISOString() ?? null,
        minutesPresent: Math.round(presentMs / 60_000),
        reconnects: sum(own.map((s) => s.reconnects)),
        headCount: answer?.headCount ?? null,
        reporterName: answer?.reporterName ?? null,
      };
    });
    return {
      meeting: toMeetingDto(record),
      sites,
      totals: {
        invitedSites: sites.length,
        attendedSites: sites.filter((s) => s.attended).length,
        delegates: sum(sites.map((s) => s.headCount ?? 0)),
      },
      votes: votes.filter((vote) => vote.closedAt !== null),
      agenda,
      speeches,
    };
  }

  /** The province calendar years in which meetings were held, newest first: where a report has something to show. */
  async years(): Promise<ReportYear[]> {
    const started = await this.#prisma.meeting.findMany({ where: { startedAt: { not: null } }, select: { startedAt: true } });
    const counts = new Map<number, number>();
    for (const { startedAt } of started) {
      const year = new Date(startedAt!.getTime() + provinceUtcOffsetMs).getUTCFullYear();
      counts.set(year, (counts.get(year) ?? 0) + 1);
    }
    return [...counts].map(([year, meetings]) => ({ year, meetings })).sort((a, b) => b.year - a.year);
  }

  /**
   * Meetings held (started) in [from, to). `units`: each bridge point as it was at the meeting (a renamed one
   * under the name it had then), or by today's units, the merged ones added up (a meeting counts once for
   * the unit that took over the sites it invited).
   */
  async period(from: Date, to: Date, units: UnitView = 'then'): Promise<PeriodReport> {
    const [meetings, history] = await Promise.all([
      this.#prisma.meeting.findMany({
        where: { startedAt: { gte: from, lt: to } },
        orderBy: { startedAt: 'asc' },
        select: {
          id: true,
          title: true,
          hostLevel: true,
          startedAt: true,
          invitations: { select: { bridgePointId: true } },
          attendance: { select: { bridgePointId: true }, distinct: ['bridgePointId'] },
          rollCalls: { select: { entries: { select: { bridgePointId: true, headCount: true, reporterName: true, confirmedAt: true } } } },
        },
      }),
      UnitHistory.load(this.#prisma),
    ]);
    const unitAt = (id: number, at: Date) => (units === 'today' ? history.today(id) : history.asOf(id, at));
    const emptyTotals = (): Record<HostLevel, HostLevelTotals> =>
      Object.fromEntries(hostLevels.map((l) => [l, { meetings: 0, delegates: 0 }])) as Record<HostLevel, HostLevelTotals>;
    const byHostLevel = emptyTotals();
    const byMonth = new Map<string, Record<HostLevel, HostLevelTotals>>();
    // every unit in service has a row, invited or not; retired ones only where they took part
    const participation = new Map<string, { unit: UnitAsOf; invited: number; attended: number; delegates: number }>();
    const rowOf = (unit: UnitAsOf) => {
      let row = participation.get(unit.key);
      if (!row) participation.set(unit.key, (row = { unit, invited: 0, attended: 0, delegates: 0 }));
      return row;
    };
    for (const id of history.ids) if (history.isActive(id)) rowOf(unitAt(id, new Date()));

    const meetingRows = meetings.map((m) => {
      const answers = latestAnswers(m.rollCalls);
      const delegates = sum([...answers.values()].map((a) => a.headCount));
      const startedAt = m.startedAt!;
      const month = new Date(startedAt.getTime() + provinceUtcOffsetMs).toISOString().slice(0, 7);
      const monthTotals = byMonth.get(month) ?? emptyTotals();
      byMonth.set(month, monthTotals);
      for (const totals of [byHostLevel[m.hostLevel], monthTotals[m.hostLevel]]) {
        totals.meetings++;
        totals.delegates += delegates;
      }
      const rowsOf = (ids: number[]) => new Set(ids.map((id) => rowOf(unitAt(id, startedAt))));
      for (const row of rowsOf(m.invitations.map((i) => i.bridgePointId))) row.invited++;
      for (const row of rowsOf(m.attendance.map((a) => a.bridgePointId))) row.attended++;
      for (const [bridgePointId, answer] of answers) rowOf(unitAt(bridgePointId, startedAt)).delegates += answer.headCount;
      return {
        id: m.id,
        title: m.title,
        hostLevel: m.hostLevel,
        startedAt: startedAt.toISOString(),
        invitedSites: m.invitations.length,
        attendedSites: m.attendance.length,
        delegates,
      };
    });
    const bridgePoints: BridgePointParticipationRow[] = [...participation.values()]
      .sort((a, b) => unitLevelOrder(a.unit.level) - unitLevelOrder(b.unit.level) || a.unit.bridgePointId - b.unit.bridgePointId)
      .map(({ unit, invited, attended, delegates }) => ({
        code: unit.code,
        name: unit.name,
        level: unit.level,
        invited,
        attended,
        rate: invited > 0 ? attended / invited : null,
        delegates,
      }));
    const delegates = sum(meetingRows.map((m) => m.delegates));
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      meetings: meetingRows.length,
      delegates,
      byHostLevel,
      byMonth: [...byMonth].sort(([a], [b]) => a.localeCompare(b)).map(([month, totals]) => ({ month, ...totals })),
      meetingRows,
      bridgePoints,
      summary: yearlySummary(meetingRows.length, delegates),
    };
  }
}
