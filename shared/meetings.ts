/**
 * The meeting domain as the REST API and the socket protocol present it: zod schemas for request
 * bodies (the server validates with them), and the DTOs both sides share.
 */
import { z } from 'zod';
import type { AgendaState } from './agenda.js';
import type { SpeakingState } from './speaking.js';
import type { VoteState } from './votes.js';
import { mediaUrlSchema } from './urls.js';
import type { ProgramState } from './program.js';

export const roles = ['CHAIR', 'BRIDGE_POINT', 'SUPERVISOR', 'SECRETARIAT', 'ADMIN'] as const;
export type Role = (typeof roles)[number];
export const unitLevels = ['PROVINCE', 'DISTRICT', 'COMMUNE'] as const;
export type UnitLevel = (typeof unitLevels)[number];
/** Provincial units first, then districts, then communes (lists and reports sort by it). */
export const unitLevelOrder = (level: UnitLevel): number => unitLevels.indexOf(level);
export const hostLevels = ['PROVINCIAL', 'GOVERNMENT'] as const;
export type HostLevel = (typeof hostLevels)[number];
export const meetingStatuses = ['SCHEDULED', 'LIVE', 'ENDED', 'CANCELLED'] as const;
export type MeetingStatus = (typeof meetingStatuses)[number];

export const meetingIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'validation.meetingId');
export const bridgePointCodeSchema = z.string().regex(/^[A-Z0-9-]{2,32}$/, 'validation.unitCode');

export const loginSchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  /** The browser app's sign-in: the session goes into an HttpOnly cookie and the token is not in the answer. */
  cookie: z.boolean().default(false),
});

export const createMeetingSchema = z
  .strictObject({
    title: z.string().trim().min(3).max(300),
    hostLevel: z.enum(hostLevels),
    scheduledStart: z.iso.datetime({ offset: true }),
    scheduledEnd: z.iso.datetime({ offset: true }),
    invitedCodes: z.array(bridgePointCodeSchema).min(1).max(500),
    /** The chair; defaults to the creating user when that user is a chair. */
    chairUsername: z.string().min(1).max(64).optional(),
    /** When the meeting starts, the hub calls every invited site's room system (SIP), as an MCU does. */
    callRoomSystemsAtStart: z.boolean().default(false),
  })
  .refine((m) => Date.parse(m.scheduledEnd) > Date.parse(m.scheduledStart), {
    message: 'validation.endAfterStart',
    path: ['scheduledEnd'],
  });
export type CreateMeetingRequest = z.infer<typeof createMeetingSchema>;

/** PATCH /api/meetings/:id, before it starts: any of subject, time, invited bridge points and the calls at its start. */
export const updateMeetingSchema = z
  .strictObject({
    title: z.string().trim().min(3).max(300).optional(),
    scheduledStart: z.iso.datetime({ offset: true }).optional(),
    scheduledEnd: z.iso.datetime({ offset: true }).optional(),
    invitedCodes: z.array(bridgePointCodeSchema).min(1).max(500).optional(),
    callRoomSystemsAtStart: z.boolean().optional(),
  })
  .refine((m) => Object.keys(m).length > 0, { message: 'validation.nothingToChange' });
export type MeetingChange = z.infer<typeof updateMeetingSchema>;

export interface UserDto {
  username: string;
  displayName: string;
  role: Role;
  bridgePointCode: string | null;
  /** A generated or reset password: nothing but a password change is allowed until it is replaced. */
  mustChangePassword: boolean;
}

export interface LoginResponse {
  /** For API clients (`Authorization: Bearer`); absent when the session went into the cookie. */
  token?: string;
  expiresAt: string;
  user: UserDto;
}

export const iceTransportPolicies = ['all', 'relay'] as const;
export type IceTransportPolicy = (typeof iceTransportPolicies)[number];

/** How a bridge point's browsers reach the media (GET/PUT /api/bridge-points/:code/network). */
export interface BridgePointNetworkDto {
  code: string;
  iceTransportPolicy: IceTransportPolicy;
}

export interface BridgePointDto {
  code: string;
  name: string;
  level: UnitLevel;
}

export interface MeetingDto {
  id: string;
  title: string;
  hostLevel: HostLevel;
  status: MeetingStatus;
  scheduledStart: string;
  scheduledEnd: string;
  startedAt: string | null;
  endedAt: string | null;
  locked: boolean;
  chair: { username: string; displayName: string };
  hostBridgePointCode: string;
  invited: BridgePointDto[];
  /** The hub calls the invited sites' room systems when the meeting starts. */
  callRoomSystemsAtStart: boolean;
}

/** `reconnecting`: its connection or media dropped (or its worker died) and it may be back within the grace. */
export type SitePresence = 'invited' | 'waiting' | 'connected' | 'reconnecting' | 'left' | 'removed';

/** How a feed from outside reaches a meeting: pushed over WHIP, RTMP or SRT, pulled from an RTSP URL, or called over SIP (an MCU). */
export const ingestKinds = ['whip', 'rtmp', 'srt', 'rtsp', 'sip'] as const;
export type IngestKind = (typeof ingestKinds)[number];

/** An RTSP feed's source (rtsps is refused: the pull speaks RTSP over TCP only). */
export const rtspSourceSchema = mediaUrlSchema(/^rtsp$/, 'validation.rtspUrl');

/**
 * A SIP feed's source: the MCU's address `sip:[user@]host[:port]`, with `;transport=tcp` where it takes only TCP.
 * Nothing else (no headers, no other parameters): the hub calls exactly this address and no other.
 */
export const sipSourceSchema = z
  .string()
  .max(300)
  .regex(
    /^sip:(?:[A-Za-z0-9._~+-]+@)?(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)(?::\d{1,5})?(?:;transport=(?:udp|tcp))?$/,
    'validation.sipSource',
  );

/** POST /api/meetings/:id/ingests */
export const createIngestSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    kind: z.enum(ingestKinds),
    /** rtsp: the stream to pull, with its credentials if it asks for them; sip: the MCU's address the hub calls. */
    source: z.string().optional(),
  })
  .superRefine((feed, context) => {
    const schema = feed.kind === 'rtsp' ? rtspSourceSchema : feed.kind === 'sip' ? sipSourceSchema : undefined;
    if (!schema) {
      if (feed.source !== undefined) context.addIssue({ code: 'custom', message: 'validation.sourceNotTaken', path: ['source'] });
      return;
    }
    if (feed.source === undefined) {
      context.addIssue({ code: 'custom', message: 'validation.sourceNeeded', params: { kind: feed.kind.toUpperCase() }, path: ['source'] });
      return;
    }
    const checked = schema.safeParse(feed.source);
    if (!checked.success)
      for (const issue of checked.error.issues) context.addIssue({ code: 'custom', message: issue.message, path: ['source'] });
  })
  .transform((feed) =>
    feed.kind === 'rtsp' && feed.source !== undefined ? { ...feed, source: rtspSourceSchema.parse(feed.source) } : feed,
  );
export type CreateIngestRequest = z.infer<typeof createIngestSchema>;

/** A feed from outside as the meeting shows it: a site of its own (its tile's code is `code`), without roll call. */
export interface FeedState {
  id: string;
  code: string;
  name: string;
  kind: IngestKind;
  /** `connected` while its encoder sends into the meeting. */
  presence: 'waiting' | 'connected';
  /** A room system or phone that called the meeting (SIP dial-in): a site while its call lasts, hung up to remove. */
  dialledIn?: boolean;
  /** In the state pages get: the chair muted it (its microphone paused in the SFU). */
  mutedByChair?: boolean;
  /** In the state pages get: it asked for the floor (a room system's keypad: *1). */
  handRaised?: boolean;
}

export interface IngestDto {
  id: string;
  code: string;
  name: string;
  kind: IngestKind;
  /** Where the encoder sends (WHIP: its POST URL). */
  url: string;
  createdAt: string;
  connected: boolean;
}

/** The answer to adding a feed: the encoder's bearer token, shown this once (only its hash is stored). */
export interface IngestCreatedDto extends IngestDto {
  token: string;
}

/** A feed's tile code: FEED- and its id (the bridge points' code alphabet). */
export const feedCode = (ingestId: string) => `FEED-${ingestId.toUpperCase()}`;
export const isFeedCode = (code: string) => code.startsWith('FEED-');

export interface SiteState {
  code: string;
  name: string;
  level: UnitLevel;
  presence: SitePresence;
  mutedByChair: boolean;
  handRaised: boolean;
  /** In the meeting through its room system's SIP call (its keypad is its remote), not a page. */
  roomSystem?: boolean;
  /** It has a room system the hub can call (the chair's "Gọi thiết bị phòng họp"). */
  roomSystemPaired?: boolean;
  /** The hub is calling its room system (the chair's dial-out), until it answers or the hub gives up. */
  dialOut?: DialOutState;
}

/** A dial-out to a site's room system as the console shows it: connected, it is the site's presence instead. */
export interface DialOutState {
  state: 'calling' | 'ringing' | 'retrying' | 'failed';
  /** This attempt, of `attempts` at most (a busy or unanswered system is called again). */
  attempt: number;
  attempts: number;
  /** Why the last attempt did not connect, in Vietnamese. */
  reason?: string;
}

export interface RollCallEntryDto {
  code: string;
  headCount: number;
  reporterName: string;
  confirmedAt: string;
}

export interface RollCallState {
  id: number;
  startedAt: string;
  closedAt: string | null;
  entries: RollCallEntryDto[];
}

/** What every participant of a meeting sees of its control state; pushed whole on each change. */
export interface MeetingState {
  meetingId: string;
  title: string;
  status: MeetingStatus;
  locked: boolean;
  hostBridgePointCode: string;
  spotlightCode: string | null;
  floorCode: string | null;
  /** The site holding the presentation floor (one at a time; it may show a screen, window or tab). */
  presenterCode: string | null;
  /** Raised hands, first raised first. */
  handQueue: string[];
  sites: SiteState[];
  /** Feeds from outside added to the meeting (virtual sites). */
  feeds: FeedState[];
  rollCall: RollCallState | null;
  /** The meeting's votes, the latest last (`shared/votes.ts`). */
  votes: VoteState[];
  /** The agenda, and the item under way with its running time (`shared/agenda.ts`). */
  agenda: AgendaState;
  /** Requests to speak in the chair's order (the same sites as `handQueue`) and the speech under way (`shared/speaking.ts`). */
  speaking: SpeakingState;
  /** What the program shows, where it goes, and whether the meeting is being recorded (every page says so). */
  program: ProgramState;
}

/** A site's uplink as the SFU receives it; pushed to the chair every few seconds. */
export interface SiteQuality {
  code: string;
  lossPercent: number;
  bitrateKbps: number;
}

export interface ChairActionDto {
  at: string;
  by: string;
  action: string;
  targetCode: string | null;
  detail: string | null;
}
