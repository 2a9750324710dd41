import { HubError } from '../errors/index.js';

/** A far end's session description the hub cannot take (no common codec, no SRTP, no SSRC); the message in Vietnamese. */
export class SessionDescriptionError extends HubError {
  constructor(message: string) {
    super('MEDIA', message);
  }
}
