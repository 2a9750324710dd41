import type { CameraProfileDto, DiscoveredCameraDto } from '../shared/cameras.js';
import type { CameraCredentials, GatewayLog, PtzVelocity } from './CameraGatewayTypes.js';
import type { CameraUriPolicy } from './CameraUriPolicy.js';
import { CameraSnapshotError, CameraUnreachableError, CameraUriRefusedError } from './errors.js';
import type { OnvifClient } from './OnvifClient.js';
import { fetchSnapshot, type SnapshotLimits } from './SnapshotFetcher.js';

/** A registered camera as its control needs it: where it answers, with what, and what it can do. */
export interface RegisteredDevice {
  onvifAddress: string;
  /** Decrypted when a request reaches the camera, not before (a refused one never decrypts them). */
  credentials(): CameraCredentials;
  mainProfileToken: string;
  subProfileToken: string;
  snapshotUri: string | null;
  ptz: boolean;
}

export interface CameraControlDeps {
  onvif: OnvifClient;
  /** Where a camera's snapshot URI may point (checked again at each use). */
  uris: CameraUriPolicy;
  log: GatewayLog;
  snapshotLimits?: SnapshotLimits;
  /** A registered camera by id (CameraNotFoundError otherwise). */
  device(cameraId: number): RegisteredDevice;
  /** The ONVIF addresses registered, to mark what discovery finds. */
  registeredAddresses(): Set<string>;
}

/**
 * What an operator asks of a camera itself, not of its streams: its profiles as it describes them now,
 * discovery on the LAN, pan-tilt-zoom and presets, and a still image.
 */
export class CameraControl {
  readonly #deps: CameraControlDeps;

  constructor(deps: CameraControlDeps) {
    this.#deps = deps;
  }

  /** The camera's profiles as it describes them now, and which of them the wall uses. */
  async profiles(cameraId: number): Promise<CameraProfileDto[]> {
    const device = this.#deps.device(cameraId);
    const description = await this.#deps.onvif.describe(device.onvifAddress, device.credentials());
    return description.profiles.map((p) => ({
      token: p.token,
      name: p.name,
      encoding: p.encoding,
      width: p.width,
      height: p.height,
      use: p.token === device.mainProfileToken ? 'main' : p.token === device.subProfileToken ? 'sub' : 'unused',
    }));
  }

  async discover(): Promise<DiscoveredCameraDto[]> {
    const known = this.#deps.registeredAddresses();
    return (await this.#deps.onvif.discover()).map((d) => ({
      name: d.name,
      location: d.location,
      hardware: d.hardware,
      onvifAddress: d.xaddr,
      registered: known.has(d.xaddr),
    }));
  }

  async ptzMove(cameraId: number, velocity: PtzVelocity): Promise<void> {
    const device = this.#ptzDevice(cameraId);
    await this.#deps.onvif.ptzMove(device.onvifAddress, device.credentials(), device.mainProfileToken, velocity);
  }

  async ptzStop(cameraId: number): Promise<void> {
    const device = this.#ptzDevice(cameraId);
    await this.#deps.onvif.ptzStop(device.onvifAddress, device.credentials(), device.mainProfileToken);
  }

  async presets(cameraId: number): Promise<Array<{ token: string; name: string }>> {
    const device = this.#ptzDevice(cameraId);
    return this.#deps.onvif.presets(device.onvifAddress, device.credentials(), device.mainProfileToken);
  }

  async gotoPreset(cameraId: number, presetToken: string): Promise<void> {
    const device = this.#ptzDevice(cameraId);
    await this.#deps.onvif.gotoPreset(device.onvifAddress, device.credentials(), device.mainProfileToken, presetToken);
  }

  /** The camera's still image, from the snapshot URI checked when it was added (and checked again now). */
  async snapshot(cameraId: number): Promise<{ contentType: string; body: Buffer }> {
    const device = this.#deps.device(cameraId);
    if (!device.snapshotUri) throw new CameraSnapshotError('NO_SNAPSHOT');
    try {
      return await fetchSnapshot(
        this.#deps.uris.check(device.onvifAddress, device.snapshotUri, 'snapshot'),
        device.credentials(),
        this.#deps.snapshotLimits,
      );
    } catch (error) {
      const code = error instanceof CameraSnapshotError || error instanceof CameraUriRefusedError ? error.code : 'UNREACHABLE';
      this.#deps.log.warn({ cameraId, code }, 'camera snapshot failed');
      throw error instanceof CameraUriRefusedError ? new CameraSnapshotError(error.code) : error;
    }
  }

  #ptzDevice(cameraId: number): RegisteredDevice {
    const device = this.#deps.device(cameraId);
    if (!device.ptz) throw new CameraUnreachableError(device.onvifAddress, 'noPtz');
    return device;
  }
}
