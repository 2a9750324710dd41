import type { ShedStep } from '../shared/protocol.js';
import type { LoadSheddingOptions } from './LoadSheddingTypes.js';
import type { WorkerPoolOptions } from './WorkerPoolTypes.js';

export interface MediaServerOptions extends WorkerPoolOptions {
  /**
   * At most this many of a meeting's peers on one router (MEDIA_PEERS_PER_ROUTER). Unset: a meeting
   * spreads over the workers by their load alone.
   */
  peersPerRouter?: number;
  /** Videos one viewer may have resumed at once (default 9: the large tile and eight small ones). */
  maxShownVideos?: number;
  /** Microphones forwarded at once when more sites are unmuted (default 3: the loudest). */
  maxForwardedMicrophones?: number;
  /**
   * Benchmarks only (bench:load): sites may ask for SRTP PlainTransports on loopback instead of
   * WebRTC, so dozens of synthetic sites fit beside the hub. Never on in production.
   */
  loadTestTransports?: boolean;
  /** When the hub gives up the walls, then the thumbnails' frame rate (LOAD_SHED_HIGH_PERCENT, LOAD_SHED_LOW_PERCENT); default 85 and 60. */
  loadShedding?: LoadSheddingOptions;
}

export type MediaServerEvents = {
  /** The machine runs short, or has room again: the steps given up now (`shedSteps`). */
  loadShed: [steps: readonly ShedStep[]];
  /** Reading the workers' load, or lowering the thumbnails, failed once (logged; the next reading goes on). */
  loadSheddingFailed: [error: unknown];
  roomCreated: [meetingId: string];
  roomClosed: [meetingId: string];
  /** A producer's place in the cluster could not be published (logged; its remote viewers cannot import it). */
  nodePipeError: [error: unknown];
};
