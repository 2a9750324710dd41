/** The SIP side's types: what the endpoint listens on, a call's media as offered and answered. */

/** How many new requests a source may send at once, and how many a second after that. */
export interface SourceLimits {
  burst: number;
  perSecond: number;
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
  /** New requests per source address (default: a burst of 30, then 5 a second). */
  limits?: SourceLimits;
}

/** The SRTP of one media line, as SDES carries it (RFC 4568) and mediasoup's PlainTransport takes it. */
export interface SdesKey {
  cryptoSuite: 'AES_CM_128_HMAC_SHA1_80';
  keyBase64: string;
}

/** One of the hub's media lines in its offer: the transport's ports and its SRTP key. */
export interface LocalMediaLine {
  kind: 'audio' | 'video';
  port: number;
  rtcpPort: number;
  srtp: SdesKey;
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
  address: string;
  port: number;
  rtcpPort: number;
  codec: AnsweredCodec;
  /** The far end's SSRC (`a=ssrc`), which the SFU needs to take its stream (undefined: it sends nothing on this line). */
  ssrc: number | undefined;
  srtp: SdesKey;
  /** What the far end does on this line: `sendonly`: it receives nothing; `recvonly`: it sends nothing. */
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
}

/** Why a call ended, as the meeting's console says it. */
export type CallEnd =
  | { by: 'remote' }
  | { by: 'local' }
  | { by: 'refused'; status: number; reason: string }
  | { by: 'unreachable' }
  | { by: 'media'; message: string };

export type SipCallEvents = {
  /** The far end answered and acknowledged: the media flows. */
  established: [media: RemoteMediaLine[]];
  /** The session was refreshed (RFC 4028), by the hub or by the far end: it stays up for another interval. */
  refreshed: [];
  ended: [end: CallEnd];
};
