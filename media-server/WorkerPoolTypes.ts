import type { types } from 'mediasoup';

export interface WorkerPoolOptions {
  /** How many mediasoup workers to run; one per core by default. */
  numWorkers: number;
  /** Address the workers bind to. */
  listenIp: string;
  /** Address announced in ICE candidates when listenIp is not reachable by browsers (NAT, 0.0.0.0). */
  announcedAddress?: string;
  /** Port range for per-transport sockets (WebRTC when webRtcServerPort is not set, camera ingest, pipes). */
  rtcMinPort: number;
  rtcMaxPort: number;
  /**
   * When set, each worker listens on one UDP and one TCP port (this port + worker index) through a
   * WebRtcServer, which is what government firewalls can open. 0 picks free ports (tests).
   */
  webRtcServerPort?: number;
  logLevel?: types.WorkerLogLevel;
  /** Starts a worker; mediasoup's createWorker unless a test injects failures. */
  createWorker?: (settings: types.WorkerSettings) => Promise<types.Worker>;
  /** First wait before retrying a failed replacement; doubles up to 30 s. Default 1 s. */
  replaceRetryMs?: number;
}

export interface PooledWorker {
  index: number;
  worker: types.Worker;
  webRtcServer?: types.WebRtcServer;
  /** Meeting sites currently placed on this worker. */
  load: number;
  /** The worker's live mediasoup objects (meetings, the camera wall, pipes), from mediasoup's observer. */
  objects: WorkerObjects;
}

/** A worker's live mediasoup objects, each set kept as mediasoup makes and closes them. */
export interface WorkerObjects {
  routers: Set<types.Router>;
  transports: Set<types.Transport>;
  producers: Set<types.Producer>;
  consumers: Set<types.Consumer>;
}

export type WorkerPoolEvents = {
  /** A worker died (killed, crashed); every router on it is gone and a replacement is being started. */
  workerDied: [index: number, pid: number, error: Error];
  /** A worker died and was replaced; its routers are gone. */
  workerReplaced: [index: number, error: Error];
  /** Starting the replacement failed; the slot takes no peers until a later attempt succeeds. */
  workerReplaceFailed: [index: number, error: Error, retryInMs: number];
};
