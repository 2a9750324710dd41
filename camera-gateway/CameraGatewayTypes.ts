import type { CameraStatus } from '../shared/cameras.js';

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

export interface FeedOptions {
  /** No RTP for this long means the camera is down. */
  offlineAfterMs: number;
  /** A new status must hold this long before it is reported, so blips don't alarm. */
  debounceMs: number;
  /** Reconnect delays grow from the first to the last. */
  backoffMs: { initial: number; max: number };
  /** How long a feed nobody watches keeps running (a tile reopened soon needs no new pull). */
  lingerMs: number;
}

export const defaultFeedOptions: FeedOptions = {
  offlineAfterMs: 3000,
  debounceMs: 2000,
  backoffMs: { initial: 1000, max: 8000 },
  lingerMs: 15_000,
};

export type CameraFeedEvents = {
  /** Debounced status change. */
  status: [status: FeedStatus, detail: string | null];
  /** The feed's producer exists (viewers can consume it). */
  producer: [producerId: string];
};
