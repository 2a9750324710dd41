import type { types } from 'mediasoup';

/**
 * A meeting's producers piped between its routers (`pipeToRouter`), once per (producer, router) pair,
 * whoever asks first; the others wait for that same pipe.
 */
export class RouterPipes {
  readonly #listenInfo: () => types.TransportListenInfo;
  readonly #pipes = new Map<string, Promise<void>>();

  constructor(listenInfo: () => types.TransportListenInfo) {
    this.#listenInfo = listenInfo;
  }

  async pipe(producerId: string, from: types.Router, to: types.Router): Promise<void> {
    if (from === to) return;
    const key = `${producerId}>${to.id}`;
    let piped = this.#pipes.get(key);
    if (!piped) {
      piped = from.pipeToRouter({ producerId, router: to, listenInfo: this.#listenInfo() }).then(() => undefined);
      this.#pipes.set(key, piped);
      piped.catch(() => this.#pipes.delete(key));
    }
    await piped;
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
