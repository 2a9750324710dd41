import type { WorkerPoolOptions } from './WorkerPoolTypes.js';

export interface MediaServerOptions extends WorkerPoolOptions {
  /** Peers placed on one router before a meeting spreads onto another worker (pipeToRouter). */
  peersPerRouter: number;
}

export type MediaServerEvents = {
  roomCreated: [meetingId: string];
  roomClosed: [meetingId: string];
};
