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
  /** Total RTP bytes received so far; growth means the camera is alive. */
  receivedBytes(): Promise<number>;
  close(): void;
}

export type ViewerAppData = { viewerId: string };
