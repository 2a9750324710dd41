import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { DynacastEvents, DynacastOptions } from './DynacastTypes.js';
import type { ConsumerAppData, ProducerAppData } from './MeetingRoomTypes.js';

interface Tracked {
  producer: types.Producer<ProducerAppData>;
  /** The highest simulcast layer the publisher was last told to encode. */
  told: number;
  lowering?: NodeJS.Timeout;
}

/**
 * Dynacast: a publisher encodes only the simulcast layers someone receives. For each camera, the highest
 * spatial layer any viewer has resumed and prefers is what its browser is asked to encode (the layers
 * above it are switched off there, `RTCRtpSender.setParameters` through mediasoup-client's
 * `setMaxSpatialLayer`). The lowest layer always stays on, so a new viewer's first frame never waits for
 * the publisher. A layer is switched on at once when needed and off only after `lowerAfterMs` without a
 * viewer for it, so paging through tiles does not restart encoders.
 */
export class Dynacast extends EventEmitter<DynacastEvents> {
  readonly #tracked = new Map<string, Tracked>();
  readonly #consumersOf: (producerId: string) => Iterable<types.Consumer<ConsumerAppData>>;
  readonly #lowerAfterMs: number;
  readonly #neededElsewhere: (producerId: string) => number;

  constructor(options: DynacastOptions) {
    super();
    this.#consumersOf = options.consumersOf;
    this.#neededElsewhere = options.neededElsewhere ?? (() => -1);
    this.#lowerAfterMs = options.lowerAfterMs ?? 2000;
  }

  /** A camera producer; only simulcast ones have layers to switch. */
  track(producer: types.Producer<ProducerAppData>): void {
    const top = producer.rtpParameters.encodings?.length ?? 1;
    if (producer.kind !== 'video' || top < 2) return;
    // the publisher starts with every layer on; nobody watches yet
    this.#tracked.set(producer.id, { producer, told: top - 1 });
    producer.observer.on('close', () => {
      clearTimeout(this.#tracked.get(producer.id)?.lowering);
      this.#tracked.delete(producer.id);
    });
    this.update(producer.id);
  }

  /** Watches a consumer: what it needs changes when it is resumed, paused or closed. */
  watch(consumer: types.Consumer<ConsumerAppData>): void {
    if (!this.#tracked.has(consumer.producerId)) return;
    const update = () => this.update(consumer.producerId);
    consumer.observer.on('pause', update);
    consumer.observer.on('resume', update);
    consumer.observer.on('close', update);
  }

  /** Recomputes what the producer's viewers need (also after a viewer's preferred layers changed). */
  update(producerId: string): void {
    const tracked = this.#tracked.get(producerId);
    if (!tracked || tracked.producer.closed) return;
    const needed = this.#needed(tracked.producer);
    if (needed >= tracked.told) {
      clearTimeout(tracked.lowering);
      tracked.lowering = undefined;
      if (needed > tracked.told) this.#tell(tracked, needed);
      return;
    }
    tracked.lowering ??= setTimeout(() => {
      tracked.lowering = undefined;
      if (tracked.producer.closed) return;
      const now = this.#needed(tracked.producer);
      if (now < tracked.told) this.#tell(tracked, now);
    }, this.#lowerAfterMs);
  }

  close(): void {
    for (const tracked of this.#tracked.values()) clearTimeout(tracked.lowering);
    this.#tracked.clear();
  }

  #needed(producer: types.Producer): number {
    const top = (producer.rtpParameters.encodings?.length ?? 1) - 1;
    let needed = Math.min(top, Math.max(0, this.#neededElsewhere(producer.id)));
    for (const consumer of this.#consumersOf(producer.id)) {
      if (consumer.closed || consumer.paused) continue;
      needed = Math.max(needed, Math.min(top, consumer.preferredLayers?.spatialLayer ?? top));
    }
    return needed;
  }

  #tell(tracked: Tracked, layer: number): void {
    tracked.told = layer;
    this.emit('maxSpatialLayer', tracked.producer.appData.peerId, tracked.producer.id, layer);
  }
}
