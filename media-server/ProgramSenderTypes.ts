import type { types } from 'mediasoup';
import type { TapView } from './ProgramTapTypes.js';

/** Where the composer's RTP encoder sends one stream on loopback, and the producer it becomes. */
export interface ProgramStream {
  port: number;
  ssrc: number;
  payloadType: number;
  producerId: string;
}

/** The meeting room's parts a sender produces into (inside media-server only). */
export interface ProgramSenderRoom {
  router: types.Router;
  listenInfo: types.TransportListenInfo;
  /** The program's producers alive in the room (SIP calls may consume these only). */
  held: Set<string>;
  /** A program producer closed: forgotten, and its pipes to other routers with it. */
  producerClosed(producerId: string): void;
}

export type ProgramSenderEvents = {
  /** A SIP call asked for a key frame of a picture (its PLI or FIR, passed on by the SFU). */
  keyFrameRequested: [view: TapView];
  /** The sender's transports closed with the meeting's router (the room closed or its worker died). */
  close: [];
};
