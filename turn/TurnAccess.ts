import { turnCredentials } from './turnCredentials.js';

/** An ICE server as a browser's RTCPeerConnection takes it. */
export interface IceServerInfo {
  urls: string[];
  username: string;
  credential: string;
}

export interface TurnAccessOptions {
  secret: string;
  /** The host in the TURN URLs: an address or name every bridge point reaches, covered by the certificate. */
  host: string;
  port: number;
  /** TURN over TLS; absent when the hub has no certificate (TLS=off). */
  tlsPort?: number;
  /**
   * How long a browser's credentials open new relays (TURN_CREDENTIALS_SECONDS, default 600). A connected
   * page gets fresh ones at half that (`ice:servers`); a relay already open lives on.
   */
  ttlSeconds?: number;
}

const defaultTtlSeconds = 600;

/** Hands each browser the hub's TURN server with credentials of its own (its account, short-lived). */
export class TurnAccess {
  readonly #options: TurnAccessOptions;

  constructor(options: TurnAccessOptions) {
    this.#options = options;
  }

  /** How often a connected page is given fresh credentials: at half their life. */
  get renewEveryMs(): number {
    return ((this.#options.ttlSeconds ?? defaultTtlSeconds) * 1000) / 2;
  }

  iceServers(subject: string, now = new Date()): IceServerInfo[] {
    const { secret, host, port, tlsPort, ttlSeconds = defaultTtlSeconds } = this.#options;
    const { username, credential } = turnCredentials(secret, subject, ttlSeconds, now);
    const target = host.includes(':') ? `[${host}]` : host;
    const urls = [`turn:${target}:${port}?transport=udp`, `turn:${target}:${port}?transport=tcp`];
    if (tlsPort !== undefined) urls.push(`turns:${target}:${tlsPort}?transport=tcp`);
    return [{ urls, username, credential }];
  }
}
