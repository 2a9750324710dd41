/** Raised when a peer, transport, producer or consumer id does not belong to the caller. */
export class MediaNotFoundError extends Error {
  constructor(what: string, id: string) {
    super(`${what} not found: ${id}`);
    this.name = 'MediaNotFoundError';
  }
}

/** Raised when a request is well formed but the media state refuses it (e.g. incompatible codecs). */
export class MediaStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaStateError';
  }
}

/** Every mediasoup worker is dead and none is replaced yet: a join is refused, and the site retries. */
export class NoLiveWorkerError extends Error {
  constructor() {
    super('no live media worker: the SFU is restarting its workers');
    this.name = 'NoLiveWorkerError';
  }
}

/** A WHIP offer the hub cannot take (not SDP, nothing to send, no codec in common); `message` says why. */
export class SdpOfferError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SdpOfferError';
  }
}
