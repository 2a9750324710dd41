import type { types } from 'mediasoup';
import type { WorkerObjects } from './WorkerPoolTypes.js';

/**
 * A worker's live routers, transports, producers and consumers, kept from mediasoup's observer events
 * as they are made and closed (no worker round trip to count them): what placement weighs and the
 * metrics count. A replaced worker's slot starts again from its new worker.
 */
export function trackWorkerObjects(worker: types.Worker): WorkerObjects {
  const objects: WorkerObjects = { routers: new Set(), transports: new Set(), producers: new Set(), consumers: new Set() };
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
  return objects;
}
