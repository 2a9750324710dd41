/** The camera wall as the REST API and the socket protocol present it. */
import { z } from 'zod';

/**
 * STALLED: packets arrive but the picture does not move (frozen timestamps, no key frames).
 * UNAUTHORIZED: the camera refuses the stream credentials.
 */
export const cameraStatuses = ['UNKNOWN', 'ONLINE', 'OFFLINE', 'STALLED', 'UNSUPPORTED', 'UNAUTHORIZED'] as const;
export type CameraStatus = (typeof cameraStatuses)[number];
/** When a camera's main stream is recorded: always, during office hours (working days), or never. */
export const recordModes = ['ALWAYS', 'OFFICE_HOURS', 'OFF'] as const;
export type RecordMode = (typeof recordModes)[number];
/** What a camera's own picture says is wrong: its lens covered, defocused or blinded, or it looks elsewhere. */
export const tamperKinds = ['COVERED', 'MOVED'] as const;
export type TamperKind = (typeof tamperKinds)[number];
/** What a camera itself reports through its ONVIF events. */
export const deviceEventKinds = ['MOTION', 'TAMPER', 'VIDEO_LOSS'] as const;
export type DeviceEventKind = (typeof deviceEventKinds)[number];

/** A span a camera reported an event as active (GET /api/cameras/:id/device-events); `end` null while it lasts. */
export interface DeviceEventDto {
  kind: DeviceEventKind;
  start: string;
  end: string | null;
}
export const streamProfiles = ['main', 'sub'] as const;
export type StreamProfile = (typeof streamProfiles)[number];

export const addCameraSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  unitName: z.string().trim().min(1).max(200),
  counter: z.string().trim().min(1).max(100),
  onvifAddress: z.url({ protocol: /^https?$/, error: 'validation.cameraAddress' }),
  username: z.string().max(100),
  password: z.string().max(200),
  pinned: z.boolean().default(false),
});
export type AddCameraRequest = z.infer<typeof addCameraSchema>;

export const cameraIdSchema = z.coerce.number().int().positive();

export interface CameraDto {
  id: number;
  name: string;
  unitName: string;
  counter: string;
  onvifAddress: string;
  encoding: string;
  ptz: boolean;
  pinned: boolean;
  recordMode: RecordMode;
  /** Its pull writes segments now (the mode and the office hours say so, and the disk has room). */
  recording: boolean;
  status: CameraStatus;
  /** Its picture is covered or turned away now (judged by the hub from the wall stream), or null. */
  tamper: TamperKind | null;
  /** Where the civil servant sits, watched for counter attendance; null: not watched. */
  staffZone: MotionRegion | null;
  /** Nothing has moved in the staff zone since then (longer than the unattended time, in office hours), or null. */
  unattendedSince: string | null;
  /** When video last arrived (while watched), or when the camera was last known online. */
  lastSeenAt: string | null;
}

/** One of a camera's ONVIF media profiles (GET /api/cameras/:id/profiles). */
export interface CameraProfileDto {
  token: string;
  name: string;
  encoding: string;
  width: number;
  height: number;
  /** Which wall stream it feeds. */
  use: 'main' | 'sub' | 'unused';
}

export interface DiscoveredCameraDto {
  name: string;
  location: string;
  hardware: string;
  onvifAddress: string;
  /** Already in the registry. */
  registered: boolean;
}

export interface CameraUptimeRow {
  id: number;
  name: string;
  unitName: string;
  /** Share of the period the camera was online, 0..1; null when never observed. */
  uptime: number | null;
  offlineEvents: number;
  /** Times the camera was covered or turned away within the period. */
  tamperEvents: number;
}

/** The recordings disk as the wall and GET /api/recordings/storage show it. */
export interface RecordingStorageDto {
  usedBytes: number;
  quotaBytes: number;
  freeBytes: number;
  /** Free space fell below the minimum: recording is paused, live viewing goes on. */
  diskFull: boolean;
}

/** How many tiles a station's wall shows at once. */
export const wallTileCounts = [1, 4, 9, 16, 36] as const;

const carousel = 'validation.carousel';

export const wallLayoutSchema = z.strictObject({
  tiles: z.union(
    wallTileCounts.map((n) => z.literal(n)) as [z.ZodLiteral<1>, z.ZodLiteral<4>, z.ZodLiteral<9>, z.ZodLiteral<16>, z.ZodLiteral<36>],
    {
      error: 'validation.wallTiles',
    },
  ),
  groupByUnit: z.boolean(),
  /** The carousel moves to the next page this often; 0: it stays. */
  carouselSeconds: z.union([z.literal(0), z.number().int().min(5, carousel).max(3600, carousel)], { error: carousel }),
});
export type WallLayoutDto = z.infer<typeof wallLayoutSchema>;

export const defaultWallLayout: WallLayoutDto = { tiles: 36, groupByUnit: true, carouselSeconds: 0 };

const region = 'validation.motionRegion';
const fraction = z.number({ error: region }).min(0, region).max(1, region);

/** A rectangle on the picture, in fractions of its width and height from the top left. */
export const motionRegionSchema = z
  .strictObject({ x: fraction, y: fraction, width: fraction.gt(0, region), height: fraction.gt(0, region) })
  .refine((r) => r.x + r.width <= 1.0001 && r.y + r.height <= 1.0001, { message: region });
export type MotionRegion = z.infer<typeof motionRegionSchema>;

/** How far back a motion search may reach in one request. */
export const maxMotionSearchDays = 93;

export const motionSearchSchema = z
  .strictObject({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    region: motionRegionSchema,
    /** 1: only strong motion … 10: the faintest. */
    sensitivity: z.number().int().min(1, 'validation.sensitivity').max(10, 'validation.sensitivity').default(6),
    /** Share of the region's cells that must move at once, in percent. */
    minArea: z.number().gt(0, 'validation.minArea').max(100, 'validation.minArea').default(5),
  })
  .transform((q) => ({ ...q, from: new Date(q.from), to: new Date(q.to) }))
  .refine(({ from, to }) => to > from, { message: 'validation.toAfterFrom', path: ['to'] })
  .refine(({ from, to }) => to.getTime() - from.getTime() <= maxMotionSearchDays * 86_400_000, {
    message: 'validation.motionSearchDays',
    path: ['to'],
  });
export type MotionSearchRequest = z.input<typeof motionSearchSchema>;

export interface MotionIntervalDto {
  start: string;
  end: string;
  /** The largest share of the region that moved at once within the interval, in percent. */
  peak: number;
}

export interface MotionSearchDto {
  intervals: MotionIntervalDto[];
  /** More intervals matched than one answer holds: narrow the time or raise the minimum area. */
  truncated: boolean;
}

/** One counter's office hours within a report's period (GET /api/reports/counters). */
export interface CounterAttendanceRow {
  id: number;
  name: string;
  unitName: string;
  counter: string;
  /** Office time the staff zone was watched (the camera analysed), in minutes. */
  observedMinutes: number;
  /** Of that, the time something moved at the desk within the unattended time, in minutes. */
  attendedMinutes: number;
  /** attended / observed, 0..1; null when nothing was observed. */
  attendedShare: number | null;
  longestAbsenceMinutes: number;
  /** Each time nothing moved at the desk for longer than the unattended time, with the page that plays it. */
  absences: Array<{ start: string; end: string; minutes: number; recording: string }>;
}

export const staffZoneSchema = z.strictObject({ zone: motionRegionSchema.nullable() });
