import onvif, { type OnvifDevice } from 'node-onvif';
import type { CameraCredentials, DiscoveredCamera, OnvifDescription, PtzVelocity } from './CameraGatewayTypes.js';
import { CameraUnreachableError } from './errors.js';

/**
 * node-onvif behind a small typed surface: describe a device (information, profiles, RTSP and
 * snapshot URIs), PTZ on a described device, and WS-Discovery probes. Snapshots are not fetched
 * through node-onvif (it sends the password to whatever host the device names): see SnapshotFetcher.
 */
export class OnvifClient {
  readonly #devices = new Map<string, Promise<OnvifDevice>>();

  async describe(xaddr: string, credentials: CameraCredentials): Promise<OnvifDescription> {
    const device = await this.#device(xaddr, credentials, true);
    const info = device.getInformation();
    return {
      manufacturer: info.Manufacturer,
      model: info.Model,
      serialNumber: info.SerialNumber,
      ptz: device.services.ptz !== null,
      profiles: device.getProfileList().map((p) => ({
        token: p.token,
        name: p.name,
        encoding: p.video.encoder?.encoding ?? 'unknown',
        width: p.video.encoder?.resolution.width ?? 0,
        height: p.video.encoder?.resolution.height ?? 0,
        rtspUri: p.stream.rtsp,
        snapshotUri: p.snapshot,
      })),
    };
  }

  async ptzMove(xaddr: string, credentials: CameraCredentials, profileToken: string, velocity: PtzVelocity): Promise<void> {
    // Stops by itself after 2 s, so a lost "stop" cannot leave the camera turning.
    await (await this.#ptz(xaddr, credentials)).continuousMove({ ProfileToken: profileToken, Velocity: velocity, Timeout: 2 });
  }

  async ptzStop(xaddr: string, credentials: CameraCredentials, profileToken: string): Promise<void> {
    await (await this.#ptz(xaddr, credentials)).stop({ ProfileToken: profileToken, PanTilt: true, Zoom: true });
  }

  async presets(xaddr: string, credentials: CameraCredentials, profileToken: string): Promise<Array<{ token: string; name: string }>> {
    const result = await (await this.#ptz(xaddr, credentials)).getPresets({ ProfileToken: profileToken });
    type Preset = { $: { token: string }; Name?: string };
    const response = result.data.GetPresetsResponse as { Preset?: Preset | Preset[] } | undefined;
    const presets = ([] as Preset[]).concat(response?.Preset ?? []);
    return presets.map((p) => ({ token: p.$.token, name: p.Name ?? p.$.token }));
  }

  async gotoPreset(xaddr: string, credentials: CameraCredentials, profileToken: string, presetToken: string): Promise<void> {
    await (await this.#ptz(xaddr, credentials)).gotoPreset({ ProfileToken: profileToken, PresetToken: presetToken });
  }

  /** Where the device's events service is and its clock's offset, or null when it offers no events. */
  async events(xaddr: string, credentials: CameraCredentials): Promise<{ xaddr: string; timeDiffMs: number } | null> {
    const device = await this.#device(xaddr, credentials);
    const events = device.services.events;
    return events ? { xaddr: events.xaddr, timeDiffMs: device.time_diff } : null;
  }

  /** WS-Discovery: multicast probes, answers collected for ~3 s (node-onvif's window). */
  async discover(): Promise<DiscoveredCamera[]> {
    const found = await onvif.startProbe();
    return found.map((d) => ({
      urn: d.urn,
      name: d.name,
      hardware: d.hardware,
      location: decodeURIComponent(d.location),
      xaddr: d.xaddrs[0]!,
    }));
  }

  forget(xaddr: string): void {
    this.#devices.delete(xaddr);
  }

  async #ptz(xaddr: string, credentials: CameraCredentials) {
    const ptz = (await this.#device(xaddr, credentials)).services.ptz;
    if (!ptz) throw new CameraUnreachableError(xaddr, 'noPtz');
    return ptz;
  }

  #device(xaddr: string, credentials: CameraCredentials, fresh = false): Promise<OnvifDevice> {
    const known = this.#devices.get(xaddr);
    if (known && !fresh) return known;
    const pending = (async () => {
      const device = withUnicodeCredentials(new onvif.OnvifDevice({ xaddr }), credentials);
      await device.init().catch((error: Error) => {
        // the device's words are classified, never passed on
        const trouble = /not ?authori[sz]ed/i.test(error.message) ? 'refusedCredentials' : 'unreachable';
        throw new CameraUnreachableError(xaddr, trouble, error.message);
      });
      return device;
    })();
    this.#devices.set(xaddr, pending);
    pending.catch(() => this.#devices.delete(xaddr));
    return pending;
  }
}

/**
 * WS-Security carries the username as XML text and digests the password's UTF-8 bytes, so an account in
 * Vietnamese is valid ONVIF. node-onvif 0.1.7 checks that both are ASCII wherever a service is constructed
 * (the device at once, media, PTZ and events from GetCapabilities), but its setAuth() does not. So the device
 * and its first service get the credentials by setAuth(), and GetCapabilities builds the other services
 * without them, then setAuth() hands them to every service.
 */
function withUnicodeCredentials(device: OnvifDevice, credentials: CameraCredentials): OnvifDevice {
  const user = escapeXmlText(credentials.username);
  const capabilities = device._getCapabilities.bind(device);
  device._getCapabilities = async () => {
    device.user = '';
    device.pass = '';
    try {
      await capabilities();
    } finally {
      device.setAuth(user, credentials.password);
    }
  };
  device.setAuth(user, credentials.password);
  return device;
}

/** node-onvif writes the username into the SOAP header as it is: `&` and `<` would break the XML. */
function escapeXmlText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
