import fs from 'node:fs';
import { LocalCertificateAuthority } from './LocalCertificateAuthority.js';
import { serverIdentity } from './serverIdentity.js';

/** What the HTTPS server is given, and the CA a bridge point downloads when the hub made its own. */
export interface HubTlsMaterial {
  key: Buffer;
  /** The server certificate followed by its chain. */
  cert: Buffer;
  /** The local CA's certificate (GET /ca.crt); absent with a configured certificate. */
  caCertificate?: Buffer;
  validTo?: Date;
}

export interface HubTlsSettings {
  /** An operator's certificate (PEM) and key; the hub's own CA is used when these are not given. */
  certFile?: string;
  keyFile?: string;
  chainFile?: string;
  /** Extra names for the generated certificate (e.g. the hub's name in the province's DNS). */
  hostNames: string[];
  /** Where the generated CA and certificate are kept. */
  dir: string;
}

export function hubTlsMaterial(settings: HubTlsSettings): HubTlsMaterial {
  if (settings.certFile && settings.keyFile) {
    const chain = settings.chainFile ? [fs.readFileSync(settings.chainFile)] : [];
    return {
      key: fs.readFileSync(settings.keyFile),
      cert: Buffer.concat([fs.readFileSync(settings.certFile), Buffer.from('\n'), ...chain]),
    };
  }
  const authority = new LocalCertificateAuthority({ dir: settings.dir });
  const issued = authority.ensure(serverIdentity(settings.hostNames));
  return {
    key: fs.readFileSync(issued.keyFile),
    cert: fs.readFileSync(issued.certFile),
    caCertificate: fs.readFileSync(issued.caCertFile),
    validTo: issued.validTo,
  };
}
