import type { types } from 'mediasoup';
import type { ConsumerAppData, ProducerAppData } from './MeetingRoomTypes.js';

/** Where the program's composer listens (loopback): the shown video to one port, the microphones to the other. */
export interface ProgramTapTarget {
  videoPort: number;
  audioPort: number;
}

/** What a shown video is for: the program, or the speaker view (what the SIP call that is shown sees instead of itself). */
export type TapView = 'program' | 'speakerView';

/** What the composer must expect of the video it is sent now. */
export interface TappedVideo {
  codec: 'vp8' | 'h264';
  ssrc: number;
}

/** The meeting room's parts a tap consumes from (inside media-server only). */
export interface ProgramTapRoom {
  router: types.Router;
  listenInfo: types.TransportListenInfo;
  /** The producer, present on the tap's router (piped there once if it lives on another). */
  producerOnTapRouter(producerId: string): Promise<types.Producer<ProducerAppData>>;
  microphones(): Iterable<types.Producer<ProducerAppData>>;
  /** The room's audio forwarding: a voice the tap resumed counts as forwarded (AudioForwarding). */
  audio: { consumerResumed(consumer: types.Consumer<ConsumerAppData>): Promise<void> };
  /** The room's Dynacast: a camera the tap starts or stops taking is weighed again. */
  dynacast: { update(producerId: string): void };
}

export type ProgramTapEvents = {
  /** The tap's transports closed with the meeting's router (the room closed or its worker died). */
  close: [];
};

/** The shown video's consumer as the SFU sees it: why a program stays black is read here with the composer's count. */
export interface ShownConsumerState {
  producerId: string;
  paused: boolean;
  producerPaused: boolean;
  /** The simulcast layer forwarded now (null: none yet, it waits for a key frame). */
  currentSpatialLayer: number | null;
  score: number;
  packetsSent: number;
  /** The publisher's layers as they arrive (score 0: not sent). */
  producerLayers: Array<{ rid: string | undefined; score: number; bitrate: number }>;
}
