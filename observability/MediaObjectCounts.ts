import type { types } from 'mediasoup';

/** A worker's live mediasoup objects, kept from mediasoup's observer events (no worker round trip to count them). */
export interface WorkerObjects {
  routers: Set<types.Router>;
  transports: Set<types.Transport>;
  producers: Set<types.Producer>;
  consumers: Set<types.Consumer>;
}

/**
 * Counts routers, transports, producers and consumers per worker slot as mediasoup creates and closes
 * them; a replaced worker's slot starts again from its new worker.
 */
export class MediaObjectCounts {
  readonly #slots = new Map<number, WorkerObjects>();

  track(index: number, worker: types.Worker): void {
    const objects: WorkerObjects = { routers: new Set(), transports: new Set(), producers: new Set(), consumers: new Set() };
    this.#slots.set(index, objects);
    const keep = <T extends { observer: { once(event: 'close', listener: () => void): unknown } }>(set: Set<T>, item: T) => {
      set.add(item);
      item.observer.once('close', () => set.delete(item));
    };
    worker.observer.on('newrouter', (router) => {
      keep(objects.routers, router);
      router.observer.on('newtransport', (transport) => {
        keep(objects.transports, transport);
        transport.observer.on('newproducer', (producer) => keep(objects.producers, producer));
        transport.observer.on('newconsumer', (consumer) => keep(objects.consumers, consumer));
      });
    });
  }

  slot(index: number): WorkerObjects | undefined {
    return this.#slots.get(index);
  }
}
