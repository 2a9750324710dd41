import type { types } from 'mediasoup';
import type { MediaSource, TransportDirection, VideoTile } from '../shared/protocol.js';

export interface PeerIdentity {
  peerId: string;
  bridgePointCode: string;
  bridgePointName: string;
}

export interface MeetingRoomOptions {
  meetingId: string;
  /** At most this many peers on one router (optional: the meeting spreads by the workers' load). */
  peersPerRouter?: number;
  /** Videos one viewer may have resumed at once (default 9: the large tile and eight small ones). */
  maxShownVideos?: number;
  /** Microphones forwarded at once when more sites are unmuted (default 3: the loudest). */
  maxForwardedMicrophones?: number;
  /** Producers of sites on other hub nodes, imported on first consume (NodePipes; absent on a single node). */
  remote?: {
    import(room: PipedRoom, producerId: string): Promise<boolean>;
    announce(room: PipedRoom, producer: types.Producer, closed?: boolean): Promise<void>;
    announcePeer(room: PipedRoom, peer: PeerIdentity, present: boolean): Promise<void>;
    /** The highest layer of an imported camera this node's viewers need, for its origin's Dynacast. */
    needLayer(room: PipedRoom, producerId: string, layer: number): Promise<void>;
  };
}

/** A meeting's room as the pipes between nodes use it (MeetingRoom implements it). */
export interface PipedRoom {
  readonly id: string;
  readonly closed: boolean;
  /** The router the room's producers are gathered on, and that pipes to other nodes start from. */
  readonly homeRouter: types.Router;
  /** Who produced it and what it is, if it is produced in this room. */
  producerOrigin(producerId: string): { peer: PeerIdentity; source: ProducerAppData['source'] } | undefined;
  /** The producer, piped to the home router (once) so a pipe to another node can take it. */
  pipeToHome(producerId: string): Promise<{ peer: PeerIdentity; source: ProducerAppData['source'] }>;
  /** A producer imported from another node, taken in as its site's. */
  adoptRemoteProducer(producer: types.Producer<ProducerAppData>, identity: PeerIdentity): Promise<void>;
  /** The highest layer another node's viewers need of this room's camera (null: none any more). */
  setNeededOnNode(producerId: string, nodeId: string, layer: number | null): void;
  /** Consumers on this node of the producer. */
  consumerCount(producerId: string): number;
}

export type ProducerAppData = { peerId: string; source: MediaSource };
/** `tile`: where the viewer shows a video (`large` for audio and for pages that do not say). */
export type ConsumerAppData = { peerId: string; producerPeerId: string; source: MediaSource; tile: VideoTile };
export type TransportAppData = { peerId: string; direction: TransportDirection };

export type MeetingRoomEvents = {
  /** The dominant speaker changed (null when everyone is silent or the speaker left). */
  activeSpeaker: [peerId: string | null];
  /** A consumer closed because its producer went away; its owner should drop the track. */
  consumerClosed: [peerId: string, consumerId: string];
  /** Peers lost their router (its worker, or the meeting's home worker, died) and must join again; all at once. */
  peersEvicted: [peerIds: string[]];
  /** Dynacast: the publisher `peerId` should encode the camera's simulcast layers up to `spatialLayer` only. */
  maxSpatialLayer: [peerId: string, producerId: string, spatialLayer: number];
  /** Choosing which microphones to forward failed (a worker call refused); logged, the meeting goes on. */
  audioForwardingFailed: [error: Error];
  /** A closed producer could not be struck from the cluster's map (logged; a late importer gets an error). */
  nodePipeFailed: [error: Error];
  /** The last peer left. */
  empty: [];
};

export interface RoomConsumerCounts {
  total: number;
  video: number;
  audio: number;
  /** Resumed and with their producer sending: what the SFU forwards now. */
  forwardedVideo: number;
  forwardedAudio: number;
}

export interface RoomStats {
  routers: Array<{ routerId: string; workerIndex: number; peers: number }>;
  /** The whole meeting's. */
  consumers: RoomConsumerCounts;
  /** Each site's, as a viewer. */
  sites: Array<{ code: string; consumers: RoomConsumerCounts }>;
}

export interface UplinkQuality {
  lossPercent: number;
  bitrateKbps: number;
}

export type { types };
