import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CoturnServer } from './CoturnServer.js';
import { TurnAccess } from './TurnAccess.js';

export interface HubTurnSettings {
  /** TURN over UDP and TCP; over TLS on tlsPort. */
  port: number;
  tlsPort: number;
  /** Shared with coturn; generated once under `dir` when not configured. */
  secret?: string;
  relayMinPort: number;
  relayMaxPort: number;
  /** The host name or address in the TURN URLs browsers get. */
  host: string;
  listenIp: string;
  externalIp?: string;
  /** coturn's configuration, database and (when not configured) the shared secret live here. */
  dir: string;
  /** How long a browser's credentials open new relays (TURN_CREDENTIALS_SECONDS). */
  credentialsTtlSeconds: number;
}

/** The shared secret: the configured one, else one generated on first start and kept (mode 0600). */
export function turnSecret(settings: HubTurnSettings): string {
  if (settings.secret) return settings.secret;
  const file = path.join(settings.dir, 'secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(settings.dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/** What browsers are handed: the URLs and credentials of the hub's coturn (TLS only with a certificate). */
export function hubTurnAccess(settings: HubTurnSettings, withTls: boolean): TurnAccess {
  return new TurnAccess({
    secret: turnSecret(settings),
    host: settings.host,
    port: settings.port,
    tlsPort: withTls ? settings.tlsPort : undefined,
    ttlSeconds: settings.credentialsTtlSeconds,
  });
}

/** Starts coturn for the hub, with the hub's certificate and key (written beside its configuration) for TLS. */
export async function startHubTurn(
  settings: HubTurnSettings,
  tls: { cert: Buffer; key: Buffer } | undefined,
  /** The hub's media addresses: the only peers the relay reaches. */
  mediaAddresses: string[],
  log: (line: string) => void,
): Promise<CoturnServer> {
  fs.mkdirSync(settings.dir, { recursive: true, mode: 0o700 });
  const certFile = path.join(settings.dir, 'cert.pem');
  const keyFile = path.join(settings.dir, 'key.pem');
  if (tls) {
    fs.writeFileSync(certFile, tls.cert);
    fs.writeFileSync(keyFile, tls.key, { mode: 0o600 });
    fs.chmodSync(keyFile, 0o600);
  }
  return CoturnServer.start({
    dir: settings.dir,
    secret: turnSecret(settings),
    realm: settings.host,
    listenIp: settings.listenIp,
    externalIp: settings.externalIp,
    port: settings.port,
    tlsPort: settings.tlsPort,
    ...(tls ? { certFile, keyFile } : {}),
    relayMinPort: settings.relayMinPort,
    relayMaxPort: settings.relayMaxPort,
    allowedPeers: mediaAddresses,
    log,
  });
}
