import type { types } from 'mediasoup';

/** What the gateway's RTP sender (ffmpeg) sends into an ingest. */
export interface IngestRtp {
  payloadType: number;
  ssrc: number;
  /** e.g. 4d001f, from the stream's SPS. */
  profileLevelId: string;
}

export interface CameraIngest {
  producer: types.Producer;
  /** Where to send RTP and RTCP. */
  port: number;
  rtcpPort: number;
  /** Total RTP bytes received so far; growth means packets arrive (not that the picture moves). */
  receivedBytes(): Promise<number>;
  /** Called with the RTP timestamp of each key-frame packet the producer receives. */
  onKeyFrame(listener: (rtpTimestamp: number) => void): void;
  /** Called once if the ingest's router goes with its worker: the pull must start again on the new one. */
  onLost(listener: () => void): void;
  close(): void;
}

export type CameraHubEvents = {
  /** The wall's worker died: every ingest and viewer transport is gone; a new router is being made. */
  routerLost: [workerIndex: number];
  /** The wall's router runs again, on this worker: stations join again, the gateway pulls again. */
  rebuilt: [workerIndex: number];
};

export type ViewerAppData = { viewerId: string };
