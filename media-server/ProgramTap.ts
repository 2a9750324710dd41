import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { ConsumerAppData } from './MeetingRoomTypes.js';
import type { ProgramTapEvents, ProgramTapRoom, ProgramTapTarget, ShownConsumerState, TappedVideo, TapView } from './ProgramTapTypes.js';

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
  /** The video sent for each view (the program's source, and while a SIP call is shown, its speaker view's). */
  readonly #shown = new Map<TapView, types.Consumer<ConsumerAppData>>();
  #closed = false;

  private constructor(room: ProgramTapRoom, video: types.PlainTransport, audio: types.PlainTransport) {
    super();
    this.#room = room;
    this.#video = video;
    this.#audio = audio;
    // what the composer decodes, without retransmissions (it sends no NACK) or header extensions
    this.#capabilities = {
      codecs: room.router.rtpCapabilities.codecs?.filter((c) =>
        ['audio/opus', 'audio/PCMU', 'audio/PCMA', 'audio/G722', 'video/VP8', 'video/H264'].includes(c.mimeType),
      ),
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

  /** The producer whose video is sent now for a view (undefined: none). */
  shownProducerId(view: TapView = 'program'): string | undefined {
    const shown = this.#shown.get(view);
    return shown?.closed ? undefined : shown?.producerId;
  }

  /** The tap's consumers (Dynacast counts the shown videos among its viewers). */
  *consumers(): Generator<types.Consumer<ConsumerAppData>> {
    for (const shown of this.#shown.values()) if (!shown.closed) yield shown;
    yield* this.#microphones.values();
  }

  /** The SSRC a microphone reaches the composer with (undefined: not consumed, or not yet). */
  microphoneSsrc(producerId: string): number | undefined {
    return this.#microphones.get(producerId)?.rtpParameters.encodings?.[0]?.ssrc;
  }

  /**
   * Sends `producerId`'s video (null: none) for a view in place of the last, to the same port (the composer tells
   * them apart by SSRC). `expect` is told what the composer should take (then it asks a key frame) before the first
   * packet is sent: the consumer starts paused, so its first key frame cannot pass before the composer knows it.
   */
  async show(producerId: string | null, expect: (video: TappedVideo | null) => void, view: TapView = 'program'): Promise<void> {
    const previous = this.#shown.get(view);
    this.#shown.delete(view);
    previous?.close();
    if (previous) this.#room.dynacast.update(previous.producerId);
    if (!producerId || this.#closed) return expect(null);
    const producer = await this.#room.producerOnTapRouter(producerId);
    const top = (producer.rtpParameters.encodings?.length ?? 1) - 1;
    const consumer = await this.#video.consume<ConsumerAppData>({
      producerId,
      rtpCapabilities: this.#capabilities,
      preferredLayers: { spatialLayer: top },
      paused: true,
      appData: { peerId: programPeerId, producerPeerId: producer.appData.peerId, source: producer.appData.source, tile: 'large' },
    });
    this.#shown.set(view, consumer);
    expect({
      codec: consumer.rtpParameters.codecs[0]!.mimeType.toLowerCase() === 'video/vp8' ? 'vp8' : 'h264',
      ssrc: consumer.rtpParameters.encodings![0]!.ssrc!,
    });
    try {
      await consumer.resume();
    } catch (error) {
      // its producer or the tap went meanwhile (the site left, the room closed): nothing is shown, as asked for next
      if (consumer.closed || this.#closed) return;
      throw error;
    }
    this.#room.dynacast.update(producerId);
  }

  async requestKeyFrame(view: TapView = 'program'): Promise<void> {
    const shown = this.#shown.get(view);
    if (shown && !shown.closed) await shown.requestKeyFrame();
  }

  async shownState(view: TapView = 'program'): Promise<ShownConsumerState | undefined> {
    const consumer = this.#shown.get(view);
    if (!consumer || consumer.closed) return undefined;
    const producer = await this.#room.producerOnTapRouter(consumer.producerId);
    const [sent, received] = await Promise.all([consumer.getStats(), producer.getStats()]);
    return {
      producerId: consumer.producerId,
      paused: consumer.paused,
      producerPaused: consumer.producerPaused,
      currentSpatialLayer: consumer.currentLayers?.spatialLayer ?? null,
      score: consumer.score.score,
      packetsSent: sent.filter((s) => s.type === 'outbound-rtp').reduce((sum, s) => sum + s.packetCount, 0),
      producerLayers: received.map((s) => ({ rid: s.rid, score: s.score, bitrate: s.bitrate })),
    };
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
