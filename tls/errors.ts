/** openssl refused or failed: the command's own message is kept. */
export class CertificateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CertificateError';
  }
}
