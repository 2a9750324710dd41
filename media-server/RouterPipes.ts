import type { types } from 'mediasoup';

/**
 * A meeting's producers piped between its routers (`pipeToRouter`), once per (producer, router) pair,
 * whoever asks first; the others wait for that same pipe.
 */
export class RouterPipes {
  readonly #listenInfo: () => types.TransportListenInfo;
  /** By (producer, target router): the producer's id in the target. */
  readonly #pipes = new Map<string, Promise<string>>();

  constructor(listenInfo: () => types.TransportListenInfo) {
    this.#listenInfo = listenInfo;
  }

  /**
   * The producer on `to` (piped there once); returns its id there. `newId`: under an id of its own, which mediasoup
   * requires when `to` shares a worker with another router the producer was piped to (the SIP calls' routers).
   */
  async pipe(producerId: string, from: types.Router, to: types.Router, options: { newId?: boolean } = {}): Promise<string> {
    if (from === to) return producerId;
    const key = `${producerId}>${to.id}`;
    let piped = this.#pipes.get(key);
    if (!piped) {
      piped = from
        .pipeToRouter({ producerId, router: to, listenInfo: this.#listenInfo(), keepId: !options.newId })
        .then(({ pipeProducer }) => pipeProducer?.id ?? producerId);
      this.#pipes.set(key, piped);
      piped.catch(() => this.#pipes.delete(key));
    }
    return piped;
  }

  /** A router closed (a peer's own): the pipes into it went with it. */
  forgetRouter(routerId: string): void {
    for (const key of this.#pipes.keys()) if (key.endsWith(`>${routerId}`)) this.#pipes.delete(key);
  }

  /** The producer closed: its pipes went with it. */
  forget(producerId: string): void {
    for (const key of this.#pipes.keys()) if (key.startsWith(`${producerId}>`)) this.#pipes.delete(key);
  }
}
