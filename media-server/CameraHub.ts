import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { MediaNotFoundError, MediaStateError } from './errors.js';
import { cameraMediaCodecs } from './mediaCodecs.js';
import { consumeDecodable } from './consumeDecodable.js';
import { loadTestTransportOptions, plain, webRtc, type PlainRemote } from './loadTestTransports.js';
import type { CameraHubEvents, CameraIngest, IngestRtp, ViewerAppData } from './CameraHubTypes.js';
import type { WorkerPool } from './WorkerPool.js';
import type { PooledWorker } from './WorkerPoolTypes.js';

interface Viewer {
  /** WebRTC for a station's browser; an SRTP PlainTransport for bench:load's synthetic stations. */
  transport?: types.Transport<ViewerAppData>;
  rtpCapabilities?: types.RtpCapabilities;
  consumers: Map<string, types.Consumer>;
}

/** The wall's router and the worker slot it lives on. */
interface Placement {
  slot: PooledWorker;
  router: types.Router;
}

/**
 * The camera wall's media: a router fed by PlainTransports (one per camera stream, RTP remuxed by
 * the gateway) and read by supervisors' WebRtcTransports. One ingest serves any number of viewers.
 * When its worker dies the router is made again on a live worker (`rebuilt`): every ingest and viewer
 * transport went with the old one, so the gateway pulls again and the stations join again.
 */
export class CameraHub extends EventEmitter<CameraHubEvents> {
  readonly #pool: WorkerPool;
  #placement: Promise<Placement>;
  /** Kept from the first router: every router is made with the same codecs, so they offer the same. */
  readonly #rtpCapabilities: types.RtpCapabilities;
  readonly #viewers = new Map<string, Viewer>();
  #current?: Placement;
  #closed = false;

  private constructor(pool: WorkerPool, first: Placement) {
    super();
    this.#pool = pool;
    this.#rtpCapabilities = first.router.rtpCapabilities;
    this.#placement = Promise.resolve(this.#watch(first));
  }

  static async create(pool: WorkerPool): Promise<CameraHub> {
    return new CameraHub(pool, await place(pool));
  }

  /** The worker slot the wall's router is on now; undefined while it is being made again. */
  get workerIndex(): number | undefined {
    return this.#current?.slot.index;
  }

  get routerRtpCapabilities(): types.RtpCapabilities {
    return this.#rtpCapabilities;
  }

  /**
   * A PlainTransport + H.264 producer on loopback (the gateway's RTP senders run on this machine);
   * it locks onto the first local sender that sends to it (comedia).
   */
  async createIngest(rtp: IngestRtp): Promise<CameraIngest> {
    const { router } = await this.#placement;
    const transport = await router.createPlainTransport({
      listenInfo: this.#pool.loopbackListenInfo(),
      rtcpMux: false,
      comedia: true,
    });
    try {
      const producer = await transport.produce({
        kind: 'video',
        rtpParameters: {
          codecs: [
            {
              mimeType: 'video/H264',
              clockRate: 90000,
              payloadType: rtp.payloadType,
              parameters: { 'packetization-mode': 1, 'profile-level-id': rtp.profileLevelId, 'level-asymmetry-allowed': 1 },
              rtcpFeedback: [{ type: 'nack', parameter: 'pli' }],
            },
          ],
          encodings: [{ ssrc: rtp.ssrc }],
        },
      });
      // Key frames are few (one per GOP): tracing them costs little, and their timestamps tell
      // whether the picture still moves.
      await producer.enableTraceEvent(['keyframe']);
      return {
        producer,
        port: transport.tuple.localPort,
        rtcpPort: transport.rtcpTuple!.localPort,
        async receivedBytes() {
          if (producer.closed) return 0;
          return (await producer.getStats()).reduce((n, s) => n + s.byteCount, 0);
        },
        onKeyFrame(listener) {
          producer.on('trace', (trace) => {
            const packet = (trace.info as { rtpPacket?: { timestamp?: number } }).rtpPacket;
            if (trace.type === 'keyframe' && typeof packet?.timestamp === 'number') listener(packet.timestamp);
          });
        },
        onLost(listener) {
          // the router went with its worker: the pull has nowhere to send any more
          transport.on('routerclose', listener);
        },
        close: () => transport.close(),
      };
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  async createViewerTransport(viewerId: string): Promise<types.WebRtcTransport<ViewerAppData>> {
    return this.#openViewerTransport(viewerId, ({ slot, router }, appData) =>
      router.createWebRtcTransport<ViewerAppData>({ ...this.#pool.webRtcTransportOptions(slot), appData }),
    );
  }

  /** bench:load's synthetic stations (see `loadTestTransportOptions`). */
  async createViewerLoadTestTransport(viewerId: string): Promise<types.PlainTransport<ViewerAppData>> {
    return this.#openViewerTransport(viewerId, ({ router }, appData) =>
      router.createPlainTransport<ViewerAppData>({ ...loadTestTransportOptions(this.#pool), appData }),
    );
  }

  async connectViewerTransport(viewerId: string, dtlsParameters: types.DtlsParameters): Promise<void> {
    await webRtc(this.#viewerTransport(viewerId)).connect({ dtlsParameters });
  }

  async connectViewerLoadTestTransport(viewerId: string, remote: PlainRemote): Promise<void> {
    await plain(this.#viewerTransport(viewerId)).connect(remote);
  }

  setRtpCapabilities(viewerId: string, rtpCapabilities: types.RtpCapabilities): void {
    this.#viewer(viewerId, true).rtpCapabilities = rtpCapabilities;
  }

  /** A paused consumer of the producer; resume it once the viewer has set it up. */
  async consume(viewerId: string, producerId: string): Promise<types.Consumer> {
    const viewer = this.#viewer(viewerId);
    if (!viewer.transport || !viewer.rtpCapabilities) throw new MediaStateError('create a transport and set capabilities first');
    // one consumer per stream and station: watching a stream again replaces its consumer (a page that
    // lost its track asks again), so a station holds at most one per camera stream however often it asks
    for (const existing of viewer.consumers.values()) if (existing.producerId === producerId) existing.close();
    const consumer = await consumeDecodable(
      viewer.transport,
      { producerId, rtpCapabilities: viewer.rtpCapabilities, paused: true },
      'media.cannotDecodeCamera',
    );
    viewer.consumers.set(consumer.id, consumer);
    consumer.observer.on('close', () => viewer.consumers.delete(consumer.id));
    return consumer;
  }

  async resumeConsumer(viewerId: string, consumerId: string): Promise<void> {
    const consumer = this.#viewer(viewerId).consumers.get(consumerId);
    if (!consumer) throw new MediaNotFoundError('consumer', consumerId);
    await consumer.resume();
  }

  closeConsumer(viewerId: string, consumerId: string): void {
    this.#viewers.get(viewerId)?.consumers.get(consumerId)?.close();
  }

  closeViewer(viewerId: string): void {
    this.#viewers.get(viewerId)?.transport?.close();
    this.#viewers.delete(viewerId);
  }

  close(): void {
    this.#closed = true;
    this.#current?.router.close();
  }

  /** Makes the router again when its worker died (not when the pool closes it on the way out). */
  #watch(placement: Placement): Placement {
    this.#current = placement;
    placement.router.on('workerclose', () => {
      if (this.#closed || !placement.slot.worker.died) return;
      this.#current = undefined;
      // their transports are gone with the router; each station makes a new one when told
      this.#viewers.clear();
      this.emit('routerLost', placement.slot.index);
      this.#placement = this.#rebuild();
      // awaited by every later call; a rebuild ended by close() must not count as unhandled meanwhile
      this.#placement.catch(() => undefined);
    });
    return placement;
  }

  async #rebuild(): Promise<Placement> {
    for (;;) {
      try {
        const placement = this.#watch(await place(this.#pool));
        if (this.#closed) placement.router.close();
        else this.emit('rebuilt', placement.slot.index);
        return placement;
      } catch (error) {
        if (this.#closed) throw error;
        // every worker is dead (or this one died under us): a replacement, or a second, whichever first
        await replacementOrSecond(this.#pool);
      }
    }
  }

  async #openViewerTransport<T extends types.Transport<ViewerAppData>>(
    viewerId: string,
    create: (placement: Placement, appData: ViewerAppData) => Promise<T>,
  ): Promise<T> {
    const placement = await this.#placement;
    const viewer = this.#viewer(viewerId, true);
    if (viewer.transport) throw new MediaStateError('this viewer already has a transport');
    const transport = await create(placement, { viewerId });
    viewer.transport = transport;
    return transport;
  }

  #viewerTransport(viewerId: string): types.Transport<ViewerAppData> {
    const transport = this.#viewer(viewerId).transport;
    if (!transport) throw new MediaNotFoundError('transport', viewerId);
    return transport;
  }

  #viewer(viewerId: string, create = false): Viewer {
    let viewer = this.#viewers.get(viewerId);
    if (!viewer && create) {
      viewer = { consumers: new Map() };
      this.#viewers.set(viewerId, viewer);
    }
    if (!viewer) throw new MediaNotFoundError('viewer', viewerId);
    return viewer;
  }
}

async function place(pool: WorkerPool): Promise<Placement> {
  const slot = pool.leastLoaded();
  return { slot, router: await slot.worker.createRouter({ mediaCodecs: cameraMediaCodecs }) };
}

function replacementOrSecond(pool: WorkerPool): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pool.off('workerReplaced', done);
      resolve();
    };
    const timer = setTimeout(done, 1000);
    pool.on('workerReplaced', done);
  });
}
