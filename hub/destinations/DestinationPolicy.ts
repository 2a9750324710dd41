import dns from 'node:dns/promises';
import net from 'node:net';
import os from 'node:os';
import { HubError } from '../../errors/index.js';
import { said, type Said } from '../../shared/messages/index.js';

/** A service of the hub's own: on one of its addresses (`host` undefined) or on another host (Redis, PostgreSQL). */
export interface OwnService {
  host?: string;
  /** A port, or a range of them (the feeds', the media's). */
  ports: [first: number, last: number];
}

export interface DestinationPolicyOptions {
  /** OUTPUT_ALLOWED_SUBNETS or FEED_ALLOWED_SUBNETS: CIDR blocks and host names; empty: anywhere but the hub's own services. */
  allowed: readonly string[];
  /** Read at each check (the HTTP port is known once the hub listens). */
  ownServices: () => OwnService[];
}

const defaultPorts: Record<string, number> = { 'rtmp:': 1935, 'rtmps:': 443, 'rtsp:': 554, 'sip:': 5060 };

/** Where an output may be pushed, or an RTSP feed pulled from, refused; `message` in Vietnamese, naming no secret. */
export class DestinationRefusedError extends HubError {
  constructor(message: Said) {
    super('INVALID', message);
  }
}

/**
 * Where the hub may send a meeting's program or pull a feed from. Never to one of its own services:
 * its HTTP and TURN ports, its feeds' and media ports on its own addresses, nor its Redis and database.
 * The destination's error would otherwise make the hub a port scanner of itself. When the operator lists
 * subnets or host names, only those. A host name is resolved, and every address it gives must pass.
 */
export class DestinationPolicy {
  readonly #subnets = new net.BlockList();
  readonly #hostNames: Set<string>;
  readonly #options: DestinationPolicyOptions;

  constructor(options: DestinationPolicyOptions) {
    this.#options = options;
    this.#hostNames = new Set();
    for (const entry of options.allowed) {
      const [address, prefix] = entry.split('/');
      if (prefix !== undefined && net.isIP(address ?? ''))
        this.#subnets.addSubnet(address!, Number(prefix), net.isIPv6(address!) ? 'ipv6' : 'ipv4');
      else this.#hostNames.add(entry.toLowerCase());
    }
  }

  /** Resolves the URL's host; throws DestinationRefusedError when the destination is not allowed. */
  async check(url: URL): Promise<void> {
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const port = url.port ? Number(url.port) : defaultPorts[url.protocol];
    let addresses: string[];
    try {
      addresses = net.isIP(host) ? [host] : (await dns.lookup(host, { all: true })).map((a) => a.address);
    } catch {
      throw new DestinationRefusedError(said('destination.unknownHost', { host }));
    }
    if (port !== undefined && addresses.some((address) => this.#isOwnService(address, port)))
      throw new DestinationRefusedError(said('destination.ownService', { host, port }));
    if (this.#options.allowed.length === 0 || this.#hostNames.has(host)) return;
    if (!addresses.every((address) => this.#subnets.check(address, net.isIPv6(address) ? 'ipv6' : 'ipv4')))
      throw new DestinationRefusedError(said('destination.notAllowed', { host }));
  }

  #isOwnService(address: string, port: number): boolean {
    const local = isOwnAddress(address);
    return this.#options
      .ownServices()
      .some(
        (service) =>
          port >= service.ports[0] && port <= service.ports[1] && (service.host === undefined ? local : sameHost(service.host, address)),
      );
  }
}

/** Loopback, the unspecified address, or one of this machine's interfaces. */
function isOwnAddress(address: string): boolean {
  const bare = address.replace(/^::ffff:/, '');
  if (bare.startsWith('127.') || bare === '::1' || bare === '0.0.0.0' || bare === '::') return true;
  return Object.values(os.networkInterfaces()).some((nics) => nics?.some((nic) => nic.address === bare));
}

function sameHost(serviceHost: string, address: string): boolean {
  const host = serviceHost.replace(/^\[|\]$/g, '').toLowerCase();
  return host === address || (host === 'localhost' && isOwnAddress(address)) || (isOwnAddress(host) && isOwnAddress(address));
}
