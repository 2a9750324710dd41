import type { types } from 'mediasoup';
import type { MediaSource, TransportDirection } from '../shared/protocol.js';

export interface PeerIdentity {
  peerId: string;
  bridgePointCode: string;
  bridgePointName: string;
}

export interface MeetingRoomOptions {
  meetingId: string;
  /** Peers placed on one router before the meeting spreads to another worker. */
  peersPerRouter: number;
}

export type ProducerAppData = { peerId: string; source: MediaSource };
export type ConsumerAppData = { peerId: string; producerPeerId: string; source: MediaSource };
export type TransportAppData = { peerId: string; direction: TransportDirection };

export type MeetingRoomEvents = {
  /** The dominant speaker changed (null when everyone is silent or the speaker left). */
  activeSpeaker: [peerId: string | null];
  /** A consumer closed because its producer went away; its owner should drop the track. */
  consumerClosed: [peerId: string, consumerId: string];
  /** A peer lost its router (its worker died) and must join again. */
  peerEvicted: [peerId: string];
  /** Moving the active-speaker detection off a dead worker failed; speakers are not detected until a rejoin. */
  speakerDetectionLost: [error: Error];
  /** The last peer left. */
  empty: [];
};

export interface RoomStats {
  routers: Array<{ routerId: string; workerIndex: number; peers: number }>;
}

export interface UplinkQuality {
  lossPercent: number;
  bitrateKbps: number;
}

export type { types };
