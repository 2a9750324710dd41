import { randomInt } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { types } from 'mediasoup';
import { openRtpInTransport, type MeetingRoom } from '../../media-server/index.js';
import { sessionOffer, type CallEnd, type RemoteMediaLine, type SipCall, type SipEndpoint } from '../../sip/index.js';
import type { MixCodec } from '../../program/index.js';
import type { ProgramReceiver } from '../program/index.js';
import type { FeedHost, FeedSession, FeedSessions } from './FeedSessions.js';

/** What a call is sent: the meeting's program (hub/program's ProgramService). */
export interface ProgramSending {
  send(meetingId: string, receiverId: string, receiver: ProgramReceiver): Promise<void>;
  stopSending(meetingId: string, receiverId: string): Promise<void>;
}

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
  /** The program is sent to the call: its consumers on the call's transports, by kind (replaced when told another stream). */
  sending?: Map<'audio' | 'video', types.Consumer>;
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
  readonly #program: ProgramSending;
  readonly #sessions: FeedSessions;
  readonly #host: FeedHost;
  readonly #log: FastifyBaseLogger;
  readonly #options: SipFeedOptions;
  /** By feed id. */
  readonly #dialling = new Map<string, Dialling>();

  constructor(deps: {
    endpoint: SipEndpoint;
    program: ProgramSending;
    sessions: FeedSessions;
    host: FeedHost;
    log: FastifyBaseLogger;
    options: SipFeedOptions;
  }) {
    this.#endpoint = deps.endpoint;
    this.#program = deps.program;
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
      // the SFU sends the program in its router's payload types: the far end is offered those
      payloadTypes: routerPayloadTypes(place.room.routerRtpCapabilities),
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

  /**
   * The answer's media: the transports take the far end's keys; what it sends becomes the feed's producers, and
   * it is sent the meeting's program (the shared picture, and the mix without its own voice).
   */
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
      if (line.ssrc === undefined) continue; // it only receives on this line
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
    const microphone = producers.find((p) => p.kind === 'audio');
    const sending: NonNullable<Dialling['sending']> = new Map();
    dialling.sending = sending;
    // one change at a time, in the order told: the latest stream is the one sent
    let changes = Promise.resolve();
    const audioCodec = mixCodecOf(media.find((m) => m.kind === 'audio')?.codec.mimeType);
    await this.#program.send(dialling.feed.meetingId, session.peerId, {
      microphoneProducerId: () => microphone?.id,
      audioCodec,
      send: (kind, producerId) => {
        const line = media.find((m) => m.kind === kind);
        if (!line) return;
        changes = changes
          .then(() => this.#sendProgram(sending, room, session, transports[kind], line, producerId))
          .catch((err: unknown) =>
            this.#log.error({ err, ingestId: dialling.feed.id, kind }, "a SIP feed could not be sent the meeting's program"),
          );
      },
    });
  }

  /** The call's transport for a line sends one of the program's streams, in the codec and payload type the far end answered. */
  async #sendProgram(
    sending: NonNullable<Dialling['sending']>,
    room: MeetingRoom,
    session: FeedSession,
    transport: types.PlainTransport,
    line: RemoteMediaLine,
    producerId: string,
  ): Promise<void> {
    sending.get(line.kind)?.close();
    sending.delete(line.kind);
    // it receives nothing on this line, or the call is over
    if (line.direction === 'sendonly' || session.ended) return;
    const capabilities = programCapabilities(line);
    if (!capabilities) {
      this.#log.warn(
        { meetingId: session.meetingId, codec: line.codec.mimeType },
        "the far end's codec cannot carry the meeting's program",
      );
      return;
    }
    const consumer = await room.consumeProgram(session.peerId, transport.id, producerId, capabilities);
    // the SFU sends in its router's payload type, which the hub offered: a far end that answered another would drop it all
    if (consumer.rtpParameters.codecs[0]?.payloadType !== line.codec.payloadType) {
      consumer.close();
      this.#log.warn(
        { meetingId: session.meetingId, kind: line.kind, answered: line.codec.payloadType },
        'the far end answered another payload type than offered: it is sent no program on this line',
      );
      return;
    }
    sending.set(line.kind, consumer);
  }

  /** The call is over (or never was): the feed's peer leaves, and the MCU is called again later while wanted. */
  #endAttempt(dialling: Dialling): void {
    if (dialling.session && dialling.sending) {
      const { peerId } = dialling.session;
      this.#program
        .stopSending(dialling.feed.meetingId, peerId)
        .catch((err: unknown) => this.#log.error({ err, ingestId: dialling.feed.id }, "the program's sending to a SIP feed did not stop"));
    }
    dialling.sending = undefined;
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

/**
 * How the far end takes the program on this line: the program's picture is H.264 Constrained Baseline (an MCU
 * that answered VP8 only is sent no picture), its mix Opus or G.711; each in the payload type the far end answered.
 */
function programCapabilities(line: RemoteMediaLine): types.RtpCapabilities | undefined {
  const { codec } = line;
  if (codec.mimeType === 'video/H264')
    return {
      codecs: [
        {
          kind: 'video',
          mimeType: 'video/H264',
          preferredPayloadType: codec.payloadType,
          clockRate: 90000,
          parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
          rtcpFeedback: codec.rtcpFeedback,
        },
      ],
      headerExtensions: [],
    };
  if (codec.mimeType === 'audio/opus')
    return {
      codecs: [
        { kind: 'audio', mimeType: 'audio/opus', preferredPayloadType: codec.payloadType, clockRate: 48000, channels: 2, rtcpFeedback: [] },
      ],
      headerExtensions: [],
    };
  if (codec.mimeType === 'audio/PCMU' || codec.mimeType === 'audio/PCMA')
    return {
      codecs: [{ kind: 'audio', mimeType: codec.mimeType, preferredPayloadType: codec.payloadType, clockRate: 8000, rtcpFeedback: [] }],
      headerExtensions: [],
    };
  return undefined;
}

/** The mix a call is sent, in the audio codec its far end answered (Opus unless it chose G.711). */
function mixCodecOf(mimeType: string | undefined): MixCodec {
  return mimeType === 'audio/PCMU' ? 'pcmu' : mimeType === 'audio/PCMA' ? 'pcma' : 'opus';
}

/** The payload types the meeting's router sends the offered codecs in (H.264: its Constrained Baseline). */
function routerPayloadTypes(capabilities: types.RtpCapabilities): Record<string, number | undefined> {
  const find = (mimeType: string, profileLevelId?: string) =>
    capabilities.codecs?.find(
      (c) =>
        c.mimeType.toLowerCase() === mimeType.toLowerCase() && (!profileLevelId || c.parameters?.['profile-level-id'] === profileLevelId),
    )?.preferredPayloadType;
  return {
    'audio/opus': find('audio/opus'),
    'audio/PCMU': find('audio/PCMU'),
    'audio/PCMA': find('audio/PCMA'),
    'video/VP8': find('video/VP8'),
    'video/H264': find('video/H264', '42e01f'),
  };
}
