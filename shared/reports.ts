/** Secretariat reports as the REST API returns them (JSON; CSV and XLSX carry the same rows). */
import type { AgendaItemDto } from './agenda.js';
import type { SpeechDto } from './speaking.js';
import type { VoteState } from './votes.js';
import { z } from 'zod';
import type { HostLevel, MeetingDto, UnitLevel } from './meetings.js';
import { unitViews } from './units.js';

export const reportFormatSchema = z.enum(['json', 'csv', 'xlsx']).default('json');
export type ReportFormat = z.infer<typeof reportFormatSchema>;

export const periodQuerySchema = z
  .strictObject({
    from: z.iso.date(),
    /** Exclusive. */
    to: z.iso.date(),
    format: reportFormatSchema,
    /** Which table a CSV holds (an XLSX holds all of them, one sheet each). */
    table: z.enum(['meetings', 'bridge-points']).default('meetings'),
    /** Bridge points as they were at each meeting (renamed ones under their name then), or by today's units (merged ones added up). */
    units: z.enum(unitViews).default('then'),
  })
  .refine((q) => q.to > q.from, { message: 'validation.toAfterFrom', path: ['to'] });

/** A province calendar year with the number of meetings held in it (GET /api/reports/years). */
export interface ReportYear {
  year: number;
  meetings: number;
}

export interface SiteAttendanceRow {
  code: string;
  name: string;
  level: UnitLevel;
  attended: boolean;
  firstJoinedAt: string | null;
  lastLeftAt: string | null;
  minutesPresent: number;
  reconnects: number;
  /** From the site's latest roll-call answer; null when it never answered. */
  headCount: number | null;
  reporterName: string | null;
}

export interface MeetingReport {
  meeting: MeetingDto;
  sites: SiteAttendanceRow[];
  totals: { invitedSites: number; attendedSites: number; delegates: number };
  /** The meeting's closed votes with their results, in the order they were held. */
  votes: VoteState[];
  /** The agenda: each item's planned minutes and the time it was under way (`usedSeconds`, its spans). */
  agenda: AgendaItemDto[];
  /** The speeches in the order given: site, delegate, topic, agenda item, limit and times. */
  speeches: SpeechDto[];
}

export interface PeriodMeetingRow {
  id: string;
  title: string;
  hostLevel: HostLevel;
  startedAt: string;
  invitedSites: number;
  attendedSites: number;
  delegates: number;
}

export interface BridgePointParticipationRow {
  code: string;
  name: string;
  level: UnitLevel;
  invited: number;
  attended: number;
  /** attended / invited, 0..1; null when never invited. */
  rate: number | null;
  delegates: number;
}

export interface HostLevelTotals {
  meetings: number;
  delegates: number;
}

export interface PeriodReport {
  from: string;
  to: string;
  meetings: number;
  delegates: number;
  byHostLevel: Record<HostLevel, HostLevelTotals>;
  byMonth: Array<{ month: string } & Record<HostLevel, HostLevelTotals>>;
  meetingRows: PeriodMeetingRow[];
  bridgePoints: BridgePointParticipationRow[];
  /** As the province's report words it: "N cuộc họp với M lượt đại biểu tham dự". */
  summary: string;
}
