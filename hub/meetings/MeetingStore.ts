import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../prisma/index.js';
import {
  feedCode,
  type CreateMeetingRequest,
  type FeedState,
  type IngestKind,
  type MeetingChange,
  type MeetingDto,
  type MeetingStatus,
} from '../../shared/meetings.js';
import { assertChair, MeetingRuleError } from './meetingRules.js';
import { ChairActionLog } from './ChairActionLog.js';
import { RollCallStore } from './RollCallStore.js';
import { VoteStore } from './VoteStore.js';
import { AgendaStore } from './AgendaStore.js';
import { SpeechStore } from './SpeechStore.js';
import type { AuthenticatedUser } from '../accounts/index.js';
import type { MeetingControlState } from './LiveMeeting.js';
import { said } from '../../shared/messages/index.js';

const meetingInclude = {
  chair: { select: { id: true, username: true, displayName: true } },
  hostBridgePoint: { select: { code: true } },
  invitations: {
    include: { bridgePoint: { select: { id: true, code: true, name: true, level: true } } },
    orderBy: { bridgePointId: 'asc' },
  },
} as const;

type MeetingRow = NonNullable<Awaited<ReturnType<Db['meeting']['findUnique']>>> & {
  chair: { id: number; username: string; displayName: string };
  hostBridgePoint: { code: string };
  invitations: Array<{ bridgePoint: { id: number; code: string; name: string; level: MeetingDto['invited'][number]['level'] } }>;
};

export interface MeetingRecord extends MeetingDto {
  chairId: number;
  /** bridge point code → database id, for every invited site. */
  invitedIds: Map<string, number>;
  /** The chair's mutes, hands, floor and spotlight as last written (a live meeting starts from them). */
  controlState: MeetingControlState | null;
}

export interface MeetingFilter {
  from?: Date;
  to?: Date;
  status?: MeetingStatus;
  /** Only meetings this site is invited to. */
  bridgePointCode?: string;
}

/** Meetings in the database: scheduling and lifecycle; their roll calls, votes, agenda and the chair's audit trail beside them. */
export class MeetingStore {
  readonly #prisma: Db;
  readonly rollCalls: RollCallStore;
  readonly votes: VoteStore;
  readonly agenda: AgendaStore;
  readonly speeches: SpeechStore;
  readonly chairActions: ChairActionLog;

  constructor(prisma: Db) {
    this.#prisma = prisma;
    this.rollCalls = new RollCallStore(prisma);
    this.votes = new VoteStore(prisma);
    this.agenda = new AgendaStore(prisma);
    this.speeches = new SpeechStore(prisma);
    this.chairActions = new ChairActionLog(prisma);
  }

  async create(request: CreateMeetingRequest, creator: AuthenticatedUser): Promise<MeetingRecord> {
    const chairUsername = request.chairUsername ?? (creator.role === 'CHAIR' ? creator.username : undefined);
    if (!chairUsername) throw new MeetingRuleError('INVALID', 'meeting.chairNeeded');
    const chair = await this.#prisma.user.findUnique({ where: { username: chairUsername }, include: { bridgePoint: true } });
    if (!chair || chair.role !== 'CHAIR') throw new MeetingRuleError('INVALID', said('meeting.notAChair', { username: chairUsername }));
    if (!chair.bridgePoint) throw new MeetingRuleError('INVALID', said('meeting.chairWithoutSite', { username: chairUsername }));
    const codes = [...new Set([chair.bridgePoint.code, ...request.invitedCodes])];
    const points = await this.#invitable(codes);
    const row = await this.#prisma.meeting.create({
      data: {
        id: randomUUID(),
        title: request.title,
        hostLevel: request.hostLevel,
        scheduledStart: new Date(request.scheduledStart),
        scheduledEnd: new Date(request.scheduledEnd),
        chairId: chair.id,
        hostBridgePointId: chair.bridgePoint.id,
        callRoomSystemsAtStart: request.callRoomSystemsAtStart,
        invitations: { create: points.map((p) => ({ bridgePointId: p.id })) },
      },
      include: meetingInclude,
    });
    return toRecord(row);
  }

  /** A meeting not started yet gets a new subject, time or invitation list (the chair's site stays invited). */
  async reschedule(meeting: MeetingRecord, change: MeetingChange): Promise<MeetingRecord> {
    if (meeting.status !== 'SCHEDULED')
      throw new MeetingRuleError('CONFLICT', said('meeting.onlyScheduledChanges', { status: said(`meetingStatus.${meeting.status}`) }));
    const start = change.scheduledStart ?? meeting.scheduledStart;
    const end = change.scheduledEnd ?? meeting.scheduledEnd;
    if (Date.parse(end) <= Date.parse(start)) throw new MeetingRuleError('INVALID', 'meeting.endBeforeStart');
    const points = change.invitedCodes
      ? await this.#invitable([...new Set([meeting.hostBridgePointCode, ...change.invitedCodes])])
      : undefined;
    await this.#prisma.$transaction(async (tx) => {
      await tx.meeting.update({
        where: { id: meeting.id },
        data: {
          title: change.title,
          scheduledStart: new Date(start),
          scheduledEnd: new Date(end),
          callRoomSystemsAtStart: change.callRoomSystemsAtStart,
        },
      });
      if (!points) return;
      await tx.meetingInvitation.deleteMany({ where: { meetingId: meeting.id } });
      await tx.meetingInvitation.createMany({ data: points.map((p) => ({ meetingId: meeting.id, bridgePointId: p.id })) });
    });
    return this.require(meeting.id);
  }

  /** Calls off a meeting that has not started; it stays on record as cancelled. */
  async cancel(meeting: MeetingRecord): Promise<MeetingRecord> {
    if (meeting.status !== 'SCHEDULED')
      throw new MeetingRuleError('CONFLICT', said('meeting.onlyScheduledCancels', { status: said(`meetingStatus.${meeting.status}`) }));
    await this.#prisma.meeting.update({ where: { id: meeting.id }, data: { status: 'CANCELLED' } });
    return { ...meeting, status: 'CANCELLED' };
  }

  async get(meetingId: string): Promise<MeetingRecord | null> {
    const row = await this.#prisma.meeting.findUnique({ where: { id: meetingId }, include: meetingInclude });
    return row ? toRecord(row) : null;
  }

  async require(meetingId: string): Promise<MeetingRecord> {
    const meeting = await this.get(meetingId);
    if (!meeting) throw new MeetingRuleError('NOT_FOUND', said('meeting.notFound', { id: meetingId }));
    return meeting;
  }

  /** The meeting, if this user runs it: its own chair, or the admin. */
  async requireChaired(meetingId: string, user: AuthenticatedUser): Promise<MeetingRecord> {
    const meeting = await this.require(meetingId);
    assertChair(meeting, user);
    return meeting;
  }

  /**
   * The meeting, if this user may read what it holds (recordings, agenda, minutes): a chair only their own, a bridge
   * point only one it is invited to (another is not there for it), the secretariat and admin any.
   */
  async requireReadable(meetingId: string, user: AuthenticatedUser): Promise<MeetingRecord> {
    const meeting = await this.require(meetingId);
    if (user.role === 'BRIDGE_POINT' && !meeting.invitedIds.has(user.bridgePointCode ?? ''))
      throw new MeetingRuleError('NOT_FOUND', said('meeting.notFound', { id: meetingId }));
    if (user.role === 'CHAIR') assertChair(meeting, user);
    return meeting;
  }

  async list(filter: MeetingFilter = {}): Promise<MeetingRecord[]> {
    const rows = await this.#prisma.meeting.findMany({
      where: {
        scheduledStart: { gte: filter.from, lt: filter.to },
        status: filter.status,
        invitations: filter.bridgePointCode ? { some: { bridgePoint: { code: filter.bridgePointCode } } } : undefined,
      },
      include: meetingInclude,
      orderBy: { scheduledStart: 'asc' },
    });
    return rows.map((row) => toRecord(row as MeetingRow));
  }

  /** The invited sites that have a room system paired. */
  async pairedRoomSystems(meetingId: string): Promise<Set<string>> {
    const rows = await this.#prisma.roomSystem.findMany({
      where: { bridgePoint: { invitations: { some: { meetingId } } } },
      select: { bridgePoint: { select: { code: true } } },
    });
    return new Set(rows.map((row) => row.bridgePoint.code));
  }

  /**
   * The meeting a site is in at `now`: its live one (the latest started), else the scheduled one it is invited to that
   * starts next within half an hour or started late within two hours (the latest of those).
   */
  async currentFor(bridgePointCode: string, now = new Date()): Promise<string | undefined> {
    const invited = { invitations: { some: { bridgePoint: { code: bridgePointCode } } } };
    const live = await this.#prisma.meeting.findFirst({
      where: { ...invited, status: 'LIVE' },
      orderBy: { startedAt: 'desc' },
      select: { id: true },
    });
    if (live) return live.id;
    const soon = await this.#prisma.meeting.findFirst({
      where: {
        ...invited,
        status: 'SCHEDULED',
        scheduledStart: { gte: new Date(now.getTime() - 2 * 3_600_000), lte: new Date(now.getTime() + 30 * 60_000) },
      },
      orderBy: { scheduledStart: 'desc' },
      select: { id: true },
    });
    return soon?.id;
  }

  async markStarted(meeting: MeetingRecord, at: Date): Promise<MeetingRecord> {
    const meetingId = meeting.id;
    if (meeting.status !== 'SCHEDULED')
      throw new MeetingRuleError('CONFLICT', said('meeting.notScheduled', { status: said(`meetingStatus.${meeting.status}`) }));
    await this.#prisma.meeting.update({ where: { id: meetingId }, data: { status: 'LIVE', startedAt: at } });
    return { ...meeting, status: 'LIVE', startedAt: at.toISOString() };
  }

  async markEnded(meeting: MeetingRecord, at: Date): Promise<MeetingRecord> {
    const meetingId = meeting.id;
    if (meeting.status === 'ENDED') throw new MeetingRuleError('CONFLICT', 'meeting.ended');
    if (meeting.status === 'CANCELLED') throw new MeetingRuleError('CONFLICT', 'meeting.cancelled');
    await this.#prisma.$transaction([
      this.#prisma.meeting.update({
        where: { id: meetingId },
        data: { status: 'ENDED', endedAt: at, startedAt: meeting.startedAt ? undefined : at },
      }),
      this.#prisma.attendanceSession.updateMany({ where: { meetingId, leftAt: null }, data: { leftAt: at, lastSeenAt: at } }),
      this.#prisma.rollCall.updateMany({ where: { meetingId, closedAt: null }, data: { closedAt: at } }),
      this.#prisma.vote.updateMany({ where: { meetingId, closedAt: null }, data: { closedAt: at } }),
      AgendaStore.endSpans(this.#prisma, meetingId, at),
      this.#prisma.speech.updateMany({ where: { meetingId, endedAt: null }, data: { endedAt: at } }),
    ]);
    return { ...meeting, status: 'ENDED', endedAt: at.toISOString(), startedAt: meeting.startedAt ?? at.toISOString() };
  }

  async saveControlState(meetingId: string, controls: MeetingControlState): Promise<void> {
    await this.#prisma.meeting.update({ where: { id: meetingId }, data: { controlState: JSON.stringify(controls) } });
  }

  async setLocked(meetingId: string, locked: boolean): Promise<void> {
    await this.#prisma.meeting.update({ where: { id: meetingId }, data: { locked } });
  }

  /** Codes of the sites that have been present at some point (for "left" vs "invited"). */
  async attendedCodes(meetingId: string): Promise<Set<string>> {
    const rows = await this.#prisma.attendanceSession.findMany({
      where: { meetingId },
      select: { bridgePoint: { select: { code: true } } },
      distinct: ['bridgePointId'],
    });
    return new Set(rows.map((r) => r.bridgePoint.code));
  }

  /** The feeds from outside added to the meeting (none connected: a loaded meeting has no encoder yet). */
  async feeds(meetingId: string): Promise<FeedState[]> {
    const rows = await this.#prisma.meetingIngest.findMany({ where: { meetingId, removedAt: null }, orderBy: { createdAt: 'asc' } });
    return rows.map((row) => ({
      id: row.id,
      code: feedCode(row.id),
      name: row.name,
      kind: row.kind.toLowerCase() as IngestKind,
      presence: 'waiting',
    }));
  }

  /** The bridge points to invite: each must exist and be in service (not retired or merged away). */
  async #invitable(codes: string[]): Promise<Array<{ id: number; code: string }>> {
    const points = await this.#prisma.bridgePoint.findMany({
      where: { code: { in: codes } },
      select: { id: true, code: true, retiredAt: true, mergedInto: { select: { code: true } } },
    });
    const unknown = codes.filter((code) => !points.some((p) => p.code === code));
    if (unknown.length > 0) throw new MeetingRuleError('INVALID', said('meeting.unknownSites', { codes: unknown.join(', ') }));
    const retired = points.filter((p) => p.retiredAt);
    if (retired.length > 0)
      throw new MeetingRuleError(
        'INVALID',
        said('meeting.retiredSites', {
          sites: retired.map((p) =>
            p.mergedInto
              ? said('unit.retiredMergedInList', { code: p.code, into: p.mergedInto.code })
              : said('unit.retiredInList', { code: p.code }),
          ),
        }),
      );
    return points;
  }
}

export function toMeetingDto({ chairId: _chairId, invitedIds: _ids, controlState: _controls, ...dto }: MeetingRecord): MeetingDto {
  return dto;
}

const controlStateSchema = z.object({
  mutedByChair: z.array(z.string()),
  handQueue: z.array(z.string()),
  floorCode: z.string().nullable(),
  spotlightCode: z.string().nullable(),
  requestDetails: z
    .record(z.string(), z.object({ topic: z.string().nullable(), delegateName: z.string().nullable(), requestedAt: z.string() }))
    .optional(),
}) satisfies z.ZodType<MeetingControlState>;

/**
 * The chair's controls as a node wrote them (nodes are patched one at a time, so perhaps another version):
 * parsed, and ignored if they fit no shape this version knows (the meeting then starts from none).
 */
function readControlState(text: string): MeetingControlState | null {
  try {
    return controlStateSchema.safeParse(JSON.parse(text)).data ?? null;
  } catch {
    return null;
  }
}

function toRecord(row: MeetingRow): MeetingRecord {
  return {
    id: row.id,
    title: row.title,
    hostLevel: row.hostLevel,
    status: row.status,
    scheduledStart: row.scheduledStart.toISOString(),
    scheduledEnd: row.scheduledEnd.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    endedAt: row.endedAt?.toISOString() ?? null,
    locked: row.locked,
    chair: { username: row.chair.username, displayName: row.chair.displayName },
    chairId: row.chair.id,
    hostBridgePointCode: row.hostBridgePoint.code,
    invited: row.invitations.map((i) => ({ code: i.bridgePoint.code, name: i.bridgePoint.name, level: i.bridgePoint.level })),
    callRoomSystemsAtStart: row.callRoomSystemsAtStart,
    invitedIds: new Map(row.invitations.map((i) => [i.bridgePoint.code, i.bridgePoint.id])),
    controlState: row.controlState ? readControlState(row.controlState) : null,
  };
}
