import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { ConsumerAppData } from './MeetingRoomTypes.js';
import type { ProgramTapEvents, ProgramTapRoom, ProgramTapTarget, TappedVideo } from './ProgramTapTypes.js';

/** The program's peer id in consumers' appData: it is nobody's microphone, so every forwarded one is mixed. */
const programPeerId = 'program';

/**
 * A meeting's program as the SFU feeds it: plain RTP on loopback to the composer (program/), one
 * transport for the video it shows (one consumer at a time, at the top simulcast layer, which Dynacast
 * then keeps the publisher encoding) and one for the microphones (a consumer of each, let through by
 * `AudioForwarding` exactly as a site's are, so the program hears the forwarded speakers).
 */
export class ProgramTap extends EventEmitter<ProgramTapEvents> {
  readonly #room: ProgramTapRoom;
  readonly #video: types.PlainTransport;
  readonly #audio: types.PlainTransport;
  readonly #capabilities: types.RtpCapabilities;
  readonly #microphones = new Map<string, types.Consumer<ConsumerAppData>>();
  #shown: types.Consumer<ConsumerAppData> | undefined;
  #closed = false;

  private constructor(room: ProgramTapRoom, video: types.PlainTransport, audio: types.PlainTransport) {
    super();
    this.#room = room;
    this.#video = video;
    this.#audio = audio;
    // what the composer decodes, without retransmissions (it sends no NACK) or header extensions
    this.#capabilities = {
      codecs: room.router.rtpCapabilities.codecs?.filter((c) => ['audio/opus', 'video/VP8', 'video/H264'].includes(c.mimeType)),
      headerExtensions: [],
    };
    for (const transport of [video, audio]) transport.observer.on('close', () => this.close());
  }

  static async open(room: ProgramTapRoom, target: ProgramTapTarget): Promise<ProgramTap> {
    const transport = async (port: number) => {
      const plain = await room.router.createPlainTransport({ listenInfo: room.listenInfo, rtcpMux: true, comedia: false });
      await plain.connect({ ip: '127.0.0.1', port });
      return plain;
    };
    const video = await transport(target.videoPort);
    const audio = await transport(target.audioPort).catch((error: unknown) => {
      video.close();
      throw error;
    });
    return new ProgramTap(room, video, audio);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The producer whose video is sent now (undefined: none). */
  get shownProducerId(): string | undefined {
    return this.#shown?.closed ? undefined : this.#shown?.producerId;
  }

  /** The tap's consumers (Dynacast counts the shown video among its viewers). */
  *consumers(): Generator<types.Consumer<ConsumerAppData>> {
    if (this.#shown && !this.#shown.closed) yield this.#shown;
    yield* this.#microphones.values();
  }

  /** Sends `producerId`'s video (null: none) in place of the last; what the composer should expect (then ask a key frame). */
  async show(producerId: string | null): Promise<TappedVideo | null> {
    const previous = this.#shown;
    this.#shown = undefined;
    previous?.close();
    if (previous) this.#room.dynacast.update(previous.producerId);
    if (!producerId || this.#closed) return null;
    const producer = await this.#room.producerOnTapRouter(producerId);
    const top = (producer.rtpParameters.encodings?.length ?? 1) - 1;
    const consumer = await this.#video.consume<ConsumerAppData>({
      producerId,
      rtpCapabilities: this.#capabilities,
      preferredLayers: { spatialLayer: top },
      appData: { peerId: programPeerId, producerPeerId: producer.appData.peerId, source: producer.appData.source, tile: 'large' },
    });
    this.#shown = consumer;
    this.#room.dynacast.update(producerId);
    return {
      codec: consumer.rtpParameters.codecs[0]!.mimeType.toLowerCase() === 'video/vp8' ? 'vp8' : 'h264',
      ssrc: consumer.rtpParameters.encodings![0]!.ssrc!,
    };
  }

  async requestKeyFrame(): Promise<void> {
    if (this.#shown && !this.#shown.closed) await this.#shown.requestKeyFrame();
  }

  /** Consumes every microphone of the meeting not consumed yet; AudioForwarding lets through the forwarded ones. */
  async addMicrophones(): Promise<void> {
    for (const producer of this.#room.microphones()) {
      if (this.#closed || this.#microphones.has(producer.id)) continue;
      await this.#room.producerOnTapRouter(producer.id);
      const consumer = await this.#audio.consume<ConsumerAppData>({
        producerId: producer.id,
        rtpCapabilities: this.#capabilities,
        paused: true,
        appData: { peerId: programPeerId, producerPeerId: producer.appData.peerId, source: 'microphone', tile: 'large' },
      });
      this.#microphones.set(producer.id, consumer);
      consumer.observer.on('close', () => this.#microphones.delete(producer.id));
      consumer.on('producerclose', () => consumer.close());
      await this.#room.audio.consumerResumed(consumer);
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#video.close();
    this.#audio.close();
    this.emit('close');
  }
}
