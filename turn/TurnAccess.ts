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
  /** How long a browser's credentials hold: a meeting day, so a long session keeps relaying. */
  ttlSeconds?: number;
}

/** Hands each browser the hub's TURN server with credentials of its own (its account, time-limited). */
export class TurnAccess {
  readonly #options: TurnAccessOptions;

  constructor(options: TurnAccessOptions) {
    this.#options = options;
  }

  iceServers(subject: string, now = new Date()): IceServerInfo[] {
    const { secret, host, port, tlsPort, ttlSeconds = 86_400 } = this.#options;
    const { username, credential } = turnCredentials(secret, subject, ttlSeconds, now);
    const target = host.includes(':') ? `[${host}]` : host;
    const urls = [`turn:${target}:${port}?transport=udp`, `turn:${target}:${port}?transport=tcp`];
    if (tlsPort !== undefined) urls.push(`turns:${target}:${tlsPort}?transport=tcp`);
    return [{ urls, username, credential }];
  }
}
