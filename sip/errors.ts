import { HubError } from '../errors/index.js';

/** A far end's session description the hub cannot take (no common codec, no SRTP, no SSRC); the message in Vietnamese. */
export class SessionDescriptionError extends HubError {
  constructor(message: string) {
    super('MEDIA', message);
  }
}

/** A BFCP message the hub cannot read: `kind` says which error code answers it (RFC 8855 §5.2.6). */
export class BfcpMessageError extends HubError {
  readonly problem: 'parse' | 'length' | 'version';

  constructor(message: string, kind: 'parse' | 'length' | 'version') {
    super('MEDIA', message);
    this.problem = kind;
  }
}
