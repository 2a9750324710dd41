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
/** The worker index the peers on the calls' worker are counted under (it is no slot of the pool). */
const callsWorkerIndex = -1;

/** How many more streams another worker must carry less than the meeting's own before the meeting spreads to it (a pipe costs too). */
const spreadMargin = 200;

export class RoomRouters {
  readonly #pool: WorkerPool;
  readonly #meetingId: string;
  readonly #peersPerRouter: number | undefined;
  readonly #onWorkerLost: (workerIndex: number, router: types.Router) => void;
  readonly #routers = new Map<number, Promise<types.Router>>();
  readonly #peerSlots = new Map<string, PooledWorker>();
  /** Routers of one peer each (a SIP call's: its far end's payload types), closed when it leaves. */
  readonly #ownRouters = new Map<string, types.Router>();
  /** Peers whose own router is being made (released meanwhile: it is closed as soon as it exists). */
  readonly #placing = new Map<string, { released: boolean }>();

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

  /**
   * The peer's router (counted in its worker's load until `release`): the meeting's on the worker chosen; or, with
   * `ownCodecs`, one of the peer's own on the calls' worker, whose payload types are those (a SIP far end's
   * numbering, which the SFU's consumers then send in), piped to the meeting's like any other.
   */
  async place(peerId: string, ownCodecs?: types.RouterRtpCodecCapability[]): Promise<{ router: types.Router; workerIndex: number }> {
    if (ownCodecs) return this.#placeAlone(peerId, ownCodecs);
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

  /** The peer left: its worker carries it no more, and its own router (if any) closes; returns that router's id. */
  release(peerId: string): string | undefined {
    const placing = this.#placing.get(peerId);
    if (placing) placing.released = true;
    const slot = this.#peerSlots.get(peerId);
    if (slot) slot.load--;
    this.#peerSlots.delete(peerId);
    const own = this.#ownRouters.get(peerId);
    own?.close();
    this.#ownRouters.delete(peerId);
    return own?.id;
  }

  /** Whether the peer has a router of its own (on the calls' worker, which several such routers share). */
  hasOwnRouter(peerId: string): boolean {
    return this.#ownRouters.has(peerId);
  }

  /** The worker a peer was placed on. */
  slotOf(peerId: string): PooledWorker {
    const slot = this.#peerSlots.get(peerId);
    if (!slot) throw new MediaNotFoundError('peer', peerId);
    return slot;
  }

  /** A router of the peer's own on the calls' worker (`callsWorkerIndex` in the room's statistics). */
  async #placeAlone(peerId: string, ownCodecs: types.RouterRtpCodecCapability[]): Promise<{ router: types.Router; workerIndex: number }> {
    const placing = { released: false };
    this.#placing.set(peerId, placing);
    try {
      const worker = await this.#pool.callWorker();
      const router = await worker.createRouter({ mediaCodecs: ownCodecs, appData: { meetingId: this.#meetingId, peerId } });
      if (placing.released) {
        router.close();
        throw new MediaNotFoundError('peer', peerId);
      }
      this.#ownRouters.set(peerId, router);
      router.on('workerclose', () => this.#onWorkerLost(callsWorkerIndex, router));
      return { router, workerIndex: callsWorkerIndex };
    } finally {
      this.#placing.delete(peerId);
    }
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
    for (const router of this.#ownRouters.values()) router.close();
    this.#ownRouters.clear();
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
