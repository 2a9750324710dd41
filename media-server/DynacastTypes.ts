import type { types } from 'mediasoup';
import type { ConsumerAppData } from './MeetingRoomTypes.js';

export interface DynacastOptions {
  /** Every consumer of a producer, whichever viewer and router it belongs to. */
  consumersOf: (producerId: string) => Iterable<types.Consumer<ConsumerAppData>>;
  /** The highest layer viewers elsewhere need (other hub nodes', through the pipes); -1 or absent: none. */
  neededElsewhere?: (producerId: string) => number;
  /** How long a layer nobody receives stays on before the publisher is told to stop it. */
  lowerAfterMs?: number;
}

export type DynacastEvents = {
  /** The publisher `peerId` should encode `producerId`'s layers 0…`spatialLayer` and no higher. */
  maxSpatialLayer: [peerId: string, producerId: string, spatialLayer: number];
};
