import type { CameraStatus } from '../shared/cameras.js';

/** Where the gateway reports what it cannot hand to a caller (pino's and so fastify's logger fit). */
export interface GatewayLog {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface CameraCredentials {
  username: string;
  password: string;
}

export interface OnvifProfileInfo {
  token: string;
  name: string;
  encoding: string;
  width: number;
  height: number;
  rtspUri: string;
  snapshotUri: string;
}

export interface OnvifDescription {
  manufacturer: string;
  model: string;
  serialNumber: string;
  ptz: boolean;
  profiles: OnvifProfileInfo[];
}

export interface DiscoveredCamera {
  urn: string;
  name: string;
  hardware: string;
  location: string;
  xaddr: string;
}

/** Pan, tilt, zoom speeds in -1..1. */
export interface PtzVelocity {
  x: number;
  y: number;
  z: number;
}

/** A feed's state is the camera's as the wall shows it. */
export type FeedStatus = CameraStatus;

export interface FrameHealthOptions {
  /** No RTP for this long means the camera is down. */
  offlineAfterMs: number;
  /** No key frame for this long (longer than any camera's GOP) means no viewer can start: stalled. */
  keyFrameTimeoutMs: number;
}

/** What FrameHealth makes of a pull. */
export type FrameVerdict =
  /** Judged: media time was seen advancing between two key frames; not yet: one key frame so far. */
  | { state: 'LIVE'; judged: boolean }
  /** A new pull that has not delivered its first key frame yet. */
  | { state: 'WAITING' }
  | { state: 'SILENT' | 'FROZEN' | 'NO_KEY_FRAME'; detail: string };

export interface FeedOptions extends FrameHealthOptions {
  /** A worse status must hold this long before it is reported, so blips don't alarm. */
  debounceMs: number;
  /**
   * A pull that has not delivered its first bytes is replaced only after this long: ffmpeg first opens
   * the RTSP session and reads the stream's parameters, which a slow camera or a busy server stretches
   * to seconds, and replacing it sooner only starts that work again (with many cameras at once, a
   * storm of restarts that never settles).
   */
  pullStartTimeoutMs: number;
  /** Delays between failed pulls grow from the first to the last (a camera that answers but fails). */
  backoffMs: { initial: number; max: number };
  /** While the camera does not accept connections, its RTSP port is tried this often (cheap TCP connects). */
  reachabilityIntervalMs: number;
  /** How long a feed nobody watches keeps running (a tile reopened soon needs no new pull). */
  lingerMs: number;
  /** While a camera's wall stream is watched, its main stream is pulled too, so an opened tile shows it at once. */
  warmMainStreams: boolean;
}

export const defaultFeedOptions: FeedOptions = {
  offlineAfterMs: 3000,
  keyFrameTimeoutMs: 10_000,
  debounceMs: 2000,
  pullStartTimeoutMs: 15_000,
  backoffMs: { initial: 1000, max: 8000 },
  reachabilityIntervalMs: 1000,
  lingerMs: 15_000,
  warmMainStreams: true,
};

/** What a feed pulls: the profile's stream URI, its encoding as ONVIF reports it, the camera's credentials. */
export interface FeedSource {
  rtspUri: string;
  encoding: string;
  credentials?: CameraCredentials;
}

/** Where a recording pull writes its segments. */
export interface SegmentOutput {
  directory: string;
  segmentSeconds: number;
}

export type CameraFeedEvents = {
  /** Debounced status change. */
  status: [status: FeedStatus, detail: string | null];
  /** The feed's producer exists (viewers can consume it). */
  producer: [producerId: string];
  /** A pull's ffmpeg exited: the segment it was writing is complete. */
  pullEnded: [];
};
