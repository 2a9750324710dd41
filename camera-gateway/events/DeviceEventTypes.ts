import type { DeviceEventKind } from '../../shared/cameras.js';

/** One change a camera reported through its ONVIF events: a kind of event began (active) or ended. */
export interface DeviceEventNotice {
  kind: DeviceEventKind;
  active: boolean;
  /** When the camera says it happened (its UtcTime), else when it arrived. */
  at: Date;
}

/** What a PullPoint subscription needs of its camera. */
export interface EventsAccess {
  /** The camera's events service (from its capabilities). */
  xaddr: string;
  username: string;
  password: string;
  /** The camera's clock less ours: WS-Security's Created is stamped in the camera's time. */
  timeDiffMs: number;
}

export interface PullPointOptions {
  /** How long one PullMessages may wait on the camera for something to happen. */
  pullSeconds: number;
  /** The subscription's life, renewed well before it ends. */
  leaseSeconds: number;
  /** Between failed attempts (growing to the last). */
  backoffMs: { initial: number; max: number };
}

export const defaultPullPointOptions: PullPointOptions = {
  pullSeconds: 10,
  leaseSeconds: 120,
  backoffMs: { initial: 2000, max: 60_000 },
};

export type { DeviceEventKind };
