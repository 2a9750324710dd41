import { HubError } from '../errors/index.js';

/** Raised when a peer, transport, producer or consumer id does not belong to the caller. */
export class MediaNotFoundError extends HubError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} not found: ${id}`);
  }
}

/** Raised when a request is well formed but the media state refuses it (e.g. incompatible codecs). */
export class MediaStateError extends HubError {
  constructor(message: string) {
    super('MEDIA', message);
  }
}

/** Every mediasoup worker is dead and none is replaced yet: a join is refused, and the site retries. */
export class NoLiveWorkerError extends HubError {
  constructor() {
    super('UNAVAILABLE', 'no live media worker: the SFU is restarting its workers', { ackCode: 'MEDIA_ERROR' });
  }
}

/** A WHIP offer the hub cannot take (not SDP, nothing to send, no codec in common); `message` says why. */
export class SdpOfferError extends HubError {
  constructor(message: string) {
    super('INVALID', message);
  }
}
