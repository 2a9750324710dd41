import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { MediaKind, MediaSource, TransportDirection, VideoTile } from '../shared/protocol.js';
import { MediaNotFoundError, MediaStateError } from './errors.js';
import { AudioForwarding } from './AudioForwarding.js';
import { openCallAnnouncement, type CallAnnouncement } from './callAnnouncement.js';
import type { MixCodecName } from './loopbackStreams.js';
import { consumeDecodable } from './consumeDecodable.js';
import { Dynacast } from './Dynacast.js';
import { keyFrameUntilSent } from './keyFrameUntilSent.js';
import { roomStats } from './roomStats.js';
import { MeetingPeer } from './MeetingPeer.js';
import { ProgramSender } from './ProgramSender.js';
import { ProgramTap } from './ProgramTap.js';
import type { ProgramTapTarget } from './ProgramTapTypes.js';
import { RemoteSites } from './RemoteSites.js';
import { RoomRouters } from './RoomRouters.js';
import { RouterPipes } from './RouterPipes.js';
import { UplinkQualityMeter } from './UplinkQualityMeter.js';
import { loadTestTransportOptions, plain, webRtc, type PlainRemote } from './loadTestTransports.js';
import type {
  ConsumerAppData,
  MeetingRoomEvents,
  MeetingRoomOptions,
  PeerIdentity,
  PipedRoom,
  ProducerAppData,
  RoomStats,
  UplinkQuality,
  TransportAppData,
} from './MeetingRoomTypes.js';
import type { WorkerPool } from './WorkerPool.js';
import type { PooledWorker } from './WorkerPoolTypes.js';
import { said } from '../shared/messages/index.js';

/** The active speaker must have been heard this recently. */
const speakerHeardWithinMs = 5000;

/** What a page shows at most: the large tile and eight thumbnails. */
const defaultMaxShownVideos = 9;

/**
 * One meeting's media: a router on each worker the meeting uses, the peers placed on them, and an
 * ActiveSpeakerObserver on the home router. A peer consuming a producer that lives on another
 * worker's router gets it through `pipeToRouter`, piped once per (producer, router) pair.
 * A viewer is sent what it shows: the videos it resumed (at most `maxShownVideos`; it pauses the ones
 * it pages away from) and the microphones `AudioForwarding` lets through (the loudest few), and each
 * camera encodes only the layers someone receives (`Dynacast`).
 */
export class MeetingRoom extends EventEmitter<MeetingRoomEvents> implements PipedRoom {
  readonly id: string;
  readonly #pool: WorkerPool;
  readonly #options: MeetingRoomOptions;
  readonly #routers: RoomRouters;
  readonly #peers = new Map<string, MeetingPeer>();
  readonly #remote = new RemoteSites();
  readonly #pipes: RouterPipes;
  readonly #taps = new Set<ProgramTap>();
  /** The producers of the program sent back into the room (ProgramSender), which SIP calls consume. */
  readonly #programProducers = new Set<string>();
  #home!: types.Router;
  #homeIndex = 0;
  #observer!: types.ActiveSpeakerObserver;
  #activeSpeaker: string | null = null;
  #closed = false;
  readonly #audio: AudioForwarding;
  readonly #uplink = new UplinkQualityMeter();
  /** Load shedding's `thumbnails` step holds: see `lowerThumbnails`. */
  #thumbnailsLowered = false;
  readonly #dynacast = new Dynacast({
    consumersOf: (producerId) => this.#consumersOf(producerId),
    neededElsewhere: (producerId) => this.#remote.neededElsewhere(producerId),
  });

  private constructor(pool: WorkerPool, options: MeetingRoomOptions) {
    super();
    this.id = options.meetingId;
    this.#pool = pool;
    this.#options = options;
    this.#routers = new RoomRouters(pool, options, (workerIndex, router) => this.#onWorkerLost(workerIndex, router));
    this.#pipes = new RouterPipes(() => pool.loopbackListenInfo());
    this.#audio = new AudioForwarding({ maxForwarded: options.maxForwardedMicrophones ?? 3 }, (error) =>
      this.emit('audioForwardingFailed', error),
    );
    this.#dynacast.on('maxSpatialLayer', (peerId, producerId, layer) => {
      // an imported camera: what this node's viewers need goes to its node, whose publisher encodes it
      if (this.#peers.has(peerId)) this.emit('maxSpatialLayer', peerId, producerId, layer);
      else this.#options.remote?.needLayer(this, producerId, layer).catch((error: Error) => this.emit('nodePipeFailed', error));
    });
  }

  static async create(pool: WorkerPool, options: MeetingRoomOptions): Promise<MeetingRoom> {
    const room = new MeetingRoom(pool, options);
    await room.#establishHome(pool.leastLoaded());
    return room;
  }

  get routerRtpCapabilities(): types.RtpCapabilities {
    return this.#home.rtpCapabilities;
  }

  get activeSpeakerPeerId(): string | null {
    return this.#activeSpeaker;
  }

  get peers(): IterableIterator<MeetingPeer> {
    return this.#peers.values();
  }

  get closed(): boolean {
    return this.#closed;
  }

  peer(peerId: string): MeetingPeer {
    const peer = this.#peers.get(peerId);
    if (!peer) throw new MediaNotFoundError('peer', peerId);
    return peer;
  }

  /**
   * A peer enters the room. `ownCodecs`: on a router of its own with these codecs and payload types (a SIP call,
   * which must be sent in the numbers its far end offered; mediasoup's consumers send in their router's).
   */
  async join(identity: PeerIdentity, ownCodecs?: types.RouterRtpCodecCapability[]): Promise<MeetingPeer> {
    if (this.#peers.has(identity.peerId)) throw new MediaStateError(`peer ${identity.peerId} already joined`);
    const { router, workerIndex } = await this.#routers.place(identity.peerId, ownCodecs);
    const peer = new MeetingPeer(identity, router, workerIndex);
    this.#peers.set(peer.id, peer);
    await this.#options.remote?.announcePeer(this, identity, true);
    return peer;
  }

  leave(peerId: string): void {
    const peer = this.#peers.get(peerId);
    if (!peer) return;
    peer.close();
    this.#peers.delete(peerId);
    const ownRouterId = this.#routers.release(peerId);
    if (ownRouterId) this.#pipes.forgetRouter(ownRouterId);
    this.#options.remote?.announcePeer(this, peer.identity, false).catch((error: Error) => this.emit('nodePipeFailed', error));
    if (this.#activeSpeaker === peerId) this.#setActiveSpeaker(null);
    if (this.#peers.size === 0) this.emit('empty');
  }

  setRtpCapabilities(peerId: string, rtpCapabilities: types.RtpCapabilities): void {
    this.peer(peerId).rtpCapabilities = rtpCapabilities;
  }

  async createTransport(peerId: string, direction: TransportDirection): Promise<types.WebRtcTransport<TransportAppData>> {
    const peer = this.peer(peerId);
    const slot = this.#routers.slotOf(peerId);
    return peer.openTransport(direction, (appData) =>
      peer.router.createWebRtcTransport({ ...this.#pool.webRtcTransportOptions(slot), appData }),
    );
  }

  /** bench:load's synthetic sites: SRTP RTP on loopback, the same forwarding and encryption without ICE and DTLS. */
  async createLoadTestTransport(peerId: string, direction: TransportDirection): Promise<types.PlainTransport<TransportAppData>> {
    const peer = this.peer(peerId);
    return peer.openTransport(direction, (appData) =>
      peer.router.createPlainTransport({ ...loadTestTransportOptions(this.#pool), appData }),
    );
  }

  async connectTransport(peerId: string, transportId: string, dtlsParameters: types.DtlsParameters): Promise<void> {
    await webRtc(this.peer(peerId).transport(transportId)).connect({ dtlsParameters });
  }

  async connectLoadTestTransport(peerId: string, transportId: string, remote: PlainRemote): Promise<void> {
    await plain(this.peer(peerId).transport(transportId)).connect(remote);
  }

  async restartIce(peerId: string, transportId: string): Promise<types.IceParameters> {
    return webRtc(this.peer(peerId).transport(transportId)).restartIce();
  }

  async produce(
    peerId: string,
    request: { transportId: string; kind: MediaKind; rtpParameters: types.RtpParameters; source: MediaSource; paused?: boolean },
  ): Promise<types.Producer<ProducerAppData>> {
    const peer = this.peer(peerId);
    const transport = peer.transport(request.transportId);
    if (transport.appData.direction !== 'send') throw new MediaStateError('producing needs a send transport');
    const expectedKind: MediaKind = request.source === 'microphone' ? 'audio' : 'video';
    if (request.kind !== expectedKind) throw new MediaStateError(`${request.source} must be ${expectedKind}`);
    for (const existing of peer.producers.values()) {
      if (existing.appData.source === request.source) throw new MediaStateError(`${request.source} is already produced`);
    }
    const producer = await transport.produce<ProducerAppData>({
      kind: request.kind,
      rtpParameters: request.rtpParameters,
      paused: request.paused,
      appData: { peerId, source: request.source },
    });
    peer.producers.set(producer.id, producer);
    producer.observer.on('close', () => {
      peer.producers.delete(producer.id);
      this.#uplink.forget(producer.id);
      this.#pipes.forget(producer.id);
      this.#options.remote?.announce(this, producer, true).catch((error: Error) => this.emit('nodePipeFailed', error));
    });
    // published before anyone hears of it: a site on another node consuming it at once finds where it lives
    await this.#options.remote?.announce(this, producer);
    if (producer.kind === 'audio') {
      await this.#observe(producer, peer.router);
      await this.#audio.addMicrophone(producer);
    } else if (producer.appData.source === 'camera') this.#dynacast.track(producer);
    return producer;
  }

  /**
   * Creates a paused consumer (at `spatialLayer`, for a simulcast video, shown in `tile`); the client resumes
   * it once its track is ready.
   */
  async consume(
    peerId: string,
    producerId: string,
    spatialLayer?: number,
    tile: VideoTile = 'large',
  ): Promise<types.Consumer<ConsumerAppData>> {
    const peer = this.peer(peerId);
    if (!peer.rtpCapabilities) throw new MediaStateError('send rtpCapabilities before consuming');
    // a site on another hub node produces it: imported once through the pipe between the nodes
    if (!this.#findProducerOwner(producerId)) await this.#options.remote?.import(this, producerId);
    const { owner, producer } = this.#findProducer(producerId);
    if (owner === peer) throw new MediaStateError('a peer does not consume its own producer');
    const transport = [...peer.transports.values()].find((t) => t.appData.direction === 'recv');
    if (!transport) throw new MediaStateError('create a recv transport before consuming');
    await this.#pipes.pipe(producerId, owner.router, peer.router);
    const consumer = await consumeDecodable<ConsumerAppData>(
      transport,
      {
        producerId,
        rtpCapabilities: peer.rtpCapabilities,
        paused: true,
        preferredLayers: spatialLayer === undefined ? undefined : this.#layersFor(tile, spatialLayer),
        appData: { peerId, producerPeerId: owner.id, source: producer.appData.source, tile },
      },
      'media.cannotDecodeSite',
    );
    peer.consumers.set(consumer.id, consumer);
    consumer.observer.on('close', () => peer.consumers.delete(consumer.id));
    this.#dynacast.watch(consumer);
    consumer.on('producerclose', () => {
      consumer.close();
      this.emit('consumerClosed', peerId, consumer.id);
    });
    return consumer;
  }

  /** The viewer shows this consumer's media: a video flows at once, a microphone when it is among the forwarded. */
  async resumeConsumer(peerId: string, consumerId: string): Promise<void> {
    const peer = this.peer(peerId);
    const consumer = peer.consumer(consumerId);
    if (consumer.kind === 'audio') {
      await this.#audio.consumerResumed(consumer);
      return;
    }
    const maxShown = this.#options.maxShownVideos ?? defaultMaxShownVideos;
    const shown = [...peer.consumers.values()].filter((c) => c.kind === 'video' && !c.paused && c !== consumer).length;
    if (consumer.paused && shown >= maxShown)
      throw new MediaStateError('too many videos shown', said('media.tooManyShown', { count: maxShown }));
    await consumer.resume();
    // The browser's decoder starts on a key frame; ask the sender now rather than wait for the next one
    // (a slide's, until one is sent: a static slide may send no other frame for minutes). The answer does not
    // wait for the worker's: in a join storm that round trip, one per tile, queued behind the media.
    if (consumer.appData.source === 'screen') await keyFrameUntilSent(consumer);
    else consumer.requestKeyFrame().catch(() => undefined); // closed meanwhile: nothing to ask for
  }

  /** The viewer stopped showing it (a tile scrolled out of view): nothing is sent until it is resumed. */
  async pauseConsumer(peerId: string, consumerId: string): Promise<void> {
    const consumer = this.peer(peerId).consumer(consumerId);
    if (consumer.kind === 'audio') this.#audio.consumerPaused(consumer.id);
    await consumer.pause();
  }

  /** The viewer no longer keeps it at all. */
  closeConsumer(peerId: string, consumerId: string): void {
    this.peer(peerId).consumer(consumerId).close();
  }

  /** The viewer shows the consumer at other layers, or in another tile (`tile`; unchanged when not said). */
  async setPreferredLayers(peerId: string, consumerId: string, layers: types.ConsumerLayers, tile?: VideoTile): Promise<void> {
    const consumer = this.peer(peerId).consumer(consumerId);
    if (tile) consumer.appData.tile = tile;
    if (consumer.type !== 'simulcast' && consumer.type !== 'svc') return;
    const lowered = this.#thumbnailsLowered && consumer.appData.tile === 'thumbnail';
    await consumer.setPreferredLayers(lowered ? { spatialLayer: layers.spatialLayer, temporalLayer: 0 } : layers);
    this.#dynacast.update(consumer.producerId);
  }

  /**
   * The hub runs short (load shedding): every thumbnail gets the lowest frame rate of its layer too (the
   * lowest temporal layer), and its full rate back when `lowered` is false. The large tile keeps its own.
   */
  async lowerThumbnails(lowered: boolean): Promise<void> {
    if (this.#thumbnailsLowered === lowered) return;
    this.#thumbnailsLowered = lowered;
    const thumbnails = [...this.#peers.values()].flatMap((peer) =>
      [...peer.consumers.values()].filter(
        (c) => c.appData.tile === 'thumbnail' && (c.type === 'simulcast' || c.type === 'svc') && !c.closed,
      ),
    );
    await Promise.all(
      thumbnails.map((consumer) =>
        // a consumer closed meanwhile (its site left) has nothing to lower
        consumer.setPreferredLayers(this.#layersFor('thumbnail', consumer.preferredLayers?.spatialLayer ?? 0)).catch(() => undefined),
      ),
    );
  }

  /** A simulcast consumer's layers in `tile`: a thumbnail's frame rate lowered while the hub is short. */
  #layersFor(tile: VideoTile, spatialLayer: number): types.ConsumerLayers {
    return this.#thumbnailsLowered && tile === 'thumbnail' ? { spatialLayer, temporalLayer: 0 } : { spatialLayer };
  }

  async pauseProducer(peerId: string, producerId: string): Promise<void> {
    const producer = this.peer(peerId).producer(producerId);
    await producer.pause();
    await this.#options.remote?.announce(this, producer);
  }

  async resumeProducer(peerId: string, producerId: string): Promise<void> {
    const producer = this.peer(peerId).producer(producerId);
    await producer.resume();
    await this.#options.remote?.announce(this, producer);
  }

  closeProducer(peerId: string, producerId: string): void {
    this.peer(peerId).producer(producerId).close();
  }

  /** How a peer's media reaches the SFU since the last call: the share of its packets lost, and their summed bitrate. */
  async uplinkQuality(peerId: string): Promise<UplinkQuality> {
    return this.#uplink.measure(this.peer(peerId).producers.values());
  }

  /** Bytes the peer's transports have received so far (media, RTCP, ICE checks): still growing while the site is there. */
  async receivedBytes(peerId: string): Promise<number> {
    let bytes = 0;
    for (const transport of this.peer(peerId).transports.values())
      for (const stat of (await transport.getStats()) as types.BaseTransportStats[]) bytes += stat.bytesReceived;
    return bytes;
  }

  /** The program's feed (program/): the shown video and the forwarded microphones as plain RTP to the composer's ports. */
  async openProgramTap(target: ProgramTapTarget): Promise<ProgramTap> {
    const tap = await ProgramTap.open(
      {
        router: this.#home,
        listenInfo: this.#pool.loopbackListenInfo(),
        producerOnTapRouter: async (producerId) => {
          const { owner, producer } = this.#findProducer(producerId);
          await this.#pipes.pipe(producerId, owner.router, this.#home);
          return producer;
        },
        microphones: () => [...this.#peers.values()].flatMap((p) => [...p.producers.values()].filter((x) => x.kind === 'audio')),
        audio: this.#audio,
        dynacast: this.#dynacast,
      },
      target,
    );
    this.#taps.add(tap);
    tap.once('close', () => this.#taps.delete(tap));
    return tap;
  }

  /** The program back into the meeting (its picture, and each SIP call's mix-minus), for the calls to be sent. */
  async openProgramSender(): Promise<ProgramSender> {
    return ProgramSender.open({
      router: this.#home,
      listenInfo: this.#pool.loopbackListenInfo(),
      held: this.#programProducers,
      producerClosed: (producerId) => {
        this.#programProducers.delete(producerId);
        this.#pipes.forget(producerId);
      },
    });
  }

  /**
   * A peer's plain transport (a SIP call's) sends one of the program's streams to its far end, in the codec and
   * payload type its answer gave. The consumer closes with the stream (the program restarted): ask again.
   */
  async consumeProgram(
    peerId: string,
    transportId: string,
    producerId: string,
    rtpCapabilities: types.RtpCapabilities,
  ): Promise<types.Consumer<ConsumerAppData>> {
    if (!this.#programProducers.has(producerId)) throw new MediaNotFoundError('producer', producerId);
    const source = rtpCapabilities.codecs?.[0]?.kind === 'audio' ? 'microphone' : 'camera';
    return this.#consumeOnCall(peerId, transportId, { producerId, router: this.#home, peerId: 'program', source }, rtpCapabilities);
  }

  /**
   * A site's presentation (its screen producer) sent to a SIP call's content line as it is, in the codec
   * `rtpCapabilities` take. Throws when they cannot take its codec (no transcoder).
   */
  async consumeContent(
    peerId: string,
    transportId: string,
    producerId: string,
    rtpCapabilities: types.RtpCapabilities,
  ): Promise<types.Consumer<ConsumerAppData>> {
    const { owner } = this.#findProducer(producerId);
    if (owner.id === peerId) throw new MediaStateError('a peer does not consume its own producer');
    return this.#consumeOnCall(
      peerId,
      transportId,
      { producerId, router: owner.router, peerId: owner.id, source: 'screen' },
      rtpCapabilities,
    );
  }

  /**
   * A stream consumed on a SIP call's plain transport: piped from its router to the call's (the calls' routers share a
   * worker: under an id of its own there), closed with its producer.
   */
  async #consumeOnCall(
    peerId: string,
    transportId: string,
    from: { producerId: string; router: types.Router; peerId: string; source: ConsumerAppData['source'] },
    rtpCapabilities: types.RtpCapabilities,
  ): Promise<types.Consumer<ConsumerAppData>> {
    const peer = this.peer(peerId);
    const transport = peer.transport(transportId);
    const producerIdThere = await this.#pipes.pipe(from.producerId, from.router, peer.router, {
      newId: this.#routers.hasOwnRouter(peerId),
    });
    const consumer = await consumeDecodable<ConsumerAppData>(
      transport,
      {
        producerId: producerIdThere,
        rtpCapabilities,
        appData: { peerId, producerPeerId: from.peerId, source: from.source, tile: 'large' },
      },
      from.peerId === 'program' ? 'media.cannotDecodeProgram' : 'media.cannotDecodePresentation',
    );
    peer.consumers.set(consumer.id, consumer);
    consumer.observer.on('close', () => peer.consumers.delete(consumer.id));
    consumer.on('producerclose', () => consumer.close());
    return consumer;
  }

  /** An announcement to one SIP call's peer alone, on its own router (see `openCallAnnouncement`). */
  async announceToPeer(peerId: string, transportId: string, codec: MixCodecName): Promise<CallAnnouncement> {
    const peer = this.peer(peerId);
    return openCallAnnouncement(peer.router, peer.transport(transportId), this.#pool.loopbackListenInfo(), codec);
  }

  /** The router the meeting's pipes to other hub nodes end on. */
  get homeRouter(): types.Router {
    return this.#home;
  }

  /** Who produces a producer of this node's sites, and what it is; undefined for any other. */
  producerOrigin(producerId: string): { peer: PeerIdentity; source: ProducerAppData['source'] } | undefined {
    for (const peer of this.#peers.values()) {
      const producer = peer.producers.get(producerId);
      if (producer) return { peer: peer.identity, source: producer.appData.source };
    }
    return undefined;
  }

  /** A producer of this node's sites, piped to the home router for another node to import. */
  async pipeToHome(producerId: string): Promise<{ peer: PeerIdentity; source: ProducerAppData['source'] }> {
    const origin = this.producerOrigin(producerId);
    if (!origin) throw new MediaNotFoundError('producer', producerId);
    await this.#pipes.pipe(producerId, this.peer(origin.peer.peerId).router, this.#home);
    return origin;
  }

  /** Another node's producer, imported on the home router: consumed here like a local one. */
  async adoptRemoteProducer(producer: types.Producer<ProducerAppData>, identity: PeerIdentity): Promise<void> {
    this.#remote.adopt(producer, identity, { router: this.#home, workerIndex: this.#homeIndex });
    producer.observer.on('close', () => this.#pipes.forget(producer.id));
    if (producer.kind === 'audio') {
      await this.#observer.addProducer({ producerId: producer.id });
      await this.#audio.addMicrophone(producer);
    } else if (producer.appData.source === 'camera') this.#dynacast.track(producer);
  }

  /** The highest layer of this node's camera that viewers on another node need (null: none any more). */
  setNeededOnNode(producerId: string, nodeId: string, layer: number | null): void {
    this.#remote.setNeeded(producerId, nodeId, layer);
    this.#dynacast.update(producerId);
  }

  /** How many of this node's viewers (and program taps) consume the producer. */
  consumerCount(producerId: string): number {
    let count = 0;
    for (const consumer of this.#consumersOf(producerId)) if (!consumer.closed) count++;
    return count;
  }

  stats(): RoomStats {
    return roomStats(this.#peers.values());
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dynacast.close();
    for (const peerId of [...this.#peers.keys()]) this.leave(peerId);
    this.#routers.close();
  }

  async #establishHome(slot: PooledWorker): Promise<void> {
    this.#home = await this.#routers.routerOn(slot);
    this.#homeIndex = slot.index;
    await this.#audio.observeOn(this.#home);
    this.#observer = await this.#home.createActiveSpeakerObserver({ interval: 300 });
    this.#observer.on('dominantspeaker', ({ producer }) => {
      // With nobody heard yet the observer names its first microphone, muted or silent: only a site
      // heard lately (above -60 dBov) becomes the speaker, and so the large tile of every page.
      if (producer.paused || !this.#audio.heardWithin(producer.id, speakerHeardWithinMs)) return;
      const owner = this.#findProducerOwner(producer.id);
      if (owner) this.#setActiveSpeaker(owner.id);
    });
  }

  async #observe(producer: types.Producer, origin: types.Router): Promise<void> {
    await this.#pipes.pipe(producer.id, origin, this.#home);
    await this.#observer.addProducer({ producerId: producer.id });
  }

  #findProducer(producerId: string): { owner: MeetingPeer; producer: types.Producer<ProducerAppData> } {
    const owner = this.#findProducerOwner(producerId);
    if (!owner) throw new MediaNotFoundError('producer', producerId);
    return { owner, producer: owner.producer(producerId) };
  }

  *#consumersOf(producerId: string): Generator<types.Consumer<ConsumerAppData>> {
    for (const peer of this.#peers.values())
      for (const consumer of peer.consumers.values()) if (consumer.producerId === producerId) yield consumer;
    for (const tap of this.#taps) for (const consumer of tap.consumers()) if (consumer.producerId === producerId) yield consumer;
  }

  #findProducerOwner(producerId: string): MeetingPeer | undefined {
    for (const peer of this.#peers.values()) if (peer.producers.has(producerId)) return peer;
    return this.#remote.owner(producerId);
  }

  #setActiveSpeaker(peerId: string | null): void {
    if (this.#activeSpeaker === peerId) return;
    this.#activeSpeaker = peerId;
    this.emit('activeSpeaker', peerId);
  }

  /**
   * A worker died: its peers must join again (on a live worker). The home router holds the speaker
   * detection and every microphone's pipe, so losing it evicts everyone: the room closes and the sites'
   * rejoins build a new one. Synchronous, so nothing can touch a half-closed room meanwhile.
   */
  #onWorkerLost(workerIndex: number, router: types.Router): void {
    if (this.#closed) return;
    const homeLost = router === this.#home;
    const evicted = [...this.#peers.values()].filter((peer) => homeLost || peer.router === router).map((peer) => peer.id);
    // told first and in one event, so each site is asked to join again before it hears of anyone leaving
    if (evicted.length > 0) this.emit('peersEvicted', evicted);
    for (const peerId of evicted) this.leave(peerId);
    // a room nobody was in yet: nothing emitted 'empty', and its home is gone
    if (homeLost && !this.#closed) this.emit('empty');
  }
}
