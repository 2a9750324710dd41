import type { types } from 'mediasoup';
import type { AudioForwardingOptions } from './AudioForwardingTypes.js';
import type { ConsumerAppData, ProducerAppData } from './MeetingRoomTypes.js';

/**
 * Which microphones the SFU forwards. A muted microphone is never forwarded (its producer is paused).
 * The unmuted ones are ranked by when they were last heard (an AudioLevelObserver on the meeting's home
 * router); each viewer gets the first `maxForwarded` of that ranking other than its own, and every other
 * audio consumer is paused in the SFU, so a large meeting sends each page at most that many audio streams
 * (as Jitsi forwards only the last speakers). A site keeps its rank while it goes on speaking; a new
 * speaker passes one silent for longer than `holdMs`.
 */
export class AudioForwarding {
  readonly #options: Required<AudioForwardingOptions>;
  readonly #microphones = new Map<string, types.Producer<ProducerAppData>>();
  readonly #lastHeard = new Map<string, number>();
  /** Audio consumers their viewers have resumed: each flows only while its producer is forwarded. */
  readonly #consumers = new Map<string, types.Consumer<ConsumerAppData>>();
  /** The unmuted microphones in forwarding order, as many as any viewer can be given (one more than the most forwarded). */
  #ranked: string[] = [];
  #observer?: types.AudioLevelObserver;
  #applying: Promise<void> = Promise.resolve();
  readonly #onError: (error: Error) => void;

  constructor(options: AudioForwardingOptions, onError: (error: Error) => void) {
    this.#options = { holdMs: 1500, intervalMs: 300, thresholdDb: -60, ...options };
    this.#onError = onError;
  }

  /** The microphones this viewer is sent now: the first of the ranking, its own left out. */
  forwardedTo(viewerPeerId: string): string[] {
    return this.#ranked.filter((id) => this.#microphones.get(id)?.appData.peerId !== viewerPeerId).slice(0, this.#options.maxForwarded);
  }

  /** Whether the microphone was heard (above the threshold, among the loudest) within the last `ms`. */
  heardWithin(producerId: string, ms: number): boolean {
    return Date.now() - (this.#lastHeard.get(producerId) ?? -Infinity) <= ms;
  }

  /** Listens for levels on this router (the meeting's home router). */
  async observeOn(router: types.Router): Promise<void> {
    const observer = await router.createAudioLevelObserver({
      maxEntries: this.#options.maxForwarded,
      threshold: this.#options.thresholdDb,
      interval: this.#options.intervalMs,
    });
    observer.on('volumes', (volumes) => {
      const now = Date.now();
      for (const { producer } of volumes) this.#lastHeard.set(producer.id, now);
      this.#update();
    });
    this.#observer = observer;
  }

  /** A microphone (already present on the observed router, piped there if it lives elsewhere). */
  async addMicrophone(producer: types.Producer<ProducerAppData>): Promise<void> {
    this.#microphones.set(producer.id, producer);
    producer.observer.on('pause', () => this.#update());
    producer.observer.on('resume', () => this.#update());
    producer.observer.on('close', () => {
      this.#microphones.delete(producer.id);
      this.#lastHeard.delete(producer.id);
      this.#update();
    });
    await this.#observer?.addProducer({ producerId: producer.id });
    this.#update();
  }

  /** A viewer resumed an audio consumer: it flows if its microphone is forwarded, else waits paused. */
  async consumerResumed(consumer: types.Consumer<ConsumerAppData>): Promise<void> {
    if (!this.#consumers.has(consumer.id)) {
      this.#consumers.set(consumer.id, consumer);
      consumer.observer.on('close', () => this.#consumers.delete(consumer.id));
    }
    if (this.#flows(consumer)) await consumer.resume();
  }

  /** The viewer paused it: it stays paused whatever its microphone does. */
  consumerPaused(consumerId: string): void {
    this.#consumers.delete(consumerId);
  }

  #update(): void {
    const next = this.#rank();
    if (next.length === this.#ranked.length && next.every((id, i) => id === this.#ranked[i])) return;
    this.#ranked = next;
    // applied in order, so a quick change back cannot overtake the change before it
    this.#applying = this.#applying.then(() => this.#apply()).catch((error: unknown) => this.#onError(asError(error)));
  }

  #rank(): string[] {
    const unmuted = [...this.#microphones.values()].filter((p) => !p.paused && !p.closed).map((p) => p.id);
    const { maxForwarded, holdMs } = this.#options;
    const now = Date.now();
    const heard = (id: string) => this.#lastHeard.get(id) ?? 0;
    const speaking = (id: string) => now - heard(id) <= holdMs;
    const place = (id: string) => {
      const i = this.#ranked.indexOf(id);
      return i < 0 ? Infinity : i;
    };
    return unmuted
      .sort(
        (a, b) =>
          Number(speaking(b)) - Number(speaking(a)) ||
          // among those speaking (or those silent), the ones ranked before keep their places
          place(a) - place(b) ||
          heard(b) - heard(a),
      )
      .slice(0, maxForwarded + 1);
  }

  #flows(consumer: types.Consumer<ConsumerAppData>): boolean {
    return this.forwardedTo(consumer.appData.peerId).includes(consumer.producerId);
  }

  async #apply(): Promise<void> {
    for (const consumer of [...this.#consumers.values()]) {
      if (consumer.closed) continue;
      const flows = this.#flows(consumer);
      // A consumer closed meanwhile (its viewer or its microphone left) has nothing left to change. The
      // worker refuses at once, but mediasoup emits the producer's closing on the next turn (setImmediate).
      const unlessClosed = async (error: unknown) => {
        await new Promise((resolve) => setImmediate(resolve));
        if (!consumer.closed) throw error;
      };
      if (flows && consumer.paused) await consumer.resume().catch(unlessClosed);
      else if (!flows && !consumer.paused) await consumer.pause().catch(unlessClosed);
    }
  }
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));
