import type { types } from 'mediasoup';
import { MediaNotFoundError, MediaStateError } from './errors.js';
import { cameraMediaCodecs } from './mediaCodecs.js';
import { consumeDecodable } from './consumeDecodable.js';
import { loadTestTransportOptions, plain, webRtc, type PlainRemote } from './loadTestTransports.js';
import type { CameraIngest, IngestRtp, ViewerAppData } from './CameraHubTypes.js';
import type { WorkerPool } from './WorkerPool.js';
import type { PooledWorker } from './WorkerPoolTypes.js';

interface Viewer {
  /** WebRTC for a station's browser; an SRTP PlainTransport for bench:load's synthetic stations. */
  transport?: types.Transport<ViewerAppData>;
  rtpCapabilities?: types.RtpCapabilities;
  consumers: Map<string, types.Consumer>;
}

/**
 * The camera wall's media: a router fed by PlainTransports (one per camera stream, RTP remuxed by
 * the gateway) and read by supervisors' WebRtcTransports. One ingest serves any number of viewers.
 */
export class CameraHub {
  readonly #pool: WorkerPool;
  readonly #slot: PooledWorker;
  readonly #router: types.Router;
  readonly #viewers = new Map<string, Viewer>();

  private constructor(pool: WorkerPool, slot: PooledWorker, router: types.Router) {
    this.#pool = pool;
    this.#slot = slot;
    this.#router = router;
  }

  static async create(pool: WorkerPool): Promise<CameraHub> {
    const slot = pool.leastLoaded();
    const router = await slot.worker.createRouter({ mediaCodecs: cameraMediaCodecs });
    return new CameraHub(pool, slot, router);
  }

  get routerRtpCapabilities(): types.RtpCapabilities {
    return this.#router.rtpCapabilities;
  }

  /**
   * A PlainTransport + H.264 producer on loopback (the gateway's RTP senders run on this machine);
   * it locks onto the first local sender that sends to it (comedia).
   */
  async createIngest(rtp: IngestRtp): Promise<CameraIngest> {
    const transport = await this.#router.createPlainTransport({
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
        close: () => transport.close(),
      };
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  async createViewerTransport(viewerId: string): Promise<types.WebRtcTransport<ViewerAppData>> {
    return this.#openViewerTransport(viewerId, (appData) =>
      this.#router.createWebRtcTransport<ViewerAppData>({ ...this.#pool.webRtcTransportOptions(this.#slot), appData }),
    );
  }

  /** bench:load's synthetic stations (see `loadTestTransportOptions`). */
  async createViewerLoadTestTransport(viewerId: string): Promise<types.PlainTransport<ViewerAppData>> {
    return this.#openViewerTransport(viewerId, (appData) =>
      this.#router.createPlainTransport<ViewerAppData>({ ...loadTestTransportOptions(this.#pool), appData }),
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
      'the camera stream',
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
    this.#router.close();
  }

  async #openViewerTransport<T extends types.Transport<ViewerAppData>>(
    viewerId: string,
    create: (appData: ViewerAppData) => Promise<T>,
  ): Promise<T> {
    const viewer = this.#viewer(viewerId, true);
    if (viewer.transport) throw new MediaStateError('this viewer already has a transport');
    const transport = await create({ viewerId });
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
