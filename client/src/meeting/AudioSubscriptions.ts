import type { types } from 'mediasoup-client';
import { consumeProducer } from './consumeProducer.js';
import type { SignallingChannel } from './SignallingChannel.js';

export interface AudioSubscriptionsDeps {
  channel: SignallingChannel;
  transport: () => types.Transport | undefined;
  /** A site's audio track to play, or undefined when it has none. */
  onTrack: (peerId: string, track: MediaStreamTrack | undefined) => void;
}

/**
 * The microphones a page receives: one consumer per unmuted remote microphone, none for a muted one
 * (a large meeting muted by the chair holds no audio consumers). The SFU forwards each page only the
 * loudest few of them.
 */
export class AudioSubscriptions {
  readonly #deps: AudioSubscriptionsDeps;
  /** By producer. */
  readonly #consumers = new Map<string, types.Consumer>();
  readonly #pending = new Set<string>();
  /** Each remote site's microphone producer, and whether it is muted. */
  readonly #microphones = new Map<string, { peerId: string; muted: boolean }>();

  constructor(deps: AudioSubscriptionsDeps) {
    this.#deps = deps;
  }

  isMicrophone(producerId: string): boolean {
    return this.#microphones.has(producerId);
  }

  /** A site's microphone, announced at join or later, muted or not. */
  async microphone(peerId: string, producerId: string, muted: boolean): Promise<void> {
    this.#microphones.set(producerId, { peerId, muted });
    if (muted) await this.#drop(producerId);
    else await this.#consume(peerId, producerId);
  }

  /** The SFU closed this consumer (its producer went away). */
  consumerClosed(consumerId: string): void {
    for (const [producerId, consumer] of this.#consumers)
      if (consumer.id === consumerId) {
        consumer.close();
        this.#consumers.delete(producerId);
        this.#microphones.delete(producerId);
        this.#deps.onTrack(consumer.appData.peerId as string, undefined);
      }
  }

  peerLeft(peerId: string): void {
    for (const [producerId, consumer] of this.#consumers)
      if (consumer.appData.peerId === peerId) {
        consumer.close();
        this.#consumers.delete(producerId);
      }
    for (const [producerId, mic] of this.#microphones) if (mic.peerId === peerId) this.#microphones.delete(producerId);
  }

  /** The transports are gone (a rejoin starts over). */
  reset(): void {
    this.#consumers.clear();
    this.#microphones.clear();
  }

  async #consume(peerId: string, producerId: string): Promise<void> {
    const transport = this.#deps.transport();
    // one consumer per microphone, even when it is announced twice while joining
    if (!transport || this.#consumers.has(producerId) || this.#pending.has(producerId)) return;
    this.#pending.add(producerId);
    try {
      const { consumer } = await consumeProducer(this.#deps.channel, transport, peerId, producerId);
      this.#consumers.set(producerId, consumer);
      this.#deps.onTrack(peerId, consumer.track);
    } finally {
      this.#pending.delete(producerId);
    }
    // muted (or gone) while the consumer was being made: not kept
    if (this.#microphones.get(producerId)?.muted !== false) await this.#drop(producerId);
    else await this.#deps.channel.request('consumer:resume', { consumerId: this.#consumers.get(producerId)!.id });
  }

  async #drop(producerId: string): Promise<void> {
    const consumer = this.#consumers.get(producerId);
    if (!consumer) return;
    this.#consumers.delete(producerId);
    consumer.close();
    this.#deps.onTrack(consumer.appData.peerId as string, undefined);
    await this.#deps.channel.request('consumer:close', { consumerId: consumer.id });
  }
}
