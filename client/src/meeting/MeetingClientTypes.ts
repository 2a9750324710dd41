import type { VoteTally } from '../../../shared/votes.js';
import type { MessageKey } from '../../../shared/messages/index.js';
import type { DeviceChoice, OpenedMedia } from './LocalDevices.js';
import type { MeetingState, SiteQuality } from '../../../shared/meetings.js';
import type { MediaSource, ShedStep } from '../../../shared/protocol.js';

/**
 * `waiting`: in the lobby until the chair starts; `ended`/`removed`: closed by the chair; `replaced`: the
 * bridge point joined again from another tab or PC.
 */
export type ConnectionState =
  'idle' | 'connecting' | 'waiting' | 'joined' | 'reconnecting' | 'left' | 'ended' | 'removed' | 'replaced' | 'signedOut' | 'failed';

export interface RemoteSite {
  peerId: string;
  bridgePointCode: string;
  bridgePointName: string;
  videoTrack?: MediaStreamTrack;
  /** Its presentation (a screen, window or tab), while it holds the floor and the page shows it. */
  screenTrack?: MediaStreamTrack;
  /** It sends a presentation of its own (a screen, or a room system's laptop over BFCP), shown or not. */
  hasScreen?: boolean;
  audioTrack?: MediaStreamTrack;
  videoMuted: boolean;
  audioMuted: boolean;
}

export interface LocalMediaState {
  stream?: MediaStream;
  cameraMuted: boolean;
  microphoneMuted: boolean;
  /** The chair muted this site: the SFU holds its microphone and only the chair can lift it. */
  mutedByChair: boolean;
  /** What this site presents (its own preview), while it holds the floor and shares. */
  screen?: MediaStream;
  /** Why the site has no camera in the meeting (it joined by voice): a message of the hub's table. */
  cameraTrouble?: MessageKey;
  /** The devices in use (undefined: the browser's default). */
  devices: DeviceChoice;
}

export type MeetingClientEvents = {
  stateChanged: [state: ConnectionState, error?: Error];
  sitesChanged: [sites: RemoteSite[]];
  activeSpeakerChanged: [peerId: string | null];
  localMediaChanged: [local: LocalMediaState];
  meetingStateChanged: [state: MeetingState];
  /** Chair only: each site's uplink. */
  qualityChanged: [sites: SiteQuality[]];
  /** The open vote's running totals (the chair's page only: `vote:tally`). */
  voteTallyChanged: [tally: VoteTally];
  /** The chair declined this site's request to speak. */
  speechDeclined: [];
  /** What the hub gives up while its machine runs short (`load:state`); empty when it has room. */
  shedStepsChanged: [steps: ShedStep[]];
};

/** What the page shows: the large tile's site (at the layer its size needs) and the visible thumbnails' sites. */
export interface ShownVideos {
  large: string | null;
  small: string[];
  /** Simulcast layer for the large tile: 0 (320×180) … 2 (1280×720). */
  largeLayer: number;
  /** The presenting site whose presentation is shown (null: none). */
  content: string | null;
}

export type VideoCodecChoice = 'vp8' | 'h264';

export interface JoinOptions {
  meetingId: string;
  /** The camera's codec; VP8 unless the site asks for H.264 (e.g. hardware encoders). */
  videoCodec?: VideoCodecChoice;
  /** The camera and microphone the site's preview opened, handed over as they are; else the chosen devices are opened. */
  media?: OpenedMedia;
  devices?: DeviceChoice;
}

export type { MediaSource };
