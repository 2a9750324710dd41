import type { types } from 'mediasoup';
import type { CameraGateway } from '../../camera-gateway/index.js';
import { loadTestTransportInfo, type CameraHub } from '../../media-server/index.js';
import type { ClientToServerEvents, ShedStep } from '../../shared/protocol.js';
import type { AuthenticatedUser } from '../accounts/index.js';
import {
  allowLoadTestTransports,
  transportOptions,
  type Handlers,
  type HubServer,
  type HubSocket,
  type IceAccess,
  SignallingError,
} from '../realtime/index.js';

export type WallEvent = `wall:${string}` | `camera:${string}`;
type WallHandlers = Handlers<Extract<keyof ClientToServerEvents, WallEvent>>;

/** Supervisors (and admins) watch the wall; PTZ is for supervisors only. */
const watchers = new Set(['SUPERVISOR', 'ADMIN']);
const wallChannel = 'camera-wall';

/**
 * The supervision stations' side of the socket: one WebRtcTransport per station, a consumer per
 * watched stream, PTZ commands, and the gateway's status changes pushed to every station.
 */
export class CameraWallSignalling {
  readonly #hub: CameraHub;
  readonly #iceAccess: (user: AuthenticatedUser) => Promise<IceAccess>;
  readonly #gateway: CameraGateway;
  readonly #loadTestTransports: boolean;
  readonly #shedSteps: () => readonly ShedStep[];

  constructor(
    io: HubServer,
    hub: CameraHub,
    gateway: CameraGateway,
    iceAccess: (user: AuthenticatedUser) => Promise<IceAccess>,
    options: { loadTestTransports?: boolean; shedSteps?: () => readonly ShedStep[] } = {},
  ) {
    this.#hub = hub;
    this.#loadTestTransports = options.loadTestTransports ?? false;
    this.#shedSteps = options.shedSteps ?? (() => []);
    this.#iceAccess = iceAccess;
    this.#gateway = gateway;
    gateway.on('status', (camera) => io.to(wallChannel).emit('camera:status', camera));
    gateway.recorder?.on('storage', (storage) => io.to(wallChannel).emit('camera:storage', storage));
    gateway.on('available', (cameraId, profile, producerId) =>
      io.to(wallChannel).emit('camera:available', { cameraId, profile, producerId }),
    );
    hub.on('rebuilt', () => io.to(wallChannel).emit('wall:rejoin', { reason: 'mediaLost' }));
  }

  disconnected(socket: HubSocket): void {
    this.#gateway.unwatchAll(socket.id);
    this.#hub.closeViewer(socket.id);
  }

  readonly handlers: WallHandlers = {
    'wall:join': async (socket) => {
      this.#station(socket);
      await socket.join(wallChannel);
      return {
        routerRtpCapabilities: this.#hub.routerRtpCapabilities,
        cameras: this.#gateway.list(),
        storage: this.#gateway.recorder?.storage ?? null,
      };
    },
    'wall:setRtpCapabilities': async (socket, { rtpCapabilities }) => {
      this.#station(socket);
      this.#hub.setRtpCapabilities(socket.id, rtpCapabilities as types.RtpCapabilities);
      return null;
    },
    'wall:createTransport': async (socket) => {
      this.#station(socket);
      return transportOptions(await this.#hub.createViewerTransport(socket.id), await this.#iceAccess(socket.data.user));
    },
    'wall:connectTransport': async (socket, { dtlsParameters }) => {
      this.#station(socket);
      await this.#hub.connectViewerTransport(socket.id, dtlsParameters as types.DtlsParameters);
      return null;
    },
    'wall:createPlainTransport': async (socket) => {
      this.#station(socket);
      allowLoadTestTransports(this.#loadTestTransports);
      return loadTestTransportInfo(await this.#hub.createViewerLoadTestTransport(socket.id));
    },
    'wall:connectPlainTransport': async (socket, remote) => {
      this.#station(socket);
      allowLoadTestTransports(this.#loadTestTransports);
      await this.#hub.connectViewerLoadTestTransport(socket.id, remote);
      return null;
    },
    'wall:watch': async (socket, { cameraId, profile }) => {
      this.#station(socket);
      // the machine runs short (load shedding's `walls` step): a stream already pulled is shared, a new pull waits
      const short = this.#shedSteps().includes('walls');
      if (short && !this.#gateway.isPulling(cameraId, profile)) throw new SignallingError('HUB_BUSY', 'wall.busy');
      const producerId = this.#gateway.watch(cameraId, profile, socket.id, { warmMain: !short });
      if (!producerId) return { consumer: null };
      const consumer = await this.#hub.consume(socket.id, producerId);
      return { consumer: { consumerId: consumer.id, producerId, rtpParameters: consumer.rtpParameters } };
    },
    'wall:resume': async (socket, { consumerId }) => {
      this.#station(socket);
      await this.#hub.resumeConsumer(socket.id, consumerId);
      return null;
    },
    'wall:unwatch': async (socket, { cameraId, profile }) => {
      this.#station(socket);
      this.#gateway.unwatch(cameraId, profile, socket.id);
      return null;
    },
    'camera:ptz': async (socket, { cameraId, x, y, z }) => {
      this.#supervisor(socket);
      await this.#gateway.control.ptzMove(cameraId, { x, y, z });
      return null;
    },
    'camera:ptzStop': async (socket, { cameraId }) => {
      this.#supervisor(socket);
      await this.#gateway.control.ptzStop(cameraId);
      return null;
    },
    'camera:gotoPreset': async (socket, { cameraId, presetToken }) => {
      this.#supervisor(socket);
      await this.#gateway.control.gotoPreset(cameraId, presetToken);
      return null;
    },
  };

  #station(socket: HubSocket): void {
    if (!watchers.has(socket.data.user.role)) throw new SignallingError('FORBIDDEN', 'wall.onlyStations');
  }

  #supervisor(socket: HubSocket): void {
    if (socket.data.user.role !== 'SUPERVISOR') throw new SignallingError('FORBIDDEN', 'wall.onlySupervisors');
  }
}
