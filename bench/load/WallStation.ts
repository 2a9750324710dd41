import type { WallConsumer } from '../../shared/protocol.js';
import { signIn } from '../signIn.js';
import { HubConnection } from './HubConnection.js';
import { SiteReceiver, type ReceivedStream } from './SiteReceiver.js';
import { SrtpSession } from './SrtpSession.js';

/**
 * A supervision station watching every camera's sub stream at once, as the wall page does, over a
 * load-test PlainTransport. A stream that does not exist yet is watched again on `camera:available`.
 */
export class WallStation {
  readonly receiver = new SiteReceiver();
  readonly streams = new Map<number, ReceivedStream>();
  readonly errors: string[] = [];
  /** Cameras the station knows of, with their status (an H.265 camera is UNSUPPORTED: never transcoded). */
  readonly known = new Map<number, string>();
  #connection?: HubConnection;

  async open(base: string): Promise<void> {
    const connection = await HubConnection.open(base, (await signIn(base, 'giam-sat')).token);
    this.#connection = connection;
    const { routerRtpCapabilities, cameras } = await connection.request('wall:join', {});
    for (const camera of cameras) this.known.set(camera.id, camera.status);
    await connection.request('wall:setRtpCapabilities', { rtpCapabilities: routerRtpCapabilities });
    const transport = await connection.request('wall:createPlainTransport', {});
    const local = new SrtpSession();
    const port = await this.receiver.bind();
    this.receiver.setRemote(new SrtpSession(transport.srtpParameters.keyBase64));
    await connection.request('wall:connectPlainTransport', {
      ip: '127.0.0.1',
      port,
      srtpParameters: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: local.keyBase64 },
    });
    // cameras registered after the station opened (the hub registers its 37 as it starts) are watched too
    connection.socket.on('camera:status', (camera) => {
      this.known.set(camera.id, camera.status);
      this.#watch(camera.id).catch((error: unknown) => this.errors.push(String(error)));
    });
    connection.socket.on('camera:available', ({ cameraId, profile }) => {
      if (profile === 'sub') this.#watch(cameraId).catch((error: unknown) => this.errors.push(String(error)));
    });
    await Promise.all(cameras.map((camera) => this.#watch(camera.id)));
  }

  /** Cameras whose stream the hub can forward. */
  get playable(): number {
    return [...this.known.values()].filter((status) => status !== 'UNSUPPORTED').length;
  }

  /** Streams that have delivered a whole key frame. */
  get playing(): number {
    return [...this.streams.values()].filter((s) => s.firstKeyFrameAt !== undefined).length;
  }

  close(): void {
    this.#connection?.close();
    this.receiver.close();
  }

  async #watch(cameraId: number): Promise<void> {
    if (this.streams.has(cameraId)) return;
    const connection = this.#connection!;
    const { consumer }: { consumer: WallConsumer | null } = await connection.request('wall:watch', { cameraId, profile: 'sub' });
    if (!consumer || this.streams.has(cameraId)) return;
    const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
    if (ssrc === undefined) throw new Error('a camera consumer without an SSRC');
    this.streams.set(cameraId, this.receiver.expect(ssrc, 'H264'));
    await connection.request('wall:resume', { consumerId: consumer.consumerId });
  }
}
