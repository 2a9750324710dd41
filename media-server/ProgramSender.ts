import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { mixCodecs, openLoopbackTransport, randomSsrc, type MixCodecName } from './loopbackStreams.js';
import type { ProducerAppData } from './MeetingRoomTypes.js';
import type { ProgramSenderEvents, ProgramSenderRoom, ProgramStream } from './ProgramSenderTypes.js';

/** The program is nobody's camera or microphone: its producers belong to no peer and are announced to no page. */
const programPeerId = 'program';
const videoPayloadType = 102;
const keyFrameFeedback = [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }];

interface Sent {
  transport: types.PlainTransport;
  stream: ProgramStream;
}

/**
 * The program back into the meeting's router, for the SIP calls (ProgramTap's other direction): the
 * composer's shared H.264 picture as one producer, while a call is shown its speaker view as another, and
 * each call's mix-minus as a producer of its own, each arriving as plain RTP on loopback (comedia). A call's
 * PLI or FIR reaches a picture's producer, which says so (`keyFrameRequested`) for the composer to make one.
 */
export class ProgramSender extends EventEmitter<ProgramSenderEvents> {
  readonly #room: ProgramSenderRoom;
  readonly #video: Sent;
  #speakerView: Promise<Sent> | undefined;
  readonly #voices = new Map<string, Sent>();
  #closed = false;

  private constructor(room: ProgramSenderRoom, video: Sent) {
    super();
    this.#room = room;
    this.#video = video;
    video.transport.observer.on('close', () => this.close());
  }

  static async open(room: ProgramSenderRoom): Promise<ProgramSender> {
    // the producer's requests are told by the sender, which exists once the producer does
    const told: { sender?: ProgramSender } = {};
    const video = await videoStream(room, () => told.sender?.emit('keyFrameRequested', 'program'));
    told.sender = new ProgramSender(room, video);
    return told.sender;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The shared picture. */
  get video(): ProgramStream {
    return this.#video.stream;
  }

  /** The speaker view's picture (made once; the same stream until `closeSpeakerView`). */
  async speakerView(): Promise<ProgramStream> {
    this.#speakerView ??= videoStream(this.#room, () => this.emit('keyFrameRequested', 'speakerView'));
    const sent = await this.#speakerView;
    if (this.#closed) {
      sent.transport.close();
      throw new Error('the program sender closed');
    }
    return sent.stream;
  }

  closeSpeakerView(): void {
    const speakerView = this.#speakerView;
    this.#speakerView = undefined;
    speakerView?.then((sent) => sent.transport.close()).catch(() => undefined); // never made: nothing to close
  }

  /** A receiver's own mix, in the codec it takes (made once; the same stream until `dropMix`). */
  async mixFor(receiverId: string, codec: MixCodecName = 'opus'): Promise<ProgramStream> {
    const existing = this.#voices.get(receiverId);
    if (existing) return existing.stream;
    const transport = await loopbackTransport(this.#room);
    const producer = await transport
      .produce<ProducerAppData>({
        kind: 'audio',
        rtpParameters: {
          codecs: [{ ...mixCodecs[codec], rtcpFeedback: [] }],
          encodings: [{ ssrc: randomSsrc() }],
        },
        appData: { peerId: programPeerId, source: 'microphone' },
      })
      .catch((error: unknown) => {
        transport.close();
        throw error;
      });
    held(this.#room, producer);
    // asked twice meanwhile: the first one stands
    const raced = this.#voices.get(receiverId);
    if (raced || this.#closed) {
      transport.close();
      if (raced) return raced.stream;
      throw new Error('the program sender closed');
    }
    const voice = { transport, stream: streamOf(transport, producer) };
    this.#voices.set(receiverId, voice);
    return voice.stream;
  }

  dropMix(receiverId: string): void {
    this.#voices.get(receiverId)?.transport.close();
    this.#voices.delete(receiverId);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#video.transport.close();
    this.closeSpeakerView();
    for (const voice of this.#voices.values()) voice.transport.close();
    this.#voices.clear();
    this.emit('close');
  }
}

/** A picture's producer: H.264 Constrained Baseline, what every room system decodes; its key-frame requests told. */
async function videoStream(room: ProgramSenderRoom, keyFrameRequested: () => void): Promise<Sent> {
  const transport = await loopbackTransport(room);
  try {
    const producer = await transport.produce<ProducerAppData>({
      kind: 'video',
      rtpParameters: {
        codecs: [
          {
            mimeType: 'video/H264',
            payloadType: videoPayloadType,
            clockRate: 90000,
            parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
            rtcpFeedback: keyFrameFeedback,
          },
        ],
        encodings: [{ ssrc: randomSsrc() }],
      },
      appData: { peerId: programPeerId, source: 'camera' },
    });
    held(room, producer);
    await producer.enableTraceEvent(['pli', 'fir']);
    producer.on('trace', (trace) => {
      if ((trace.type === 'pli' || trace.type === 'fir') && trace.direction === 'out') keyFrameRequested();
    });
    return { transport, stream: streamOf(transport, producer) };
  } catch (error) {
    transport.close();
    throw error;
  }
}

/** The room knows the producer as the program's while it lives. */
function held(room: ProgramSenderRoom, producer: types.Producer): void {
  room.held.add(producer.id);
  producer.observer.on('close', () => room.producerClosed(producer.id));
}

function loopbackTransport(room: ProgramSenderRoom): Promise<types.PlainTransport> {
  return openLoopbackTransport(room.router, room.listenInfo);
}

function streamOf(transport: types.PlainTransport, producer: types.Producer): ProgramStream {
  const encoding = producer.rtpParameters.encodings![0]!;
  return {
    port: transport.tuple.localPort,
    ssrc: encoding.ssrc!,
    payloadType: producer.rtpParameters.codecs[0]!.payloadType,
    producerId: producer.id,
  };
}
