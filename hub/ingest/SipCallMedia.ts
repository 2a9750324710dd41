import { randomInt } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { types } from 'mediasoup';
import { openRtpInTransport, type MeetingRoom } from '../../media-server/index.js';
import type { MixCodec } from '../../program/index.js';
import { RtpRelay, sessionOffer, type HubFloorControl, type LocalMediaLine, type RemoteMediaLine } from '../../sip/index.js';
import type { ProgramReceiver } from '../program/index.js';
import type { FeedSession, FeedSessions } from './FeedSessions.js';
import { KeypadRemote } from './KeypadRemote.js';

/** How long a far end that did not say its SSRC has to send its first packet of a line. */
const firstPacketMs = 10_000;

/** What a call is sent: the meeting's program (hub/program's ProgramService). */
export interface ProgramSending {
  send(meetingId: string, receiverId: string, receiver: ProgramReceiver): Promise<void>;
  stopSending(meetingId: string, receiverId: string): Promise<void>;
}

/**
 * One SIP call's media in its meeting, whichever side called: an SRTP PlainTransport per kind on the call's peer
 * (SDES keys exchanged in the session descriptions), what the far end sends as the site's camera and microphone
 * (forwarded as sent: no transcoder), and the meeting's program sent back (the shared picture, the mix without its
 * own voice), in the codec and payload type the far end took. Each kind passes through a relay (`RtpRelay`) that
 * reads the far end's SSRC from its first packet (many room systems do not say it) and, for the sound, its keys.
 * A call that took a content line (BFCP) has a third transport: what the far end shows from its laptop becomes the
 * site's `screen` while it holds the presentation floor (`presentContent`).
 */
export class SipCallMedia {
  readonly transports: Record<'audio' | 'video', types.PlainTransport>;
  readonly #relays: Record<'audio' | 'video', RtpRelay>;
  /** The content line's transport and relay, when the call took one. */
  readonly #content: { transport: types.PlainTransport; relay: RtpRelay } | undefined;
  /** The far end's content line as answered or offered (what `presentContent` produces from). */
  #contentLine: RemoteMediaLine | undefined;
  #contentProducer: types.Producer<{ source: 'camera' | 'microphone' | 'screen' }> | undefined;
  /** Another site's presentation sent on the content line, and who is told whether one is. */
  #contentSending: types.Consumer | undefined;
  #othersPresent?: (presenting: boolean) => void;
  #announce?: (producer: types.Producer<{ source: 'camera' | 'microphone' | 'screen' }>) => void;
  readonly #room: MeetingRoom;
  readonly #session: FeedSession;
  readonly #log: FastifyBaseLogger;
  /** The program's consumers on the call's transports, by kind (replaced when told another stream). */
  readonly #sending = new Map<'audio' | 'video', types.Consumer>();
  #programSending?: ProgramSending;
  #producers: Array<types.Producer<{ source: 'camera' | 'microphone' | 'screen' }>> = [];

  private constructor(
    room: MeetingRoom,
    session: FeedSession,
    transports: SipCallMedia['transports'],
    relays: Record<'audio' | 'video', RtpRelay>,
    log: FastifyBaseLogger,
    content?: { transport: types.PlainTransport; relay: RtpRelay },
  ) {
    this.#room = room;
    this.#session = session;
    this.transports = transports;
    this.#relays = relays;
    this.#log = log;
    this.#content = content;
  }

  /** The call's sound between the far end and the SFU: the keys it presses are read there. */
  get keypad(): RtpRelay {
    return this.#relays.audio;
  }

  /**
   * The call's transports on its peer, listening on `listenInfo` (the node's own address, which the far end reaches):
   * SRTP, but for the kinds in `plainRtp` (a room system the admin allowed plain RTP, which offered it). `content`: a
   * content line too (the far end offered one with BFCP).
   */
  static async open(
    room: MeetingRoom,
    session: FeedSession,
    listenInfo: types.TransportListenInfo,
    log: FastifyBaseLogger,
    plainRtp: ReadonlyArray<'audio' | 'video'> = [],
    content = false,
  ) {
    // each sends to its relay's SFU side, told in `connect`: a line the far end only receives on (a content line while
    // another site presents, a display) sends before anything came from there
    const transports = {
      audio: await openRtpInTransport(room, session.peerId, listenInfo, { srtp: !plainRtp.includes('audio'), comedia: false }),
      video: await openRtpInTransport(room, session.peerId, listenInfo, { srtp: !plainRtp.includes('video'), comedia: false }),
    };
    const relay = (transport: types.PlainTransport) =>
      RtpRelay.open({
        listenIp: listenInfo.ip,
        portRange: listenInfo.portRange,
        sfu: {
          address: listenInfo.ip === '0.0.0.0' ? '127.0.0.1' : listenInfo.ip,
          rtpPort: transport.tuple.localPort,
          rtcpPort: transport.rtcpTuple!.localPort,
        },
      });
    const audio = await relay(transports.audio);
    const video = await relay(transports.video).catch((error: unknown) => {
      audio.close();
      throw error;
    });
    if (!content) return new SipCallMedia(room, session, transports, { audio, video }, log);
    const contentTransport = await openRtpInTransport(room, session.peerId, listenInfo, {
      srtp: !plainRtp.includes('video'),
      comedia: false,
    });
    const contentRelay = await relay(contentTransport).catch((error: unknown) => {
      audio.close();
      video.close();
      throw error;
    });
    return new SipCallMedia(room, session, transports, { audio, video }, log, { transport: contentTransport, relay: contentRelay });
  }

  /** The hub's half of the session description: per line, its ports and SRTP key. */
  get localLines(): LocalMediaLine[] {
    const line = (kind: 'audio' | 'video', transport: types.PlainTransport, relay: RtpRelay, content = false): LocalMediaLine => {
      // the suite the transport was made with; its key is the hub's half of the SDES exchange (none: plain RTP)
      const srtp = transport.srtpParameters && {
        cryptoSuite: 'AES_CM_128_HMAC_SHA1_80' as const,
        keyBase64: transport.srtpParameters.keyBase64,
      };
      // the far end's media come in through the relays
      return { kind, ...(content ? { content } : {}), port: relay.rtpPort, rtcpPort: relay.rtcpPort, ...(srtp ? { srtp } : {}) };
    };
    const lines = (['audio', 'video'] as const).map((kind) => line(kind, this.transports[kind], this.#relays[kind]));
    return this.#content ? [...lines, line('video', this.#content.transport, this.#content.relay, true)] : lines;
  }

  get address(): string {
    return this.transports.audio.tuple.localAddress;
  }

  /**
   * The hub's offer for a call it places (to an MCU, a room system): its lines' ports and SRTP keys, in the payload
   * types the meeting's router sends the program in.
   */
  offer(userAgent: string, floorControl?: HubFloorControl): string {
    return sessionOffer({
      floorControl,
      address: this.address,
      sessionId: String(randomInt(1, 2 ** 47)),
      userAgent,
      lines: this.localLines,
      payloadTypes: routerPayloadTypes(this.#room.routerRtpCapabilities),
    });
  }

  /**
   * The call's media are gone from under it (its peer left the room: its worker died, or the meeting closed): the
   * call is to be hung up, since nothing would flow any more.
   */
  onLost(listener: () => void): void {
    this.transports.audio.observer.once('close', listener);
  }

  /**
   * The far end's lines: each transport sends to its relay (and, over SRTP, decrypts what the far end sends and
   * encrypts what it is sent with the keys exchanged); each relay to the far end.
   */
  async connect(media: RemoteMediaLine[]): Promise<void> {
    for (const line of media) {
      const { transport, relay } = line.content
        ? (this.#content ?? { transport: undefined, relay: undefined })
        : { transport: this.transports[line.kind], relay: this.#relays[line.kind] };
      if (!transport || !relay) continue;
      const sfuFacing = relay.sfuFacing;
      await transport.connect({
        ip: sfuFacing.address,
        port: sfuFacing.rtpPort,
        rtcpPort: sfuFacing.rtcpPort,
        ...(line.srtp ? { srtpParameters: line.srtp } : {}),
      });
      // the keys are read from the sound only
      relay.connect(line.kind === 'audio' ? line : { ...line, dtmfPayloadType: undefined });
    }
  }

  /**
   * What the far end sends becomes the site's camera and microphone (paused if the chair had muted the site), the
   * sites are told of it, it is sent the program (once per call: `program` stops with `stop`), and its keypad is its
   * remote (`KeypadRemote`): its hand raised and lowered here (`changed` tells the meeting's pages), a head count
   * given to `headCount` (a bridge point's room system answering the roll call).
   */
  async join(
    media: RemoteMediaLine[],
    deps: {
      sessions: FeedSessions;
      name: string;
      code: string;
      program: ProgramSending;
      changed: () => void;
      headCount?: (count: number) => void;
    },
  ): Promise<void> {
    const { sessions, name, code, program } = deps;
    const session = this.#session;
    this.#contentLine = media.find((line) => line.content);
    this.#announce = (producer) => sessions.announceProducer(session, producer);
    for (const line of media) {
      if (line.content) continue; // its content is produced while it holds the floor
      if (line.direction === 'recvonly' || line.direction === 'inactive') continue; // it sends nothing on this line
      // the SSRC it said, else the one its first packet carries
      const ssrc = line.ssrc ?? (await this.#relays[line.kind].firstSsrc(firstPacketMs));
      if (session.ended) return;
      if (ssrc === undefined) {
        this.#log.warn(
          { meetingId: session.meetingId, kind: line.kind },
          'a SIP call said it sends and sent nothing: not a source of the meeting',
        );
        continue;
      }
      // its keys (RFC 4733) are read on the way in (the sound's relay): the SFU forwards no telephone events
      const codecs = [line.codec];
      this.#producers.push(
        await this.#room.produce(session.peerId, {
          transportId: this.transports[line.kind].id,
          kind: line.kind,
          rtpParameters: { codecs, encodings: [{ ssrc }] },
          source: line.kind === 'audio' ? 'microphone' : 'camera',
        }),
      );
    }
    if (session.ended) return;
    // the chair muted this site before (an MCU called again): it stays muted
    if (session.live.mutedByChair.has(code))
      for (const producer of this.#producers) if (producer.kind === 'audio') await this.#room.pauseProducer(session.peerId, producer.id);
    sessions.announce(session, name, this.#producers);
    const remote = new KeypadRemote();
    this.keypad.on('key', (key) => {
      const command = remote.push(key);
      if (!command || session.ended) return;
      if (command.kind === 'headCount') {
        deps.headCount?.(command.count);
        return;
      }
      session.live.raiseHand(code, command.raised);
      deps.changed();
    });
    const microphone = this.#producers.find((p) => p.kind === 'audio');
    // one change at a time, in the order told: the latest stream is the one sent
    let changes = Promise.resolve();
    this.#programSending = program;
    const contentLine = this.#contentLine;
    await program.send(session.meetingId, session.peerId, {
      microphoneProducerId: () => microphone?.id,
      audioCodec: mixCodecOf(media.find((m) => m.kind === 'audio')?.codec.mimeType),
      ...(contentLine && {
        sendContent: (producerId: string | null) => {
          this.#othersPresent?.(producerId !== null);
          changes = changes
            .then(() => this.#sendContent(contentLine, producerId))
            .catch((err: unknown) =>
              this.#log.error({ err, meetingId: session.meetingId }, "a SIP call could not be sent the meeting's presentation"),
            );
        },
      }),
      send: (kind, producerId) => {
        const line = media.find((m) => m.kind === kind && !m.content);
        if (!line) return;
        changes = changes
          .then(() => this.#sendProgram(line, producerId))
          .catch((err: unknown) =>
            this.#log.error({ err, meetingId: session.meetingId, kind }, "a SIP call could not be sent the meeting's program"),
          );
      },
    });
  }

  /** The call is over: the program is no longer sent to it, and its sound's relay closes (its transports close as its peer leaves). */
  stop(): void {
    this.#relays.audio.close();
    this.#relays.video.close();
    this.#content?.relay.close();
    this.#contentSending?.close();
    const program = this.#programSending;
    this.#programSending = undefined;
    if (!program) return;
    program
      .stopSending(this.#session.meetingId, this.#session.peerId)
      .catch((err: unknown) =>
        this.#log.error({ err, meetingId: this.#session.meetingId }, "the program's sending to a SIP call did not stop"),
      );
  }

  /**
   * The far end holds the presentation floor: what it sends on its content line becomes the site's `screen` (from its
   * first packet: a room system starts its content once granted), and the sites are told. `lost`: the screen stopped
   * being forwarded without `stopContent` (the chair gave the floor to another site, the call's peer left).
   */
  async presentContent(lost: () => void): Promise<void> {
    const line = this.#contentLine;
    const content = this.#content;
    if (!line || !content || this.#contentProducer || this.#session.ended) return;
    const ssrc = line.ssrc ?? (await content.relay.firstSsrc(firstPacketMs));
    if (ssrc === undefined) {
      this.#log.warn({ meetingId: this.#session.meetingId }, 'a SIP call was given the floor and sent no content');
      lost();
      return;
    }
    if (this.#session.ended || this.#contentProducer) return;
    const producer = await this.#room.produce(this.#session.peerId, {
      transportId: content.transport.id,
      kind: 'video',
      rtpParameters: { codecs: [line.codec], encodings: [{ ssrc }] },
      source: 'screen',
    });
    this.#contentProducer = producer;
    producer.observer.once('close', () => {
      if (this.#contentProducer !== producer) return;
      this.#contentProducer = undefined;
      lost();
    });
    this.#announce?.(producer);
  }

  /** Whether another site presents (its screen sent on the content line), told as it changes: BFCP's floor status. */
  onOthersPresenting(listener: (presenting: boolean) => void): void {
    this.#othersPresent = listener;
  }

  /**
   * Another site's presentation on the content line, as it is (the browsers present in H.264 Constrained Baseline where
   * they can: what room systems take); one in a codec the far end did not take is not sent (no transcoder yet), nor
   * to a content line that numbers H.264 otherwise than the call's main video line (room systems number both alike).
   */
  async #sendContent(line: RemoteMediaLine, producerId: string | null): Promise<void> {
    this.#contentSending?.close();
    this.#contentSending = undefined;
    const content = this.#content;
    if (!content || producerId === null || line.direction === 'sendonly' || this.#session.ended) return;
    const capabilities = programCapabilities(line);
    if (!capabilities) return;
    let consumer: types.Consumer;
    try {
      consumer = await this.#room.consumeContent(this.#session.peerId, content.transport.id, producerId, capabilities);
    } catch (error) {
      this.#log.warn(
        { meetingId: this.#session.meetingId, reason: error instanceof Error ? error.message : String(error) },
        "the meeting's presentation is in a codec the SIP call's content line did not take: not sent",
      );
      return;
    }
    if (this.#session.ended) return consumer.close();
    // sent in the call's router's payload type, its main video line's: a content line numbered otherwise would drop it
    if (consumer.rtpParameters.codecs[0]?.payloadType !== line.codec.payloadType) {
      consumer.close();
      this.#log.warn(
        { meetingId: this.#session.meetingId, answered: line.codec.payloadType },
        "the SIP call's content line numbers its codec otherwise than its main video: it is sent no presentation",
      );
      return;
    }
    this.#contentSending = consumer;
  }

  /** The far end gave the floor back: its content is no longer forwarded. */
  stopContent(): void {
    const producer = this.#contentProducer;
    this.#contentProducer = undefined;
    producer?.close();
  }

  /** The call's transport for a line sends one of the program's streams, in the codec and payload type the far end took. */
  async #sendProgram(line: RemoteMediaLine, producerId: string): Promise<void> {
    const session = this.#session;
    this.#sending.get(line.kind)?.close();
    this.#sending.delete(line.kind);
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
    const consumer = await this.#room.consumeProgram(session.peerId, this.transports[line.kind].id, producerId, capabilities);
    // the SFU sends in its router's payload type: a far end that answered another would drop it all
    if (consumer.rtpParameters.codecs[0]?.payloadType !== line.codec.payloadType) {
      consumer.close();
      this.#log.warn(
        { meetingId: session.meetingId, kind: line.kind, answered: line.codec.payloadType },
        'the far end answered another payload type than offered: it is sent no program on this line',
      );
      return;
    }
    this.#sending.set(line.kind, consumer);
  }
}

/**
 * How the far end takes the program on this line: the program's picture is H.264 Constrained Baseline (a far end
 * that took VP8 only is sent no picture), its mix Opus, G.722 or G.711; each in the payload type the far end took.
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
  if (codec.mimeType === 'audio/PCMU' || codec.mimeType === 'audio/PCMA' || codec.mimeType === 'audio/G722')
    return {
      codecs: [{ kind: 'audio', mimeType: codec.mimeType, preferredPayloadType: codec.payloadType, clockRate: 8000, rtcpFeedback: [] }],
      headerExtensions: [],
    };
  return undefined;
}

/** The mix a call is sent, in the audio codec its far end took (Opus unless it chose G.722 or G.711). */
export function mixCodecOf(mimeType: string | undefined): MixCodec {
  const telephony: Partial<Record<string, MixCodec>> = { 'audio/G722': 'g722', 'audio/PCMU': 'pcmu', 'audio/PCMA': 'pcma' };
  return telephony[mimeType ?? ''] ?? 'opus';
}

/**
 * A router of the call's own, numbered as the far end numbers its codecs: mediasoup sends in its router's payload
 * types, and a caller must be sent in those of its offer (RFC 3264). Undefined when two lines give one number to
 * two codecs (the call then shares the meeting's router, and a line numbered otherwise is sent nothing).
 */
export function callRouterCodecs(media: RemoteMediaLine[]): types.RouterRtpCodecCapability[] | undefined {
  const codecs: types.RouterRtpCodecCapability[] = [];
  for (const line of media) {
    const { codec } = line;
    codecs.push({
      kind: line.kind,
      mimeType: codec.mimeType,
      clockRate: codec.clockRate,
      ...(codec.channels ? { channels: codec.channels } : {}),
      parameters: codec.parameters,
      preferredPayloadType: codec.payloadType,
      rtcpFeedback: codec.rtcpFeedback,
    });
  }
  const numbers = codecs.map((c) => c.preferredPayloadType);
  return new Set(numbers).size === numbers.length ? codecs : undefined;
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
    'audio/G722': find('audio/G722'),
    'audio/PCMU': find('audio/PCMU'),
    'audio/PCMA': find('audio/PCMA'),
    'video/VP8': find('video/VP8'),
    'video/H264': find('video/H264', '42e01f'),
  };
}
