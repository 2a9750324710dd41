/** What a server certificate must be valid for: the names and addresses browsers use to reach the hub. */
export interface ServerIdentity {
  hostNames: string[];
  addresses: string[];
}

/** PEM files on disk, as the HTTPS server and a bridge point's browser need them. */
export interface IssuedCertificate {
  /** The local CA's certificate: what a bridge-point PC trusts once (GET /ca.crt). */
  caCertFile: string;
  certFile: string;
  keyFile: string;
  /** When the server certificate stops being valid; it is reissued at start-up well before. */
  validTo: Date;
}

export interface LocalCertificateAuthorityOptions {
  /** Where the CA and server keys and certificates are kept (keys mode 0600). */
  dir: string;
  /** The CA's name as the browser's certificate manager shows it. */
  organisation?: string;
  caValidityDays?: number;
  serverValidityDays?: number;
  /** A server certificate expiring sooner than this is reissued at start-up. */
  renewBeforeDays?: number;
  now?: () => Date;
}
