import { randomInt } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { types } from 'mediasoup';
import { openRtpInTransport, type MeetingRoom } from '../../media-server/index.js';
import { sessionOffer, type CallEnd, type RemoteMediaLine, type SipCall, type SipEndpoint } from '../../sip/index.js';
import type { FeedHost, FeedSession, FeedSessions } from './FeedSessions.js';

/** A feed the hub calls over SIP (the Government's MCU), as the dialler needs it. */
export interface SipFeed {
  id: string;
  meetingId: string;
  name: string;
  /** The MCU's SIP address (`sip:mcu@10.0.0.5`), checked against SIP_ALLOWED_SUBNETS when the feed was added. */
  source: string;
}

export interface SipFeedOptions {
  /** Where the calls' media transports listen: the node's own address, which the far end reaches. */
  listenInfo: types.TransportListenInfo;
  /** After a call that did not connect or ended, the next try (an MCU busy, or not yet in its meeting). */
  redialMs: number;
}

interface Dialling {
  feed: SipFeed;
  call?: SipCall;
  session?: FeedSession;
  redial?: NodeJS.Timeout;
  stopped: boolean;
}

/** What the console says of a call's end, in the log. */
function endReason(end: CallEnd): string {
  if (end.by === 'refused') return `refused: ${end.status} ${end.reason}`;
  if (end.by === 'media') return `media not taken: ${end.message}`;
  return end.by === 'unreachable' ? 'no answer' : `hung up by the ${end.by === 'remote' ? 'far end' : 'hub'}`;
}

/**
 * SIP feeds: while its meeting is live, the hub calls the feed's MCU and keeps calling it until it answers,
 * and again after the call ends. The call's media come in on two SRTP PlainTransports of the feed's peer (SDES
 * keys in the session descriptions), and the MCU's picture and voice are the feed's camera and microphone, as
 * any feed's: forwarded as sent, H.264 or VP8 and Opus, no transcoder.
 */
export class SipFeeds {
  readonly #endpoint: SipEndpoint;
  readonly #sessions: FeedSessions;
  readonly #host: FeedHost;
  readonly #log: FastifyBaseLogger;
  readonly #options: SipFeedOptions;
  /** By feed id. */
  readonly #dialling = new Map<string, Dialling>();

  constructor(deps: { endpoint: SipEndpoint; sessions: FeedSessions; host: FeedHost; log: FastifyBaseLogger; options: SipFeedOptions }) {
    this.#endpoint = deps.endpoint;
    this.#sessions = deps.sessions;
    this.#host = deps.host;
    this.#log = deps.log;
    this.#options = deps.options;
  }

  /** Calls the feed's MCU (unless already calling or in a call with it). */
  dial(feed: SipFeed): void {
    if (this.#dialling.has(feed.id)) return;
    const dialling: Dialling = { feed, stopped: false };
    this.#dialling.set(feed.id, dialling);
    this.#attempt(dialling);
  }

  /** Hangs up (or stops calling) the feed's MCU. */
  stop(feedId: string): void {
    const dialling = this.#dialling.get(feedId);
    if (!dialling) return;
    this.#dialling.delete(feedId);
    dialling.stopped = true;
    clearTimeout(dialling.redial);
    dialling.call?.hangUp();
    if (dialling.session) this.#sessions.end(dialling.session);
  }

  close(): void {
    for (const feedId of [...this.#dialling.keys()]) this.stop(feedId);
  }

  #attempt(dialling: Dialling): void {
    this.#call(dialling).catch((err: unknown) => {
      this.#log.error({ err, ingestId: dialling.feed.id, meetingId: dialling.feed.meetingId }, 'a SIP feed could not be called');
      this.#endAttempt(dialling);
    });
  }

  async #call(dialling: Dialling): Promise<void> {
    const { feed } = dialling;
    const place = await this.#host.feedRoom(feed.meetingId);
    // the meeting is not live (any more): its start dials again
    if (!place || dialling.stopped) {
      this.stop(feed.id);
      return;
    }
    const session = await this.#sessions.open(feed, place);
    // stopped while the peer joined: stop() found no session to end
    if (dialling.stopped) {
      this.#sessions.end(session);
      return;
    }
    dialling.session = session;
    const transports = {
      audio: await openRtpInTransport(place.room, session.peerId, this.#options.listenInfo, { srtp: true }),
      video: await openRtpInTransport(place.room, session.peerId, this.#options.listenInfo, { srtp: true }),
    };
    const lines = (['audio', 'video'] as const).map((kind) => {
      const transport = transports[kind];
      // the suite the transport was made with; its key is the hub's half of the SDES exchange
      const srtp = { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80' as const, keyBase64: transport.srtpParameters!.keyBase64 };
      return { kind, port: transport.tuple.localPort, rtcpPort: transport.rtcpTuple!.localPort, srtp };
    });
    const offer = sessionOffer({
      address: transports.audio.tuple.localAddress,
      sessionId: String(randomInt(1, 2 ** 47)),
      userAgent: this.#endpoint.userAgent,
      lines,
    });
    if (dialling.stopped) return;
    const call = this.#endpoint.call(feed.source, offer, 'Hop truc tuyen');
    dialling.call = call;
    call.on('established', (media) => {
      this.#connect(dialling, place.room, session, transports, media).catch((err: unknown) => {
        this.#log.error({ err, ingestId: feed.id }, "a SIP feed's media could not be taken");
        call.hangUp();
      });
    });
    call.on('ended', (end) => {
      this.#log.info({ ingestId: feed.id, meetingId: feed.meetingId, reason: endReason(end) }, 'a SIP feed call ended');
      this.#endAttempt(dialling);
    });
  }

  /** The answer's media: the transports take the far end's keys, and what it sends becomes the feed's producers. */
  async #connect(
    dialling: Dialling,
    room: MeetingRoom,
    session: FeedSession,
    transports: Record<'audio' | 'video', types.PlainTransport>,
    media: RemoteMediaLine[],
  ): Promise<void> {
    const producers = [];
    for (const line of media) {
      const transport = transports[line.kind];
      await transport.connect({ srtpParameters: line.srtp });
      const producer = await room.produce(session.peerId, {
        transportId: transport.id,
        kind: line.kind,
        rtpParameters: {
          codecs: [line.codec],
          encodings: [{ ssrc: line.ssrc }],
        },
        source: line.kind === 'audio' ? 'microphone' : 'camera',
      });
      producers.push(producer);
    }
    if (dialling.stopped || session.ended) return;
    this.#sessions.announce(session, dialling.feed.name, producers);
    this.#log.info(
      { ingestId: dialling.feed.id, meetingId: dialling.feed.meetingId, media: media.map((m) => m.codec.mimeType) },
      'a SIP feed joined the meeting',
    );
  }

  /** The call is over (or never was): the feed's peer leaves, and the MCU is called again later while wanted. */
  #endAttempt(dialling: Dialling): void {
    if (dialling.session) this.#sessions.end(dialling.session);
    dialling.session = undefined;
    dialling.call = undefined;
    if (dialling.stopped) return;
    clearTimeout(dialling.redial);
    dialling.redial = setTimeout(() => {
      if (!dialling.stopped) this.#attempt(dialling);
    }, this.#options.redialMs);
  }
}
