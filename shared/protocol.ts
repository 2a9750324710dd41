/**
 * The meeting signalling protocol: one zod schema per client→server payload (the server validates
 * every message with it), and socket.io's typed event maps for both directions.
 *
 * mediasoup's own structures (RTP parameters, DTLS parameters, capabilities) are checked here for
 * shape only; mediasoup validates their content and its errors are returned to the caller.
 */
import { takeAgendaItemSchema } from './agenda.js';
import { callSpeakerSchema, declineRequestSchema, reorderRequestsSchema, requestToSpeakSchema } from './speaking.js';
import { answerVoteSchema, closeVoteSchema, openVoteSchema, type VoteTally } from './votes.js';
import type { MessageKey, MessageParams } from './messages/index.js';
import { z } from 'zod';
import type { SessionEndReason } from './accounts.js';
import { cameraIdSchema, streamProfiles, type CameraDto, type RecordingStorageDto, type StreamProfile } from './cameras.js';
import { bridgePointCodeSchema, meetingIdSchema, type MeetingState, type SiteQuality } from './meetings.js';

const id = z.string().min(1).max(128);

/** `screen`: the presentation (a screen, window or tab), produced only by the site that holds the presentation floor. */
export const mediaSourceSchema = z.enum(['camera', 'microphone', 'screen']);
export type MediaSource = z.infer<typeof mediaSourceSchema>;

export const mediaKindSchema = z.enum(['audio', 'video']);
export type MediaKind = z.infer<typeof mediaKindSchema>;

const rtpCodecSchema = z.looseObject({
  mimeType: z.string().regex(/^(audio|video)\/[\w.-]+$/),
  clockRate: z.number().int().positive(),
  payloadType: z.number().int().min(0).max(127).optional(),
  channels: z.number().int().positive().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  rtcpFeedback: z.array(z.looseObject({ type: z.string(), parameter: z.string().optional() })).optional(),
});

export const rtpCapabilitiesSchema = z.looseObject({
  codecs: z.array(rtpCodecSchema.extend({ kind: mediaKindSchema, preferredPayloadType: z.number().int().optional() })).optional(),
  headerExtensions: z.array(z.looseObject({ uri: z.string() })).optional(),
});
export type RtpCapabilities = z.infer<typeof rtpCapabilitiesSchema>;

export const rtpParametersSchema = z.looseObject({
  mid: z.string().optional(),
  codecs: z.array(rtpCodecSchema.extend({ payloadType: z.number().int().min(0).max(127) })).min(1),
  headerExtensions: z.array(z.looseObject({ uri: z.string(), id: z.number().int() })).optional(),
  encodings: z
    .array(
      z.looseObject({
        ssrc: z.number().int().nonnegative().optional(),
        rid: z.string().max(16).optional(),
        maxBitrate: z.number().positive().optional(),
        scalabilityMode: z.string().optional(),
      }),
    )
    .max(4)
    .optional(),
  rtcp: z.looseObject({ cname: z.string().optional() }).optional(),
});
export type RtpParameters = z.infer<typeof rtpParametersSchema>;

export const dtlsParametersSchema = z.looseObject({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z.array(z.object({ algorithm: z.string().min(1), value: z.string().regex(/^[0-9A-Fa-f:]+$/) })).min(1),
});
export type DtlsParameters = z.infer<typeof dtlsParametersSchema>;

/** The site joining is the signed-in user's own bridge point (the chair's: the meeting's host site). */
export const joinMeetingSchema = z.strictObject({ meetingId: meetingIdSchema });
export type JoinMeetingRequest = z.infer<typeof joinMeetingSchema>;

export const setRtpCapabilitiesSchema = z.strictObject({ rtpCapabilities: rtpCapabilitiesSchema });

export const transportDirectionSchema = z.enum(['send', 'recv']);
export type TransportDirection = z.infer<typeof transportDirectionSchema>;

export const createTransportSchema = z.strictObject({ direction: transportDirectionSchema });
export const connectTransportSchema = z.strictObject({ transportId: id, dtlsParameters: dtlsParametersSchema });
export const restartIceSchema = z.strictObject({ transportId: id });
/** bench:load only (MEDIA_LOAD_TEST_TRANSPORTS=on): a synthetic site's RTP socket on this machine and its SRTP key. */
const plainRemote = {
  ip: z.literal('127.0.0.1'),
  port: z.number().int().min(1).max(65535),
  srtpParameters: z.strictObject({
    cryptoSuite: z.literal('AES_CM_128_HMAC_SHA1_80'),
    // 16-byte master key + 14-byte salt
    keyBase64: z.base64().length(40),
  }),
};
export const connectPlainTransportSchema = z.strictObject({ transportId: id, ...plainRemote });

export const produceSchema = z.strictObject({
  transportId: id,
  kind: mediaKindSchema,
  rtpParameters: rtpParametersSchema,
  source: mediaSourceSchema,
  /** Produced muted: the others are told it is paused, and consume nothing of it until it is resumed. */
  paused: z.boolean().optional(),
});

export const producerIdSchema = z.strictObject({ producerId: id });
/** Where a page shows a video: the hub lowers the thumbnails first when it runs short (`load:state`). */
export const videoTiles = ['large', 'thumbnail'] as const;
export type VideoTile = (typeof videoTiles)[number];
export const consumeSchema = z.strictObject({
  producerId: id,
  /** A simulcast video's layer to start at (the tile's), saving a `consumer:setPreferredLayers` round trip. */
  spatialLayer: z.number().int().min(0).max(2).optional(),
  /** The tile it is shown in (a page that does not say is treated as showing it large). */
  tile: z.enum(videoTiles).optional(),
});
export const consumerIdSchema = z.strictObject({ consumerId: id });
export const preferredLayersSchema = z.strictObject({
  consumerId: id,
  spatialLayer: z.number().int().min(0).max(2),
  temporalLayer: z.number().int().min(0).max(2).optional(),
  /** The tile it moves to (unchanged when not said). */
  tile: z.enum(videoTiles).optional(),
});
export const emptySchema = z.strictObject({});

export const raiseHandSchema = z.strictObject({ raised: z.boolean() });
export const confirmRollCallSchema = z.strictObject({
  headCount: z.number().int().min(0).max(10_000),
  reporterName: z.string().trim().min(1).max(100),
});
export const siteTargetSchema = z.strictObject({ bridgePointCode: bridgePointCodeSchema });
export const muteSiteSchema = z.strictObject({ bridgePointCode: bridgePointCodeSchema, muted: z.boolean() });
export const optionalSiteTargetSchema = z.strictObject({ bridgePointCode: bridgePointCodeSchema.nullable() });
export const lockSchema = z.strictObject({ locked: z.boolean() });
export const rollCallControlSchema = z.strictObject({ open: z.boolean() });

const cameraId = cameraIdSchema.pipe(z.number());
export const wallRtpCapabilitiesSchema = setRtpCapabilitiesSchema;
export const wallConnectSchema = z.strictObject({ dtlsParameters: dtlsParametersSchema });
export const wallConnectPlainSchema = z.strictObject(plainRemote);
export const wallWatchSchema = z.strictObject({ cameraId, profile: z.enum(streamProfiles) });
export const wallResumeSchema = z.strictObject({ consumerId: id });
const speed = z.number().min(-1).max(1);
export const ptzMoveSchema = z.strictObject({ cameraId, x: speed, y: speed, z: speed });
export const ptzStopSchema = z.strictObject({ cameraId });
export const ptzPresetSchema = z.strictObject({ cameraId, presetToken: z.string().min(1).max(64) });

/** What every acknowledgement carries: the result, or a coded error the UI can translate. */
/** A refusal says its code, its Vietnamese text, and the message's key and parameters (a page says it in its reader's language). */
export interface AckError {
  code: ErrorCode;
  message: string;
  messageKey?: MessageKey;
  messageParams?: MessageParams;
}
export type AckResult<T> = { ok: true; data: T } | { ok: false; error: AckError };
export type Ack<T> = (result: AckResult<T>) => void;

export const errorCodes = [
  'INVALID_PAYLOAD',
  'NOT_JOINED',
  'ALREADY_JOINED',
  'UNKNOWN_BRIDGE_POINT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_INVITED',
  'MEETING_LOCKED',
  'MEETING_ENDED',
  'REMOVED',
  'ROLL_CALL_CLOSED',
  'PRESENTATION_BUSY',
  'HUB_BUSY',
  'RATE_LIMITED',
  'CAMERA_UNREACHABLE',
  'NOT_FOUND',
  'MEDIA_ERROR',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface PeerProducerInfo {
  producerId: string;
  kind: MediaKind;
  source: MediaSource;
  paused: boolean;
}

export interface PeerInfo {
  peerId: string;
  bridgePointCode: string;
  bridgePointName: string;
  producers: PeerProducerInfo[];
}

/** A site that joins before the chair starts waits in the lobby and joins again on `meeting:state` LIVE. */
export type JoinMeetingResponse = ({ admitted: false } | ({ admitted: true } & JoinedMedia)) & {
  meeting: MeetingState;
  /** The site this connection speaks for (the chair's is the meeting's host site). */
  siteCode: string;
  isChair: boolean;
};

export interface JoinedMedia {
  peerId: string;
  routerRtpCapabilities: RtpCapabilities;
  peers: PeerInfo[];
  activeSpeakerPeerId: string | null;
}

export interface TransportOptionsResponse {
  id: string;
  iceParameters: { usernameFragment: string; password: string; iceLite?: boolean };
  iceCandidates: Array<{
    foundation: string;
    priority: number;
    address: string;
    protocol: 'udp' | 'tcp';
    port: number;
    type: 'host';
    tcpType?: 'passive';
  }>;
  dtlsParameters: DtlsParameters;
  /** The hub's TURN server with this browser's own time-limited credentials (none when TURN is off). */
  iceServers: Array<{ urls: string[]; username: string; credential: string }>;
  /** 'relay' for a site whose firewall lets only TCP to the TURN port through. */
  iceTransportPolicy: 'all' | 'relay';
}

/** A load-test PlainTransport: where the worker's socket is and the key it encrypts with. */
export interface PlainTransportResponse {
  id: string;
  ip: string;
  port: number;
  srtpParameters: { cryptoSuite: string; keyBase64: string };
}

export interface ConsumeResponse {
  consumerId: string;
  producerId: string;
  peerId: string;
  kind: MediaKind;
  source: MediaSource;
  rtpParameters: RtpParameters;
  producerPaused: boolean;
}

export interface ClientToServerEvents {
  'meeting:join': (payload: z.infer<typeof joinMeetingSchema>, ack: Ack<JoinMeetingResponse>) => void;
  'meeting:setRtpCapabilities': (payload: z.infer<typeof setRtpCapabilitiesSchema>, ack: Ack<null>) => void;
  'meeting:leave': (payload: z.infer<typeof emptySchema>, ack: Ack<null>) => void;
  'transport:create': (payload: z.infer<typeof createTransportSchema>, ack: Ack<TransportOptionsResponse>) => void;
  'transport:connect': (payload: z.infer<typeof connectTransportSchema>, ack: Ack<null>) => void;
  'transport:restartIce': (
    payload: z.infer<typeof restartIceSchema>,
    ack: Ack<{ iceParameters: TransportOptionsResponse['iceParameters'] }>,
  ) => void;
  /** bench:load only: refused unless the hub runs with MEDIA_LOAD_TEST_TRANSPORTS=on. */
  'transport:createPlain': (payload: z.infer<typeof createTransportSchema>, ack: Ack<PlainTransportResponse>) => void;
  'transport:connectPlain': (payload: z.infer<typeof connectPlainTransportSchema>, ack: Ack<null>) => void;
  'producer:create': (payload: z.infer<typeof produceSchema>, ack: Ack<{ producerId: string }>) => void;
  'producer:pause': (payload: z.infer<typeof producerIdSchema>, ack: Ack<null>) => void;
  'producer:resume': (payload: z.infer<typeof producerIdSchema>, ack: Ack<null>) => void;
  'producer:close': (payload: z.infer<typeof producerIdSchema>, ack: Ack<null>) => void;
  'consumer:create': (payload: z.infer<typeof consumeSchema>, ack: Ack<ConsumeResponse>) => void;
  'consumer:resume': (payload: z.infer<typeof consumerIdSchema>, ack: Ack<null>) => void;
  /** The viewer stopped showing it (its tile left the screen): kept, sends nothing until resumed. */
  'consumer:pause': (payload: z.infer<typeof consumerIdSchema>, ack: Ack<null>) => void;
  /** The viewer no longer keeps it. */
  'consumer:close': (payload: z.infer<typeof consumerIdSchema>, ack: Ack<null>) => void;
  'consumer:setPreferredLayers': (payload: z.infer<typeof preferredLayersSchema>, ack: Ack<null>) => void;
  'hand:raise': (payload: z.infer<typeof raiseHandSchema>, ack: Ack<null>) => void;
  'rollCall:confirm': (payload: z.infer<typeof confirmRollCallSchema>, ack: Ack<null>) => void;
  'chair:muteSite': (payload: z.infer<typeof muteSiteSchema>, ack: Ack<null>) => void;
  'chair:muteAll': (payload: z.infer<typeof emptySchema>, ack: Ack<{ muted: number }>) => void;
  'chair:giveFloor': (payload: z.infer<typeof optionalSiteTargetSchema>, ack: Ack<null>) => void;
  'chair:spotlight': (payload: z.infer<typeof optionalSiteTargetSchema>, ack: Ack<null>) => void;
  'chair:removeSite': (payload: z.infer<typeof siteTargetSchema>, ack: Ack<null>) => void;
  'chair:lock': (payload: z.infer<typeof lockSchema>, ack: Ack<null>) => void;
  'chair:rollCall': (payload: z.infer<typeof rollCallControlSchema>, ack: Ack<null>) => void;
  /** The chair opens a vote (one at a time), open or secret, with the standard three choices unless it names others. */
  'chair:openVote': (payload: z.infer<typeof openVoteSchema>, ack: Ack<{ voteId: number }>) => void;
  /** The chair closes the open vote: its totals go to every page, and it never changes again. */
  'chair:closeVote': (payload: z.infer<typeof closeVoteSchema>, ack: Ack<null>) => void;
  /** This site's answer (its delegates per choice, at most its roll-call head count); answered again, it replaces the last. */
  'vote:answer': (payload: z.infer<typeof answerVoteSchema>, ack: Ack<null>) => void;
  /** The chair takes an agenda item up (null: none); every page shows it with its time used against its plan. */
  'chair:agendaItem': (payload: z.infer<typeof takeAgendaItemSchema>, ack: Ack<null>) => void;
  /** This site asks for the floor, with a topic and its delegate's name if it gives them (asked again: they change, its place stays). */
  'speech:request': (payload: z.infer<typeof requestToSpeakSchema>, ack: Ack<null>) => void;
  /** The chair's order of the waiting sites (the same sites, each once). */
  'chair:reorderRequests': (payload: z.infer<typeof reorderRequestsSchema>, ack: Ack<null>) => void;
  /** The chair declines a site's request: it leaves the queue, and its page is told. */
  'chair:declineRequest': (payload: z.infer<typeof declineRequestSchema>, ack: Ack<null>) => void;
  /** The chair calls a site to speak for `limitSeconds`: it gets the floor, and every page counts the time down. */
  'chair:callSpeaker': (payload: z.infer<typeof callSpeakerSchema>, ack: Ack<null>) => void;
  /** The chair ends the speech under way (the speaker loses the floor). */
  'chair:endSpeech': (payload: z.infer<typeof emptySchema>, ack: Ack<null>) => void;
  /** The chair hands the presentation floor to a site (its own host site: takes it), or revokes it (null). */
  'chair:presentation': (payload: z.infer<typeof optionalSiteTargetSchema>, ack: Ack<null>) => void;
  /** This site asks for the presentation floor: granted when nobody presents, else PRESENTATION_BUSY. */
  'presentation:request': (payload: z.infer<typeof emptySchema>, ack: Ack<null>) => void;
  /** This site stops presenting (its screen producer is closed by the server). */
  'presentation:release': (payload: z.infer<typeof emptySchema>, ack: Ack<null>) => void;
  /** `storage`: the recordings disk (null when the hub does not record). */
  'wall:join': (
    payload: z.infer<typeof emptySchema>,
    ack: Ack<{ routerRtpCapabilities: RtpCapabilities; cameras: CameraDto[]; storage: RecordingStorageDto | null }>,
  ) => void;
  'wall:setRtpCapabilities': (payload: z.infer<typeof wallRtpCapabilitiesSchema>, ack: Ack<null>) => void;
  'wall:createTransport': (payload: z.infer<typeof emptySchema>, ack: Ack<TransportOptionsResponse>) => void;
  'wall:connectTransport': (payload: z.infer<typeof wallConnectSchema>, ack: Ack<null>) => void;
  /** bench:load only, as `transport:createPlain`. */
  'wall:createPlainTransport': (payload: z.infer<typeof emptySchema>, ack: Ack<PlainTransportResponse>) => void;
  'wall:connectPlainTransport': (payload: z.infer<typeof wallConnectPlainSchema>, ack: Ack<null>) => void;
  /** Starts watching a stream; `consumer` is null until the camera's stream exists (then `camera:available`). */
  'wall:watch': (payload: z.infer<typeof wallWatchSchema>, ack: Ack<{ consumer: WallConsumer | null }>) => void;
  'wall:resume': (payload: z.infer<typeof wallResumeSchema>, ack: Ack<null>) => void;
  'wall:unwatch': (payload: z.infer<typeof wallWatchSchema>, ack: Ack<null>) => void;
  'camera:ptz': (payload: z.infer<typeof ptzMoveSchema>, ack: Ack<null>) => void;
  'camera:ptzStop': (payload: z.infer<typeof ptzStopSchema>, ack: Ack<null>) => void;
  'camera:gotoPreset': (payload: z.infer<typeof ptzPresetSchema>, ack: Ack<null>) => void;
}

export interface WallConsumer {
  consumerId: string;
  producerId: string;
  rtpParameters: RtpParameters;
}

export interface ServerToClientEvents {
  'peer:joined': (peer: PeerInfo) => void;
  'peer:left': (payload: { peerId: string }) => void;
  'producer:new': (payload: { peerId: string } & PeerProducerInfo) => void;
  /** Dynacast: encode this camera's simulcast layers 0…spatialLayer only (nobody receives the ones above). */
  'producer:maxSpatialLayer': (payload: { producerId: string; spatialLayer: number }) => void;
  'producer:closed': (payload: { peerId: string; producerId: string }) => void;
  'producer:paused': (payload: { peerId: string; producerId: string }) => void;
  'producer:resumed': (payload: { peerId: string; producerId: string }) => void;
  'consumer:closed': (payload: { consumerId: string }) => void;
  'activeSpeaker:changed': (payload: { peerId: string | null }) => void;
  'meeting:state': (state: MeetingState) => void;
  /** To the chair only. */
  'meeting:quality': (payload: { sites: SiteQuality[] }) => void;
  /** To the chair only: the open vote's totals as the sites answer. */
  'vote:tally': (payload: VoteTally) => void;
  /** To a site: the chair declined its request to speak. */
  'speech:declined': (payload: Record<string, never>) => void;
  /**
   * This site was removed by the chair, the meeting ended, or the site joined again on another connection
   * (`replaced`: another tab or PC of the bridge point); the server disconnects this one next.
   */
  'meeting:closed': (payload: { reason: 'removed' | 'ended' | 'replaced' }) => void;
  /** This site's media was lost with its SFU worker: join again (`meeting:join`) on the same connection. */
  'meeting:rejoin': (payload: { reason: 'mediaLost' }) => void;
  /** The hub is stopping (a restart, an update): it disconnects everyone next; reconnect and join again. */
  'hub:restarting': (payload: Record<string, never>) => void;
  /** This browser's session ended (logout, expiry, disabled account, password changed or reset, new role or site): sign in again. */
  'auth:signedOut': (payload: { reason: SessionEndReason }) => void;
  'camera:status': (camera: CameraDto) => void;
  /** The recordings disk filled up (recording paused, live goes on) or has room again. */
  'camera:storage': (storage: RecordingStorageDto) => void;
  /** A stream someone asked to watch has a new producer (a new pull): ask `wall:watch` again to consume it. */
  'camera:available': (payload: { cameraId: number; profile: StreamProfile; producerId: string }) => void;
  /**
   * The wall's router was lost with its SFU worker and runs again on another: make a new transport
   * (`wall:setRtpCapabilities`, `wall:createTransport`) on the same connection and watch again.
   */
  'wall:rejoin': (payload: { reason: 'mediaLost' }) => void;
  /**
   * Fresh TURN credentials, sent at half their life while the page is connected: give them to every
   * transport (`updateIceServers`), for its next ICE gathering. Those of an ended session simply expire.
   */
  'ice:servers': (payload: { iceServers: TransportOptionsResponse['iceServers'] }) => void;
  /**
   * What the hub gives up while the machine runs short, in this order (`shedSteps`): the walls' new streams
   * and hidden tiles, then the meeting's thumbnails' frame rate; empty again once load falls. Sent on every
   * change, and on connecting while any step holds.
   */
  'load:state': (payload: LoadState) => void;
}

/** The hub's steps when short of CPU, the first given up first: what a meeting cannot lose (audio, the large tile, joins) is never among them. */
export const shedSteps = ['walls', 'thumbnails'] as const;
export type ShedStep = (typeof shedSteps)[number];
export interface LoadState {
  steps: ShedStep[];
}

/** The schema for each client event; the server refuses any event not listed here. */
export const clientEventSchemas = {
  'meeting:join': joinMeetingSchema,
  'meeting:setRtpCapabilities': setRtpCapabilitiesSchema,
  'meeting:leave': emptySchema,
  'transport:create': createTransportSchema,
  'transport:connect': connectTransportSchema,
  'transport:restartIce': restartIceSchema,
  'transport:createPlain': createTransportSchema,
  'transport:connectPlain': connectPlainTransportSchema,
  'producer:create': produceSchema,
  'producer:pause': producerIdSchema,
  'producer:resume': producerIdSchema,
  'producer:close': producerIdSchema,
  'consumer:create': consumeSchema,
  'consumer:resume': consumerIdSchema,
  'consumer:pause': consumerIdSchema,
  'consumer:close': consumerIdSchema,
  'consumer:setPreferredLayers': preferredLayersSchema,
  'hand:raise': raiseHandSchema,
  'rollCall:confirm': confirmRollCallSchema,
  'chair:muteSite': muteSiteSchema,
  'chair:muteAll': emptySchema,
  'chair:giveFloor': optionalSiteTargetSchema,
  'chair:spotlight': optionalSiteTargetSchema,
  'chair:removeSite': siteTargetSchema,
  'chair:lock': lockSchema,
  'chair:rollCall': rollCallControlSchema,
  'chair:openVote': openVoteSchema,
  'chair:closeVote': closeVoteSchema,
  'vote:answer': answerVoteSchema,
  'chair:agendaItem': takeAgendaItemSchema,
  'speech:request': requestToSpeakSchema,
  'chair:reorderRequests': reorderRequestsSchema,
  'chair:declineRequest': declineRequestSchema,
  'chair:callSpeaker': callSpeakerSchema,
  'chair:endSpeech': emptySchema,
  'chair:presentation': optionalSiteTargetSchema,
  'presentation:request': emptySchema,
  'presentation:release': emptySchema,
  'wall:join': emptySchema,
  'wall:setRtpCapabilities': wallRtpCapabilitiesSchema,
  'wall:createTransport': emptySchema,
  'wall:connectTransport': wallConnectSchema,
  'wall:createPlainTransport': emptySchema,
  'wall:connectPlainTransport': wallConnectPlainSchema,
  'wall:watch': wallWatchSchema,
  'wall:resume': wallResumeSchema,
  'wall:unwatch': wallWatchSchema,
  'camera:ptz': ptzMoveSchema,
  'camera:ptzStop': ptzStopSchema,
  'camera:gotoPreset': ptzPresetSchema,
} as const satisfies { [E in keyof ClientToServerEvents]: z.ZodType };

export type { BridgePointDto, MeetingState, SiteQuality } from './meetings.js';
