/** The part of node-onvif 0.1.7 the gateway uses (the package ships no types). */
declare module 'node-onvif' {
  import type { EventEmitter } from 'node:events';

  export interface OnvifProbeResult {
    urn: string;
    name: string;
    hardware: string;
    location: string;
    types: string[];
    xaddrs: string[];
    scopes: string[];
  }

  export interface OnvifProfile {
    token: string;
    name: string;
    snapshot: string;
    stream: { udp: string; http: string; rtsp: string };
    video: {
      source: { token: string; name: string; bounds: { width: number; height: number; x: number; y: number } } | null;
      encoder: {
        token: string;
        name: string;
        resolution: { width: number; height: number };
        quality: number;
        framerate: number;
        bitrate: number;
        encoding: string;
      } | null;
    };
    ptz: { range: Record<'x' | 'y' | 'z', { min: number; max: number }> };
  }

  export interface OnvifDeviceInformation {
    Manufacturer: string;
    Model: string;
    FirmwareVersion: string;
    SerialNumber: string;
    HardwareId: string;
  }

  export interface OnvifSoapResult {
    data: Record<string, unknown>;
  }

  export interface OnvifPtzService {
    continuousMove(params: {
      ProfileToken: string;
      Velocity: { x: number; y: number; z: number };
      Timeout?: number;
    }): Promise<OnvifSoapResult>;
    stop(params: { ProfileToken: string; PanTilt?: boolean; Zoom?: boolean }): Promise<OnvifSoapResult>;
    getPresets(params: { ProfileToken: string }): Promise<OnvifSoapResult>;
    gotoPreset(params: {
      ProfileToken: string;
      PresetToken: string;
      Speed?: { x: number; y: number; z: number };
    }): Promise<OnvifSoapResult>;
  }

  export class OnvifDevice extends EventEmitter {
    constructor(params: { xaddr?: string; address?: string; user?: string; pass?: string });
    services: { ptz: OnvifPtzService | null; media: unknown; device: unknown; events: { xaddr: string } | null };
    /** The device's clock less ours (ms), from GetSystemDateAndTime at init. */
    time_diff: number;
    init(): Promise<OnvifDeviceInformation>;
    /** Credentials without the constructor's ASCII-only check; every service gets them. */
    setAuth(user: string, pass: string): void;
    user: string;
    pass: string;
    /** Internal: GetCapabilities, which constructs the media, PTZ and events services (see OnvifClient). */
    _getCapabilities(): Promise<void>;
    getInformation(): OnvifDeviceInformation;
    getProfileList(): OnvifProfile[];
    changeProfile(index: number | string): OnvifProfile | null;
    fetchSnapshot(): Promise<{ headers: Record<string, string>; body: Buffer }>;
  }

  interface Onvif {
    OnvifDevice: typeof OnvifDevice;
    startProbe(): Promise<OnvifProbeResult[]>;
    stopProbe(): Promise<void>;
  }

  const onvif: Onvif;
  export default onvif;
}
