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
}

export const defaultProgramComposerOptions: ProgramComposerOptions = {
  size: { width: 1280, height: 720 },
  frameRate: 25,
  videoBitrateKbps: 2500,
  audioBitrateKbps: 128,
};

/** The source the program shows now, as the SFU sends it to the composer's video port. */
export interface ProgramVideoSource {
  codec: VideoCodec;
  ssrc: number;
}

export type ProgramComposerEvents = {
  /** The program as MPEG-TS (H.264 + AAC), in whole 188-byte packets. */
  data: [chunk: Buffer];
  /** The composer needs a key frame of the source it shows (its start, or a frame lost). */
  keyFrameNeeded: [];
  /** The encoder stopped: the program is over until it is composed again. */
  failed: [reason: string];
  /** A voice's packet could not be decoded (dropped), or its decoder failed (replaced): the mix went on. */
  voiceDecodeError: [ssrc: number, reason: string];
};

/** A destination's state, as the chair's console shows it. */
export type OutputState = 'connecting' | 'live' | 'retrying';

export type OutputPusherEvents = {
  state: [state: OutputState, error: string | null];
};
