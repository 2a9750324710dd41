import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Dynacast } from '../../media-server/Dynacast.js';
import type { ConsumerAppData, ProducerAppData } from '../../media-server/MeetingRoomTypes.js';

/** What Dynacast reads of a producer and a consumer: ids, layers, pause state and the observer's events. */
class FakeProducer {
  readonly kind = 'video';
  readonly appData: ProducerAppData = { peerId: 'publisher', source: 'camera' };
  readonly observer = new EventEmitter();
  closed = false;
  constructor(
    readonly id: string,
    layers: number,
  ) {
    this.rtpParameters = { encodings: Array.from({ length: layers }, () => ({})) };
  }
  readonly rtpParameters: { encodings: object[] };
}

class FakeConsumer {
  readonly observer = new EventEmitter();
  paused = true;
  closed = false;
  preferredLayers: { spatialLayer: number } | undefined;
  constructor(
    readonly producerId: string,
    spatialLayer?: number,
  ) {
    if (spatialLayer !== undefined) this.preferredLayers = { spatialLayer };
  }
  resume() {
    this.paused = false;
    this.observer.emit('resume');
  }
  pause() {
    this.paused = true;
    this.observer.emit('pause');
  }
  close() {
    this.closed = true;
    this.observer.emit('close');
  }
}

describe('Dynacast: a publisher encodes only the layers its viewers need', () => {
  const lowerAfterMs = 2000;
  let consumers: FakeConsumer[];
  let neededElsewhere: number;
  let dynacast: Dynacast;
  let told: number[];
  let producer: FakeProducer;

  beforeEach(() => {
    vi.useFakeTimers();
    consumers = [];
    neededElsewhere = -1;
    told = [];
    dynacast = new Dynacast({
      consumersOf: (producerId) => consumers.filter((c) => c.producerId === producerId) as unknown as types.Consumer<ConsumerAppData>[],
      neededElsewhere: () => neededElsewhere,
      lowerAfterMs,
    });
    dynacast.on('maxSpatialLayer', (_peerId, _producerId, layer) => told.push(layer));
    producer = new FakeProducer('camera-1', 3);
    dynacast.track(producer as unknown as types.Producer<ProducerAppData>);
  });
  afterEach(() => {
    dynacast.close();
    vi.useRealTimers();
  });

  const viewer = (spatialLayer?: number) => {
    const consumer = new FakeConsumer(producer.id, spatialLayer);
    consumers.push(consumer);
    dynacast.watch(consumer as unknown as types.Consumer<ConsumerAppData>);
    return consumer;
  };
  const prefer = (consumer: FakeConsumer, spatialLayer: number) => {
    consumer.preferredLayers = { spatialLayer };
    dynacast.update(producer.id);
  };

  it('lowers a camera nobody receives to its lowest layer once the grace has passed, not before', () => {
    vi.advanceTimersByTime(lowerAfterMs - 1);
    expect(told).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(told).toEqual([0]);
  });

  it('raises a layer at once when a viewer needs it, lowers it only after the grace, and a need within the grace keeps it', () => {
    vi.advanceTimersByTime(lowerAfterMs);
    const watcher = viewer();
    watcher.resume();
    // shown large: the top layer, at once
    expect(told).toEqual([0, 2]);
    // shown as a thumbnail: the lowest, after the grace
    prefer(watcher, 0);
    vi.advanceTimersByTime(lowerAfterMs - 1);
    expect(told).toEqual([0, 2]);
    vi.advanceTimersByTime(1);
    expect(told).toEqual([0, 2, 0]);
    // large again (the middle layer), then paged away and back within the grace: never lowered
    prefer(watcher, 1);
    expect(told).toEqual([0, 2, 0, 1]);
    watcher.pause();
    vi.advanceTimersByTime(lowerAfterMs - 1);
    watcher.resume();
    vi.advanceTimersByTime(lowerAfterMs * 3);
    expect(told).toEqual([0, 2, 0, 1]);
    // paused for good: down to the lowest
    watcher.pause();
    vi.advanceTimersByTime(lowerAfterMs);
    expect(told).toEqual([0, 2, 0, 1, 0]);
  });

  it('takes the highest need of every viewer, and never asks for a thumbnail’s top layer', () => {
    vi.advanceTimersByTime(lowerAfterMs);
    const thumbnail = viewer(0);
    thumbnail.resume();
    vi.advanceTimersByTime(lowerAfterMs * 3);
    expect(told).toEqual([0]);
    const large = viewer(2);
    large.resume();
    expect(told).toEqual([0, 2]);
    // the large one leaves; the thumbnail alone needs the lowest
    large.close();
    vi.advanceTimersByTime(lowerAfterMs);
    expect(told).toEqual([0, 2, 0]);
  });

  it('keeps the layer viewers on another node need (their node tells it through the pipe)', () => {
    neededElsewhere = 2;
    dynacast.update(producer.id);
    vi.advanceTimersByTime(lowerAfterMs * 3);
    expect(told).toEqual([]);
    neededElsewhere = -1;
    dynacast.update(producer.id);
    vi.advanceTimersByTime(lowerAfterMs);
    expect(told).toEqual([0]);
  });

  it('leaves a single-layer camera and a closed one alone', () => {
    const plain = new FakeProducer('camera-2', 1);
    dynacast.track(plain as unknown as types.Producer<ProducerAppData>);
    producer.closed = true;
    producer.observer.emit('close');
    vi.advanceTimersByTime(lowerAfterMs * 3);
    expect(told).toEqual([]);
  });
});
