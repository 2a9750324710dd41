import { HubError } from '../errors/index.js';
/** openssl refused or failed: the command's own message is kept. */
export class CertificateError extends HubError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INTERNAL', message, options);
  }
}
