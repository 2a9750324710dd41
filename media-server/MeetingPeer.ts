import type { types } from 'mediasoup';
import type { TransportDirection } from '../shared/protocol.js';
import { MediaNotFoundError, MediaStateError } from './errors.js';
import type { ConsumerAppData, PeerIdentity, ProducerAppData, TransportAppData } from './MeetingRoomTypes.js';

/** One participant's media objects, all on the router it was placed on. */
export class MeetingPeer {
  readonly identity: PeerIdentity;
  readonly router: types.Router;
  readonly workerIndex: number;
  rtpCapabilities?: types.RtpCapabilities;
  /** WebRTC for browsers; SRTP PlainTransports for bench:load's synthetic sites. */
  readonly transports = new Map<string, types.Transport<TransportAppData>>();
  readonly producers = new Map<string, types.Producer<ProducerAppData>>();
  readonly consumers = new Map<string, types.Consumer<ConsumerAppData>>();

  constructor(identity: PeerIdentity, router: types.Router, workerIndex: number) {
    this.identity = identity;
    this.router = router;
    this.workerIndex = workerIndex;
  }

  get id(): string {
    return this.identity.peerId;
  }

  /** A transport for one direction, made by `create` (a peer has at most one of each). */
  /** One transport per direction, unless `several` (a feed's RTP sender sends each kind from a socket of its own). */
  async openTransport<T extends types.Transport<TransportAppData>>(
    direction: TransportDirection,
    create: (appData: TransportAppData) => Promise<T>,
    several = false,
  ): Promise<T> {
    for (const existing of this.transports.values()) {
      if (!several && existing.appData.direction === direction) throw new MediaStateError(`a ${direction} transport already exists`);
    }
    const transport = await create({ peerId: this.id, direction });
    this.transports.set(transport.id, transport);
    transport.observer.on('close', () => this.transports.delete(transport.id));
    return transport;
  }

  transport(transportId: string): types.Transport<TransportAppData> {
    const transport = this.transports.get(transportId);
    if (!transport) throw new MediaNotFoundError('transport', transportId);
    return transport;
  }

  producer(producerId: string): types.Producer<ProducerAppData> {
    const producer = this.producers.get(producerId);
    if (!producer) throw new MediaNotFoundError('producer', producerId);
    return producer;
  }

  consumer(consumerId: string): types.Consumer<ConsumerAppData> {
    const consumer = this.consumers.get(consumerId);
    if (!consumer) throw new MediaNotFoundError('consumer', consumerId);
    return consumer;
  }

  /** Closing the transports closes every producer and consumer on them. */
  close(): void {
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
  }
}
