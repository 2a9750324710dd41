import net from 'node:net';
import { CameraUriRefusedError } from './errors.js';

export type CameraUriKind = 'stream' | 'snapshot' | 'events';

const protocolsOf: Record<CameraUriKind, readonly string[]> = {
  stream: ['rtsp:'],
  snapshot: ['http:', 'https:'],
  events: ['http:', 'https:'],
};

/**
 * Where a camera may send the hub: its stream and snapshot URIs come from the device, so a hostile or
 * misconfigured one could point the hub at another service (SSRF), at a local file, or at a host that
 * would then receive the camera's password. A URI must use the kind's protocol (rtsp for streams,
 * http(s) for snapshots and the events service and its subscriptions) and name the camera's own host (its ONVIF address's), or an address in one
 * of the operator's camera subnets (CAMERA_ALLOWED_SUBNETS). User info the device put in it is dropped.
 */
export class CameraUriPolicy {
  readonly #subnets = new net.BlockList();

  /** `allowedSubnets`: CIDR blocks such as "10.20.0.0/16" or "fd00::/8". */
  constructor(allowedSubnets: readonly string[] = []) {
    for (const cidr of allowedSubnets) {
      const [address, prefix] = cidr.split('/');
      const family = net.isIPv6(address ?? '') ? 'ipv6' : 'ipv4';
      this.#subnets.addSubnet(address!, Number(prefix), family);
    }
  }

  /** The URI to use, or CameraUriRefusedError with a short reason code. */
  check(onvifAddress: string, uri: string, kind: CameraUriKind): URL {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw new CameraUriRefusedError('MALFORMED_URI');
    }
    if (!protocolsOf[kind].includes(url.protocol)) throw new CameraUriRefusedError('PROTOCOL_NOT_ALLOWED');
    const cameraHost = hostOf(onvifAddress);
    const host = bareHost(url.hostname);
    if (host !== cameraHost && !this.#inAllowedSubnet(host)) throw new CameraUriRefusedError('HOST_NOT_ALLOWED');
    url.username = '';
    url.password = '';
    return url;
  }

  #inAllowedSubnet(host: string): boolean {
    if (net.isIPv4(host)) return this.#subnets.check(host, 'ipv4');
    if (net.isIPv6(host)) return this.#subnets.check(host, 'ipv6');
    return false;
  }
}

function hostOf(onvifAddress: string): string {
  try {
    return bareHost(new URL(onvifAddress).hostname);
  } catch {
    throw new CameraUriRefusedError('MALFORMED_URI');
  }
}

/** URL keeps IPv6 hosts in brackets; names compare case-insensitively. */
const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, '').toLowerCase();
