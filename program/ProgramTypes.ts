/** The video codecs the program decodes: what the meetings' browsers and feeds send. */
export type VideoCodec = 'vp8' | 'h264';

export interface FrameSize {
  width: number;
  height: number;
}

export interface ProgramComposerOptions {
  /** The program's picture (default 1280×720); every source is scaled into it, boxed to keep its shape. */
  size: FrameSize;
  frameRate: number;
  videoBitrateKbps: number;
  audioBitrateKbps: number;
  /**
   * Whether it encodes the MPEG-TS (for outputs and the recording) from its start; `encodeTransportStream` turns it on
   * and off later. A program made for SIP calls alone has no use for it.
   */
  transportStream: boolean;
}

export const defaultProgramComposerOptions: ProgramComposerOptions = {
  size: { width: 1280, height: 720 },
  frameRate: 25,
  videoBitrateKbps: 2500,
  audioBitrateKbps: 128,
  transportStream: true,
};

/**
 * What the composer decodes: the program's source, and the speaker view's (what the call that is shown is sent
 * instead of itself: the previous speaker).
 */
export const programViews = ['program', 'speakerView'] as const;
export type ProgramView = (typeof programViews)[number];

export type SourcePictureEvents = {
  /** A key frame of the shown source is needed (its start, or a frame lost); at most once a second. */
  keyFrameNeeded: [];
};

/** The source the program shows now, as the SFU sends it to the composer's video port. */
export interface ProgramVideoSource {
  codec: VideoCodec;
  ssrc: number;
}

/** What came of the shown source's video since it was shown: why a program stays black is read here. */
export interface ShownVideoStats {
  /** Its RTP packets received. */
  packets: number;
  /** Whole frames put together, key frames among them, and frames with a packet missing. */
  frames: number;
  keyFrames: number;
  lostFrames: number;
  /** Key frames asked of the SFU (at most one a second while waiting). */
  keyFrameRequests: number;
  /** Pictures decoded. */
  pictures: number;
}

export type ProgramComposerEvents = {
  /** The program as MPEG-TS (H.264 + AAC), in whole 188-byte packets. */
  data: [chunk: Buffer];
  /** The composer needs a key frame of the source a view shows (its start, or a frame lost). */
  keyFrameNeeded: [view: ProgramView];
  /** The encoder stopped: the program is over until it is composed again. */
  failed: [reason: string];
  /** A voice's packet could not be decoded (dropped), or its decoder failed (replaced): the mix went on. */
  voiceDecodeError: [ssrc: number, reason: string];
  /** An RTP encoder for SIP calls ended (it is started again). */
  rtpOutFailed: [kind: 'video' | 'audio', reason: string];
};

/** A destination's state, as the chair's console shows it. */
export type OutputState = 'connecting' | 'live' | 'retrying';

export type OutputPusherEvents = {
  state: [state: OutputState, error: string | null];
};

/** What a call's mix is encoded in: Opus, or G.722 or G.711 for a far end without it. */
export type MixCodec = 'opus' | 'g722' | 'pcmu' | 'pcma';

/** Where an RTP encoder sends on loopback (a PlainTransport of the SFU), and as which stream. */
export interface RtpTarget {
  port: number;
  ssrc: number;
  payloadType: number;
}

export type RtpEncoderEvents = {
  /** GStreamer ended without being closed: what it last said. */
  failed: [reason: string];
};
