import type { types } from 'mediasoup';
import { MediaNotFoundError } from './errors.js';
import { meetingMediaCodecs } from './mediaCodecs.js';
import { isLiveWorker, workLoad, type WorkerPool } from './WorkerPool.js';
import type { PooledWorker } from './WorkerPoolTypes.js';

/**
 * Where a meeting's peers go on this node: its routers, one per worker it uses. A new peer goes to the
 * least loaded of the meeting's routers, unless another worker carries clearly less (`spreadMargin`
 * streams): then the meeting spreads there, piped as before. A small meeting stays on one router (no
 * pipes); a large one ends up spread over the workers by what each carries, the camera wall and the other
 * meetings included. `peersPerRouter`, when set, also caps a router's peers of the meeting.
 */
/** How many more streams another worker must carry less than the meeting's own before the meeting spreads to it (a pipe costs too). */
const spreadMargin = 200;

export class RoomRouters {
  readonly #pool: WorkerPool;
  readonly #meetingId: string;
  readonly #peersPerRouter: number | undefined;
  readonly #onWorkerLost: (workerIndex: number, router: types.Router) => void;
  readonly #routers = new Map<number, Promise<types.Router>>();
  readonly #peerSlots = new Map<string, PooledWorker>();

  constructor(
    pool: WorkerPool,
    options: { meetingId: string; peersPerRouter?: number },
    onWorkerLost: (workerIndex: number, router: types.Router) => void,
  ) {
    this.#pool = pool;
    this.#meetingId = options.meetingId;
    this.#peersPerRouter = options.peersPerRouter;
    this.#onWorkerLost = onWorkerLost;
  }

  /** The peer's router (counted in its worker's load until `release`). */
  async place(peerId: string): Promise<{ router: types.Router; workerIndex: number }> {
    const slot = this.#placeNext();
    slot.load++;
    this.#peerSlots.set(peerId, slot);
    try {
      return { router: await this.routerOn(slot), workerIndex: slot.index };
    } catch (error) {
      this.release(peerId);
      throw error;
    }
  }

  release(peerId: string): void {
    const slot = this.#peerSlots.get(peerId);
    if (slot) slot.load--;
    this.#peerSlots.delete(peerId);
  }

  /** The worker a peer was placed on. */
  slotOf(peerId: string): PooledWorker {
    const slot = this.#peerSlots.get(peerId);
    if (!slot) throw new MediaNotFoundError('peer', peerId);
    return slot;
  }

  routerOn(slot: PooledWorker): Promise<types.Router> {
    let router = this.#routers.get(slot.index);
    if (!router) {
      router = slot.worker.createRouter({ mediaCodecs: meetingMediaCodecs, appData: { meetingId: this.#meetingId } });
      this.#routers.set(slot.index, router);
      router.then(
        (r) =>
          r.on('workerclose', () => {
            this.#routers.delete(slot.index);
            this.#onWorkerLost(slot.index, r);
          }),
        () => this.#routers.delete(slot.index),
      );
    }
    return router;
  }

  close(): void {
    for (const router of this.#routers.values())
      router.then(
        (r) => r.close(),
        () => undefined,
      );
    this.#routers.clear();
  }

  #placeNext(): PooledWorker {
    const counts = new Map<number, number>();
    for (const slot of this.#peerSlots.values()) counts.set(slot.index, (counts.get(slot.index) ?? 0) + 1);
    const cap = this.#peersPerRouter ?? Number.POSITIVE_INFINITY;
    const own = [...this.#routers.keys()]
      .map((index) => this.#pool.slot(index))
      .filter((slot) => isLiveWorker(slot) && (counts.get(slot.index) ?? 0) < cap);
    const ownLeast = own.length > 0 ? own.reduce((a, b) => (workLoad(b) < workLoad(a) ? b : a)) : undefined;
    const fresh = this.#pool.leastLoaded(new Set(this.#routers.keys()));
    if (ownLeast && (this.#routers.has(fresh.index) || workLoad(ownLeast) - workLoad(fresh) <= spreadMargin)) return ownLeast;
    if (!this.#routers.has(fresh.index)) return fresh;
    // Every worker already hosts this meeting and all are full: take the emptiest.
    return this.#pool.slot([...this.#routers.keys()].reduce((a, b) => ((counts.get(a) ?? 0) <= (counts.get(b) ?? 0) ? a : b)));
  }
}
