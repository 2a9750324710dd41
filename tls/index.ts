/** tls/: HTTPS for the hub — its own certificate authority when no certificate is configured, the HTTP redirect. */
export { LocalCertificateAuthority } from './LocalCertificateAuthority.js';
export type { IssuedCertificate, LocalCertificateAuthorityOptions, ServerIdentity } from './LocalCertificateAuthorityTypes.js';
export { serverIdentity } from './serverIdentity.js';
export { hubTlsMaterial, type HubTlsMaterial, type HubTlsSettings } from './hubTls.js';
export { HttpsRedirect } from './HttpsRedirect.js';
export { CertificateError } from './errors.js';
