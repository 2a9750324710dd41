import type { types } from 'mediasoup';
import { MediaNotFoundError } from './errors.js';
import type { PeerIdentity, PipedRoom, ProducerAppData } from './MeetingRoomTypes.js';
import type { ExportedProducer, NodeLink, NodePipesOptions, PipeEnd } from './NodePipesTypes.js';
import { pipeMethods } from './nodePipeMessages.js';

const key = (...parts: string[]) => parts.join('|');

/**
 * A meeting's producers piped between hub nodes: the cross-host form of `pipeToRouter`. A node whose
 * site consumes a producer living on another node imports it once (per producer and node) through a
 * PipeTransport pair between the two nodes' home routers of the meeting (one pair per meeting, node
 * and direction; the ends listen on the nodes' addresses, SRTP optional). The import is a producer
 * with the same id on this node, so the room's own pipes carry it on to the consuming peer's router.
 * It follows its origin's pause and close, and is closed (the origin told) once nobody here consumes
 * it for `unusedAfterMs`.
 */
export class NodePipes {
  readonly #options: Required<NodePipesOptions>;
  readonly #link: NodeLink;
  readonly #rooms: (meetingId: string) => Promise<PipedRoom | undefined>;
  /** Importer side: meeting|origin node → this node's end of the pipe. */
  readonly #outbound = new Map<string, Promise<types.PipeTransport>>();
  /** Importer side: meeting|producer → the imported producer. */
  readonly #imports = new Map<string, Promise<types.Producer | undefined>>();
  /** Origin side: meeting|importer node → this node's end. */
  readonly #inbound = new Map<string, types.PipeTransport>();
  /** Origin side: meeting|importer node|producer → what is sent through the pipe. */
  readonly #exports = new Map<string, types.Consumer>();
  readonly #unusedTimers = new Set<NodeJS.Timeout>();

  constructor(options: NodePipesOptions, rooms: (meetingId: string) => Promise<PipedRoom | undefined>) {
    this.#options = { unusedAfterMs: 10_000, ...options };
    this.#link = options.link;
    this.#rooms = rooms;
    this.#link.handle(pipeMethods.open, (from, end) => this.#acceptPipe(from, end));
    this.#link.handle(pipeMethods.export, (from, p) => this.#export(from, p.meetingId, p.producerId));
    this.#link.handle(pipeMethods.release, (from, p) => {
      this.#exports.get(key(p.meetingId, from, p.producerId))?.close();
    });
    this.#link.handle(pipeMethods.layer, async (from, p) => {
      if (this.#exports.has(key(p.meetingId, from, p.producerId)))
        (await this.#room(p.meetingId)).setNeededOnNode(p.producerId, from, p.layer);
    });
    this.#link.handle(pipeMethods.unlink, (from, p) => this.#inbound.get(key(p.meetingId, from))?.close());
    this.#link.handle(pipeMethods.closed, async (_from, p) => (await this.#imported(p))?.close());
    this.#link.handle(pipeMethods.paused, async (_from, p) => {
      const producer = await this.#imported(p);
      if (producer?.closed === false) await (p.paused ? producer.pause() : producer.resume());
    });
  }

  get nodeId(): string {
    return this.#link.nodeId;
  }

  /** The room's producer is now produced here (its node published it), or it closed. */
  async announce(room: PipedRoom, producer: types.Producer, closed = false): Promise<void> {
    const { peer, source } = room.producerOrigin(producer.id) ?? {};
    if (closed) return this.#link.announce(room.id, producer.id, null);
    if (!peer || !source) return;
    await this.#link.announce(room.id, producer.id, { nodeId: this.nodeId, peer, kind: producer.kind, source, paused: producer.paused });
  }

  /** A site joined the room on this node (or left it): the other nodes' sites learn of it from the cluster's map. */
  async announcePeer(room: PipedRoom, peer: PeerIdentity, present: boolean): Promise<void> {
    await this.#link.announcePeer(room.id, peer, present);
  }

  /** What this node's viewers need of an imported camera: its origin keeps those layers encoded. */
  async needLayer(room: PipedRoom, producerId: string, layer: number): Promise<void> {
    const location = await this.#link.locate(room.id, producerId);
    if (location) await this.#link.notify(location.nodeId, pipeMethods.layer, { meetingId: room.id, producerId, layer });
  }

  /**
   * The room's producer `producerId` lives on another node: it is imported (once; later callers wait for
   * the same import). False when no node publishes it.
   */
  async import(room: PipedRoom, producerId: string): Promise<boolean> {
    const id = key(room.id, producerId);
    let imported = this.#imports.get(id);
    if (!imported) {
      imported = this.#locateAndImport(room, producerId);
      this.#imports.set(id, imported);
      imported.then(
        (producer) => (producer ? producer.observer.on('close', () => this.#imports.delete(id)) : this.#imports.delete(id)),
        () => this.#imports.delete(id),
      );
    }
    return (await imported) !== undefined;
  }

  /** Bytes this node's ends of the pipes sent to and received from the other nodes so far (their open transports'). */
  async traffic(): Promise<{ sentBytes: number; receivedBytes: number }> {
    const ends = [...this.#inbound.values(), ...(await Promise.all([...this.#outbound.values()].map((t) => t.catch(() => undefined))))];
    let sentBytes = 0;
    let receivedBytes = 0;
    for (const transport of ends) {
      if (!transport || transport.closed) continue;
      for (const stat of await transport.getStats().catch(() => [])) {
        sentBytes += stat.bytesSent;
        receivedBytes += stat.bytesReceived;
      }
    }
    return { sentBytes, receivedBytes };
  }

  /** A node died: what came from it closes (its consumers are told), and what went to it. */
  nodeGone(nodeId: string): void {
    for (const [id, transport] of this.#outbound)
      if (id.endsWith(`|${nodeId}`))
        transport
          .then(
            (t) => t.close(),
            () => undefined,
          )
          .catch(this.#options.onError);
    for (const [id, transport] of this.#inbound) if (id.endsWith(`|${nodeId}`)) transport.close();
  }

  close(): void {
    for (const timer of this.#unusedTimers) clearTimeout(timer);
    this.#unusedTimers.clear();
  }

  async #locateAndImport(room: PipedRoom, producerId: string): Promise<types.Producer | undefined> {
    const location = await this.#link.locate(room.id, producerId);
    if (!location || location.nodeId === this.nodeId) return undefined;
    return this.#importFrom(room, producerId, location.nodeId);
  }

  async #importFrom(room: PipedRoom, producerId: string, origin: string): Promise<types.Producer> {
    const transport = await this.#pipeTo(room, origin);
    const exported = await this.#link.call(origin, pipeMethods.export, { meetingId: room.id, producerId });
    const producer = await transport.produce<ProducerAppData>({
      id: producerId,
      kind: exported.kind,
      rtpParameters: exported.rtpParameters,
      paused: exported.paused,
      appData: { peerId: exported.peer.peerId, source: exported.source },
    });
    await room.adoptRemoteProducer(producer, exported.peer);
    this.#releaseWhenUnused(room, producer, origin);
    return producer;
  }

  /** This node's end of the meeting's pipe from `origin`, opened with it on first use. */
  #pipeTo(room: PipedRoom, origin: string): Promise<types.PipeTransport> {
    const id = key(room.id, origin);
    let transport = this.#outbound.get(id);
    if (!transport) {
      transport = this.#openPipe(room, origin);
      this.#outbound.set(id, transport);
      transport.then(
        (t) =>
          t.observer.on('close', () => {
            this.#outbound.delete(id);
            // the room closed here: the origin stops sending
            this.#link.notify(origin, pipeMethods.unlink, { meetingId: room.id }).catch(this.#options.onError);
          }),
        () => this.#outbound.delete(id),
      );
    }
    return transport;
  }

  async #openPipe(room: PipedRoom, origin: string): Promise<types.PipeTransport> {
    const transport = await this.#createEnd(room);
    try {
      const theirs = await this.#link.call(origin, pipeMethods.open, this.#endOf(room.id, transport));
      await transport.connect({ ip: theirs.ip, port: theirs.port, srtpParameters: theirs.srtpParameters });
      return transport;
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  /** Origin side: an importer's end of a new pipe; answered with ours. */
  async #acceptPipe(from: string, end: PipeEnd): Promise<PipeEnd> {
    const room = await this.#room(end.meetingId);
    const id = key(end.meetingId, from);
    this.#inbound.get(id)?.close();
    const transport = await this.#createEnd(room);
    await transport.connect({ ip: end.ip, port: end.port, srtpParameters: end.srtpParameters });
    this.#inbound.set(id, transport);
    transport.observer.on('close', () => {
      if (this.#inbound.get(id) === transport) this.#inbound.delete(id);
    });
    return this.#endOf(end.meetingId, transport);
  }

  /** Origin side: the producer goes down the importer's pipe; its pause and close follow it there. */
  async #export(from: string, meetingId: string, producerId: string): Promise<ExportedProducer> {
    const room = await this.#room(meetingId);
    const transport = this.#inbound.get(key(meetingId, from));
    if (!transport) throw new MediaNotFoundError('pipe', `${meetingId} to ${from}`);
    const origin = await room.pipeToHome(producerId);
    const id = key(meetingId, from, producerId);
    this.#exports.get(id)?.close();
    const consumer = await transport.consume({ producerId });
    this.#exports.set(id, consumer);
    // every layer until the importer says what its viewers need (its Dynacast lowers it after a while)
    room.setNeededOnNode(producerId, from, (consumer.rtpParameters.encodings?.length ?? 1) - 1);
    const tellPaused = (paused: boolean) => {
      this.#link.notify(from, pipeMethods.paused, { meetingId, producerId, paused }).catch(this.#options.onError);
    };
    consumer.on('producerpause', () => tellPaused(true));
    consumer.on('producerresume', () => tellPaused(false));
    consumer.observer.on('close', () => {
      if (this.#exports.get(id) !== consumer) return;
      this.#exports.delete(id);
      if (!room.closed) room.setNeededOnNode(producerId, from, null);
      // the producer or the room closed here (a release from the importer closed it too: telling it again is harmless)
      this.#link.notify(from, pipeMethods.closed, { meetingId, producerId }).catch(this.#options.onError);
    });
    return { kind: consumer.kind, rtpParameters: consumer.rtpParameters, paused: consumer.producerPaused, ...origin };
  }

  #releaseWhenUnused(room: PipedRoom, producer: types.Producer, origin: string): void {
    let idleSince: number | undefined;
    const timer = setInterval(
      () => {
        if (producer.closed) return stop();
        if (room.consumerCount(producer.id) > 0) idleSince = undefined;
        else if (idleSince === undefined) idleSince = Date.now();
        else if (Date.now() - idleSince >= this.#options.unusedAfterMs) {
          producer.close();
          this.#link.notify(origin, pipeMethods.release, { meetingId: room.id, producerId: producer.id }).catch(this.#options.onError);
          stop();
        }
      },
      Math.max(100, this.#options.unusedAfterMs / 4),
    );
    const stop = () => {
      clearInterval(timer);
      this.#unusedTimers.delete(timer);
    };
    timer.unref();
    this.#unusedTimers.add(timer);
    producer.observer.on('close', stop);
  }

  #createEnd(room: PipedRoom): Promise<types.PipeTransport> {
    return room.homeRouter.createPipeTransport({
      listenInfo: this.#options.listenInfo(),
      enableSrtp: this.#options.enableSrtp,
      enableRtx: true,
    });
  }

  #endOf(meetingId: string, transport: types.PipeTransport): PipeEnd {
    const { localAddress, localPort } = transport.tuple;
    return { meetingId, ip: localAddress, port: localPort, srtpParameters: transport.srtpParameters };
  }

  async #room(meetingId: string): Promise<PipedRoom> {
    const room = await this.#rooms(meetingId);
    if (!room) throw new MediaNotFoundError('room', meetingId);
    return room;
  }

  async #imported({ meetingId, producerId }: { meetingId: string; producerId: string }): Promise<types.Producer | undefined> {
    return this.#imports.get(key(meetingId, producerId))?.catch(() => undefined);
  }
}
