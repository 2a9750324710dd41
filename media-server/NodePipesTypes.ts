import type { types } from 'mediasoup';
import type { MediaSource } from '../shared/protocol.js';
import type { PeerIdentity } from './MeetingRoomTypes.js';
import type { NodeCall, NodeNotice } from '../shared/nodeMethods.js';

/**
 * How a node's SFU talks to the other nodes' (cluster/ gives it over Redis): calls answered by the
 * named node, one-way notices, and where each of a meeting's producers lives.
 */
export interface NodeLink {
  readonly nodeId: string;
  /** Calls `method` on `nodeId`; its answer is parsed by the method's result schema. */
  call<P, R>(nodeId: string, method: NodeCall<P, R>, params: P): Promise<R>;
  notify<P>(nodeId: string, method: NodeNotice<P>, params: P): Promise<void>;
  /** `method` is served by `handler`, with the parameters another node sent parsed by the method's schema. */
  handle<P, R>(method: NodeCall<P, R>, handler: (from: string, params: P) => R | Promise<R>): void;
  handle<P>(method: NodeNotice<P>, handler: (from: string, params: P) => unknown): void;
  /** Where a meeting's producer lives (published by its node), or undefined. */
  locate(meetingId: string, producerId: string): Promise<ProducerLocation | undefined>;
  /** This node's producer appeared (a location) or went away (null). */
  announce(meetingId: string, producerId: string, location: ProducerLocation | null): Promise<void>;
  /** A site joined the meeting's room on this node, or left it. */
  announcePeer(meetingId: string, peer: PeerIdentity, present: boolean): Promise<void>;
}

export interface ProducerLocation {
  nodeId: string;
  peer: PeerIdentity;
  kind: types.MediaKind;
  source: MediaSource;
  /** As last announced (a muted microphone): a site joining on another node is told. */
  paused: boolean;
}

export interface NodePipesOptions {
  link: NodeLink;
  /** Where this node's ends of the pipes listen (its address, announced if behind NAT). */
  listenInfo: () => types.TransportListenInfo;
  /** Encrypt the RTP between nodes (SRTP, keys exchanged over the link): for nodes in different buildings. */
  enableSrtp: boolean;
  /** An imported producer nobody here consumed for this long is closed, and its origin told. */
  unusedAfterMs?: number;
  /** Errors of the background work (notices that could not be sent): logged by the caller. */
  onError: (error: unknown) => void;
}

/** Over the link: the importer's end of a pipe, for the origin to connect to (and its answer, the same). */
export interface PipeEnd {
  meetingId: string;
  ip: string;
  port: number;
  srtpParameters?: types.SrtpParameters;
}

/** Over the link: what the origin sends through the pipe for one producer. */
export interface ExportedProducer {
  kind: types.MediaKind;
  rtpParameters: types.RtpParameters;
  paused: boolean;
  peer: PeerIdentity;
  source: MediaSource;
}
