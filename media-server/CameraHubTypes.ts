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
  close(): void;
}

export type ViewerAppData = { viewerId: string };
