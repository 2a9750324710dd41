/** The SIP side's types: what the endpoint listens on, a call's media as offered and answered. */

/** How many new requests a source may send at once, and how many a second after that. */
export interface SourceLimits {
  burst: number;
  perSecond: number;
}

/** Failures a source may make (wrong passwords, wrong PINs) within `windowMs` before it is locked out. */
export interface LockoutPolicy {
  failures: number;
  windowMs: number;
  /** How long a locked-out source is refused. */
  lockMs: number;
}

export interface SipEndpointOptions {
  /** UDP and TCP (SIP_PORT). */
  port: number;
  /** Where it listens (SIP_LISTEN_IP). */
  listenIp: string;
  /** The address the far ends reach it at, put in Via, Contact and SDP (SIP_ANNOUNCED_ADDRESS). */
  announcedAddress: string;
  /** The name it gives in User-Agent and the SDP's session name. */
  userAgent: string;
  /** SIP over TLS (SIP_TLS_PORT) with the hub's certificate: the SDES keys of its calls' media go encrypted. */
  tls?: { port: number; key: Buffer; cert: Buffer };
  /** New requests per source address (default: a burst of 30, then 5 a second). */
  limits?: SourceLimits;
  /** Wrong passwords and PINs a source may give before it is refused for a while (default: 10 in 10 min, then 15 min). */
  lockout?: LockoutPolicy;
  /** The digest realm the hub's challenges name (default: the announced address). */
  realm?: string;
}

/** The SRTP of one media line, as SDES carries it (RFC 4568) and mediasoup's PlainTransport takes it. */
export interface SdesKey {
  cryptoSuite: 'AES_CM_128_HMAC_SHA1_80';
  keyBase64: string;
}

/** One of the hub's media lines in its offer or answer: the transport's ports and its SRTP key (none: plain RTP). */
export interface LocalMediaLine {
  kind: 'audio' | 'video';
  /** The content video line (`a=content:slides`, RFC 4796): the presentation, under BFCP's floor. */
  content?: boolean;
  port: number;
  rtcpPort: number;
  srtp?: SdesKey;
}

/** A codec chosen from the answer, as mediasoup's producer takes it. */
export interface AnsweredCodec {
  mimeType: string;
  payloadType: number;
  clockRate: number;
  channels?: number;
  parameters: Record<string, string | number>;
  /** The RTCP feedback the hub offered with it (NACK, PLI and FIR for video: a browser's key-frame request reaches the far end). */
  rtcpFeedback: Array<{ type: string; parameter?: string }>;
}

/** What the far end answered for one media line. */
export interface RemoteMediaLine {
  kind: 'audio' | 'video';
  /** The far end's content video line (`a=content:slides`): its laptop's picture, sent while it holds the floor. */
  content?: boolean;
  /** Its `a=label` (what BFCP's `a=floorid … mstrm:` names). */
  label?: string;
  address: string;
  port: number;
  rtcpPort: number;
  codec: AnsweredCodec;
  /** The far end's SSRC as it said it (`a=ssrc`; undefined: it did not, or it sends nothing on this line). */
  ssrc: number | undefined;
  /** Its SRTP key; none on a plain RTP line (a room system the admin allowed it). */
  srtp?: SdesKey;
  /** The tag of its `a=crypto` line with that key (an answer to its offer names it). */
  cryptoTag?: number;
  /** What the far end does on this line: `sendonly`: it receives nothing; `recvonly`: it sends nothing. */
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
  /** The payload type of its keypad's digits (RFC 4733 `telephone-event/8000`), on an audio line that carries them. */
  dtmfPayloadType?: number;
}

/** A caller's BFCP line (RFC 8856) the hub can serve: it is the floor control client and connects to the hub. */
export interface OfferedFloorControl {
  address: string;
  port: number;
}

/**
 * One media line of a far end's offer, in its order: a media line taken (the hub's choice of codec), its BFCP line
 * (taken when the hub serves the call's floor), or a line declined in the answer.
 */
export type OfferedLine =
  | { taken: true; media: RemoteMediaLine }
  | { taken: true; floorControl: OfferedFloorControl }
  | { taken: false; type: string; protocol: string; format: string; reason: string };

/** The floor control the hub's offer or answer gives a call (RFC 8856): where its BFCP server listens, the call's IDs. */
export interface HubFloorControl {
  port: number;
  conferenceId: number;
  userId: number;
  floorId: number;
}

/** Why a call ended, as the meeting's console says it. */
export type CallEnd =
  | { by: 'remote' }
  | { by: 'local' }
  | { by: 'refused'; status: number; reason: string }
  | { by: 'unreachable' }
  | { by: 'media'; message: string };

/** A call to the hub, as the dial-in sees it before answering: who, for what, with which media. */
export interface IncomingCallInfo {
  callId: string;
  /** The user part of the Request-URI (`1234567` or `1234567*4321` in `sip:1234567*4321@hub`). */
  user: string;
  /** The caller's address of record and display name (as it says: not proof of who it is). */
  fromUri: string;
  displayName: string;
  /** Where the request came from (the network's word, not the message's). */
  sourceAddress: string;
  /** The account the caller proved it is (digest authentication): a room system's; undefined for a guest. */
  account?: string;
}

export type IncomingCallEvents = {
  /** The caller acknowledged the answer: the media flows. */
  confirmed: [];
  /** The session was refreshed (RFC 4028), by the caller or by the hub: it stays up for another interval. */
  refreshed: [];
  ended: [end: CallEnd];
};

export type SipCallEvents = {
  /** The far end rings (180 or 183), once. */
  ringing: [];
  /** The far end answered and acknowledged: the media flows; `floorControl`: it took the hub's content line and BFCP. */
  established: [media: RemoteMediaLine[], floorControl: OfferedFloorControl | undefined];
  /** The session was refreshed (RFC 4028), by the hub or by the far end: it stays up for another interval. */
  refreshed: [];
  ended: [end: CallEnd];
};

/** Who may authenticate to the hub (digest), by user name: the password, or undefined for no such account. */
export type AccountLookup = (username: string) => Promise<string | undefined>;

/** Where a registered account (a room system) is reached, until when. */
export interface Registration {
  username: string;
  /** Its Contact: where the hub calls it. */
  contact: string;
  expiresAt: Date;
  /** Where its REGISTER came from (the network's word). */
  source: { protocol: string; address: string; port: number };
  userAgent?: string;
}

export type RegistrarEvents = {
  registered: [registration: Registration];
  unregistered: [username: string];
};
