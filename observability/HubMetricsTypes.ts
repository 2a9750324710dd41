import type { WorkerPool } from '../media-server/index.js';
import type { SitePresence } from '../shared/meetings.js';
import type { CameraStatus, TamperKind } from '../shared/cameras.js';
import type { ShedStep } from '../shared/protocol.js';

/** What the metrics read from the rest of the hub, each through its own public interface. */
export interface HubMetricsSources {
  pool: WorkerPool;
  /** Each live meeting's sites by presence. */
  meetings(): Promise<Array<{ meetingId: string; sites: Partial<Record<SitePresence, number>> }>>;
  /** Each registered camera's status. */
  cameraStatuses(): CameraStatus[];
  /** What each covered or turned-away camera suffers now. */
  cameraTampers(): TamperKind[];
  /** The worker slot the camera wall's router is on; undefined while it is made again after its worker died. */
  cameraWallWorker(): number | undefined;
  /** Load shedding: the busiest worker's CPU demand (percent of a core), the steps given up now, and how often each was taken. */
  load(): { percent: number; steps: readonly ShedStep[]; taken: Readonly<Record<ShedStep, number>> };
  /** A trivial query: its round trip is the database latency. */
  pingDatabase(): Promise<void>;
  /** Voices' Opus packets the meetings' programs could not decode (each dropped; the mix goes on). */
  programVoiceDecodeErrors(): number;
  /** Stamps of the open presences that failed (a crash then cuts them at the last stamp that worked). */
  attendanceHeartbeatFailures(): number;
  /** Cluster mode: bytes sent to and received from the other nodes through the pipes open now. */
  nodePipeTraffic?(): Promise<{ sentBytes: number; receivedBytes: number }>;
}
