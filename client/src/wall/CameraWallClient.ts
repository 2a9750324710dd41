import { EventEmitter } from 'eventemitter3';
import { Device } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import type { CameraDto, RecordingStorageDto, StreamProfile } from '../../../shared/cameras';
import type { ShedStep } from '../../../shared/protocol';
import { SignallingChannel, SignallingRequestError } from '../meeting/SignallingChannel';

export type CameraWallEvents = {
  camerasChanged: [cameras: CameraDto[]];
  /** The recordings disk (null: the hub does not record). */
  storageChanged: [storage: RecordingStorageDto | null];
  /** A stream's track arrived (or went: undefined). */
  trackChanged: [key: string, track: MediaStreamTrack | undefined];
  /**
   * What the hub gives up while its machine runs short (`walls`: new streams wait, tiles out of sight are
   * not watched); empty when it has room.
   */
  shedStepsChanged: [steps: ShedStep[]];
  /** The streams this station waits for: refused while the hub runs short, asked for again once it has room. */
  waitingChanged: [keys: ReadonlySet<string>];
  error: [error: Error];
  /** The session ended (logout elsewhere, expiry, account disabled, password reset). */
  signedOut: [];
};

export const streamKey = (cameraId: number, profile: StreamProfile) => `${cameraId}/${profile}`;

/**
 * A supervision station: one receive transport from the camera router, a consumer per watched
 * stream. A stream that is not pulled yet is asked for again when the server says it is available.
 */
export class CameraWallClient extends EventEmitter<CameraWallEvents> {
  readonly #channel: SignallingChannel;
  #device?: Device;
  #transport?: types.Transport;
  readonly #cameras = new Map<number, CameraDto>();
  readonly #wanted = new Set<string>();
  readonly #consumers = new Map<string, types.Consumer>();
  /** Each stream's watch requests run one after another, so a late answer never overtakes a newer pull. */
  readonly #pending = new Map<string, Promise<void>>();
  readonly #waiting = new Set<string>();
  #shedSteps: ShedStep[] = [];

  constructor() {
    super();
    this.#channel = new SignallingChannel();
    const socket = this.#channel.socket;
    socket.on('auth:signedOut', () => this.emit('signedOut'));
    socket.on('camera:status', (camera) => {
      this.#cameras.set(camera.id, camera);
      this.emit('camerasChanged', this.cameras);
    });
    socket.on('camera:storage', (storage) => this.emit('storageChanged', storage));
    // fresh TURN credentials for the transport's next ICE gathering
    socket.on('ice:servers', ({ iceServers }) => {
      const transport = this.#transport;
      if (transport && !transport.closed)
        transport.updateIceServers({ iceServers }).catch((error: unknown) => console.warn('TURN credentials not renewed', error));
    });
    socket.on('camera:available', ({ cameraId, profile, producerId }) => {
      // A new pull of the camera: the consumer on the old producer shows nothing any more.
      if (this.#wanted.has(streamKey(cameraId, profile))) this.#watchStream(cameraId, profile, producerId);
    });
    socket.on('load:state', ({ steps }) => {
      this.#shedSteps = steps;
      this.emit('shedStepsChanged', steps);
      if (steps.includes('walls')) return;
      // room again: the streams refused meanwhile are asked for once more
      for (const key of [...this.#waiting]) {
        this.#setWaiting(key, false);
        const [cameraId, profile] = key.split('/') as [string, StreamProfile];
        if (this.#wanted.has(key)) this.#watchStream(Number(cameraId), profile);
      }
    });
    socket.on('wall:rejoin', () => {
      this.#rejoin().catch((error: unknown) => this.emit('error', error instanceof Error ? error : new Error(String(error))));
    });
  }

  get cameras(): CameraDto[] {
    return [...this.#cameras.values()];
  }

  async open(): Promise<void> {
    await this.#channel.connect();
    const joined = await this.#channel.request('wall:join', {});
    for (const camera of joined.cameras) this.#cameras.set(camera.id, camera);
    this.emit('camerasChanged', this.cameras);
    this.emit('storageChanged', joined.storage);
    this.#device = new Device();
    await this.#device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as types.RtpCapabilities });
    await this.#openTransport(this.#device);
  }

  async #openTransport(device: Device): Promise<void> {
    await this.#channel.request('wall:setRtpCapabilities', { rtpCapabilities: device.recvRtpCapabilities });
    const params = await this.#channel.request('wall:createTransport', {});
    const transport = device.createRecvTransport({
      ...params,
      iceCandidates: params.iceCandidates as types.IceCandidate[],
      dtlsParameters: params.dtlsParameters as types.DtlsParameters,
    });
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.#channel.request('wall:connectTransport', { dtlsParameters }).then(callback, errback);
    });
    this.#transport = transport;
  }

  /**
   * The wall's router went with its SFU worker and runs again on another: the old transport and its
   * consumers lead nowhere. A new transport on the same connection, then every stream on screen again.
   */
  async #rejoin(): Promise<void> {
    const device = this.#device;
    if (!device) return;
    this.#transport?.close();
    this.#transport = undefined;
    for (const [key, consumer] of this.#consumers) {
      consumer.close();
      this.emit('trackChanged', key, undefined);
    }
    this.#consumers.clear();
    await this.#openTransport(device);
    for (const key of this.#wanted) {
      const [cameraId, profile] = key.split('/') as [string, StreamProfile];
      this.#watchStream(Number(cameraId), profile);
    }
  }

  watch(cameraId: number, profile: StreamProfile): void {
    const key = streamKey(cameraId, profile);
    if (this.#wanted.has(key)) return;
    this.#wanted.add(key);
    this.#watchStream(cameraId, profile);
  }

  unwatch(cameraId: number, profile: StreamProfile): void {
    const key = streamKey(cameraId, profile);
    this.#wanted.delete(key);
    this.#setWaiting(key, false);
    this.#consumers.get(key)?.close();
    this.#consumers.delete(key);
    this.emit('trackChanged', key, undefined);
    // the server also drops a station's streams when it disconnects: a lost unwatch costs nothing
    this.#channel.request('wall:unwatch', { cameraId, profile }).catch(() => undefined);
  }

  ptz(cameraId: number, velocity: { x: number; y: number; z: number }) {
    return this.#channel.request('camera:ptz', { cameraId, ...velocity });
  }

  ptzStop(cameraId: number) {
    return this.#channel.request('camera:ptzStop', { cameraId });
  }

  gotoPreset(cameraId: number, presetToken: string) {
    return this.#channel.request('camera:gotoPreset', { cameraId, presetToken });
  }

  close(): void {
    this.#transport?.close();
    this.#channel.close();
  }

  #setWaiting(key: string, waiting: boolean): void {
    if (waiting === this.#waiting.has(key)) return;
    if (waiting) this.#waiting.add(key);
    else this.#waiting.delete(key);
    this.emit('waitingChanged', new Set(this.#waiting));
  }

  /** `announced`: the producer the server says is current; nothing to do if this station consumes it already. */
  #watchStream(cameraId: number, profile: StreamProfile, announced?: string): void {
    const key = streamKey(cameraId, profile);
    let transport: types.Transport | undefined;
    const next = (this.#pending.get(key) ?? Promise.resolve())
      .then(() => {
        const current = this.#consumers.get(key);
        if (announced && current?.producerId === announced && !current.closed) return;
        transport = this.#transport;
        return this.#consume(cameraId, profile);
      })
      .catch((error: unknown) => {
        // the wall joined again meanwhile (its worker died), and the rejoin watches every stream again
        if (transport !== this.#transport) return;
        // the hub runs short and starts no new pull: the tile waits, and asks again when it has room
        if (error instanceof SignallingRequestError && error.code === 'HUB_BUSY') {
          if (this.#shedSteps.includes('walls')) this.#setWaiting(key, true);
          else this.#watchStream(cameraId, profile);
          return;
        }
        this.emit('error', error instanceof Error ? error : new Error(String(error)));
      })
      .finally(() => {
        if (this.#pending.get(key) === next) this.#pending.delete(key);
      });
    this.#pending.set(key, next);
  }

  /**
   * Consumes the stream's current producer. The server keeps one consumer per stream and station (a
   * new one closes the last), so every offer replaces this station's consumer, even of the same producer.
   */
  async #consume(cameraId: number, profile: StreamProfile): Promise<void> {
    const key = streamKey(cameraId, profile);
    const transport = this.#transport;
    if (!transport || !this.#wanted.has(key)) return;
    const { consumer: offer } = await this.#channel.request('wall:watch', { cameraId, profile });
    if (!offer) return;
    // bench:wall reads these marks: where the time between a click and the first picture goes
    performance.mark(`wall:offered ${key}`);
    const consumer = await transport.consume({
      id: offer.consumerId,
      producerId: offer.producerId,
      kind: 'video',
      rtpParameters: offer.rtpParameters as types.RtpParameters,
    });
    if (!this.#wanted.has(key)) {
      consumer.close();
      return;
    }
    performance.mark(`wall:consumed ${key}`);
    this.#setWaiting(key, false);
    this.#consumers.get(key)?.close();
    this.#consumers.set(key, consumer);
    // the page attaches the track while the server resumes the consumer: the first key frame finds it ready
    this.emit('trackChanged', key, consumer.track);
    await this.#channel.request('wall:resume', { consumerId: consumer.id });
  }
}
