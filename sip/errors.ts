import { HubError } from '../errors/index.js';
import { said, type MessageKey, type Said } from '../shared/messages/index.js';

/** A far end's session description the hub cannot take (no common codec, no SRTP, no SSRC); the message in Vietnamese. */
export class SessionDescriptionError extends HubError {
  constructor(message: Said | MessageKey) {
    super('MEDIA', message);
  }
}

/** A BFCP message the hub cannot read: `kind` says which error code answers it (RFC 8855 §5.2.6). */
export class BfcpMessageError extends HubError {
  readonly problem: 'parse' | 'length' | 'version';

  constructor(detail: string, kind: 'parse' | 'length' | 'version') {
    super('MEDIA', said('sip.bfcp', { detail }));
    this.problem = kind;
  }
}
