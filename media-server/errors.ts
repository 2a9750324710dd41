import { HubError } from '../errors/index.js';
import type { MessageKey, Said } from '../shared/messages/index.js';

/** Raised when a peer, transport, producer or consumer id does not belong to the caller. */
export class MediaNotFoundError extends HubError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', 'media.gone', { logDetail: { what, id } });
  }
}

/**
 * Raised when a request is well formed but the media state refuses it (e.g. incompatible codecs). `detail`
 * is for the log: a page that breaks the protocol's order is told only that the hub could not do it.
 */
export class MediaStateError extends HubError {
  constructor(detail: string, told: Said | MessageKey = 'media.refused') {
    super('MEDIA', told, { logDetail: { detail } });
  }
}

/** Every mediasoup worker is dead and none is replaced yet: a join is refused, and the site retries. */
export class NoLiveWorkerError extends HubError {
  constructor() {
    super('UNAVAILABLE', 'media.noWorker', { ackCode: 'MEDIA_ERROR' });
  }
}

/** A WHIP offer the hub cannot take (not SDP, nothing to send, no codec in common); what it says is why. */
export class SdpOfferError extends HubError {
  constructor(message: Said | MessageKey) {
    super('INVALID', message);
  }
}
