import type { MediaSource } from '../../../shared/protocol';

export type ConnectionState = 'idle' | 'connecting' | 'joined' | 'reconnecting' | 'left' | 'failed';

export interface RemoteSite {
  peerId: string;
  bridgePointCode: string;
  bridgePointName: string;
  videoTrack?: MediaStreamTrack;
  audioTrack?: MediaStreamTrack;
  videoMuted: boolean;
  audioMuted: boolean;
}

export interface LocalMediaState {
  stream?: MediaStream;
  cameraMuted: boolean;
  microphoneMuted: boolean;
}

export type MeetingClientEvents = {
  stateChanged: [state: ConnectionState, error?: Error];
  sitesChanged: [sites: RemoteSite[]];
  activeSpeakerChanged: [peerId: string | null];
  localMediaChanged: [local: LocalMediaState];
};

export type VideoCodecChoice = 'vp8' | 'h264';

export interface JoinOptions {
  meetingId: string;
  bridgePointCode: string;
  /** The camera's codec; VP8 unless the site asks for H.264 (e.g. hardware encoders). */
  videoCodec?: VideoCodecChoice;
}

export type { MediaSource };
