import { EventEmitter } from 'node:events';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { NoLiveWorkerError } from './errors.js';
import type { PooledWorker, WorkerPoolEvents, WorkerPoolOptions } from './WorkerPoolTypes.js';
import { trackWorkerObjects } from './WorkerObjects.js';

const maxReplaceRetryMs = 30_000;

/**
 * One mediasoup worker per core; a worker that dies is replaced in the same slot, retrying with backoff
 * for as long as starting one fails (the slot takes no peers meanwhile).
 */
export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  readonly #options: WorkerPoolOptions;
  readonly #slots: PooledWorker[] = [];
  #closed = false;
  readonly #retries = new Set<NodeJS.Timeout>();
  /** The worker of the SIP calls' own routers, started when the first call needs it (again after it died). */
  #callWorker?: Promise<types.Worker>;
  /** The calls' worker once it runs (for the metrics). */
  #runningCallWorker?: types.Worker;

  private constructor(options: WorkerPoolOptions) {
    super();
    this.#options = options;
  }

  static async create(options: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    for (let index = 0; index < options.numWorkers; index++) {
      pool.#slots.push(await pool.#spawn(index));
    }
    return pool;
  }

  get size(): number {
    return this.#slots.length;
  }

  get workers(): readonly PooledWorker[] {
    return this.#slots;
  }

  slot(index: number): PooledWorker {
    const slot = this.#slots[index];
    if (!slot) throw new RangeError(`no worker in slot ${index}`);
    return slot;
  }

  /** Workers that can take routers now: a dead one is never handed out, even before its replacement runs. */
  get liveWorkers(): readonly PooledWorker[] {
    return this.#slots.filter(isLiveWorker);
  }

  /**
   * The least loaded live worker (`workLoad`), optionally skipping some (e.g. ones a meeting already uses,
   * when others are left). Throws NoLiveWorkerError while every worker is dead and none has been replaced yet.
   */
  leastLoaded(exclude: ReadonlySet<number> = new Set()): PooledWorker {
    const alive = this.liveWorkers;
    if (alive.length === 0) throw new NoLiveWorkerError();
    const candidates = alive.filter((s) => !exclude.has(s.index));
    const pool = candidates.length > 0 ? candidates : alive;
    return pool.reduce((best, s) => (workLoad(s) < workLoad(best) ? s : best));
  }

  webRtcTransportOptions(slot: PooledWorker): types.WebRtcTransportOptions {
    const common = { enableUdp: true, enableTcp: true, preferUdp: true, initialAvailableOutgoingBitrate: 1_000_000 };
    if (slot.webRtcServer) return { ...common, webRtcServer: slot.webRtcServer };
    const { listenIp: ip, announcedAddress, rtcMinPort: min, rtcMaxPort: max } = this.#options;
    return {
      ...common,
      listenInfos: (['udp', 'tcp'] as const).map((protocol) => ({
        protocol,
        ip,
        announcedAddress,
        portRange: { min, max },
      })),
    };
  }

  /** Where the workers' loopback transports listen (camera ingest, pipes between routers): the same port range. */
  loopbackListenInfo(): types.TransportListenInfo {
    const { rtcMinPort: min, rtcMaxPort: max } = this.#options;
    return { protocol: 'udp', ip: '127.0.0.1', portRange: { min, max } };
  }

  /** Where pipes to other hub nodes listen: the node's own address (announced if behind NAT), the same port range. */
  nodeListenInfo(): types.TransportListenInfo {
    const { listenIp: ip, announcedAddress, rtcMinPort: min, rtcMaxPort: max } = this.#options;
    return { protocol: 'udp', ip, announcedAddress, portRange: { min, max } };
  }

  close(): void {
    this.#closed = true;
    for (const retry of this.#retries) clearTimeout(retry);
    for (const slot of this.#slots) slot.worker.close();
    this.#callWorker?.then(
      (worker) => worker.close(),
      () => undefined,
    );
  }

  async #spawn(index: number): Promise<PooledWorker> {
    const { logLevel = 'warn', webRtcServerPort, listenIp: ip, announcedAddress } = this.#options;
    // every transport names its port range in its listen info (the worker-wide range is deprecated)
    const createWorker = this.#options.createWorker ?? mediasoup.createWorker;
    const worker = await withoutStopOnSignal(() => createWorker({ logLevel, appData: { index } }));
    const slot: PooledWorker = { index, worker, load: 0, objects: trackWorkerObjects(worker) };
    if (webRtcServerPort !== undefined) {
      const port = webRtcServerPort === 0 ? undefined : webRtcServerPort + index;
      try {
        slot.webRtcServer = await worker.createWebRtcServer({
          listenInfos: (['udp', 'tcp'] as const).map((protocol) => ({ protocol, ip, announcedAddress, port })),
        });
      } catch (error) {
        // e.g. the port is still taken: no half-started worker is left running outside the pool
        worker.close();
        throw error;
      }
    }
    worker.on('died', (error) => {
      this.emit('workerDied', index, worker.pid, error);
      this.#replace(index, error);
    });
    return slot;
  }

  /**
   * The worker that holds the SIP calls' own routers, numbered as each far end numbers its codecs. Apart from the
   * meetings' workers because mediasoup pipes a producer between two routers of one worker only under a new id,
   * and a meeting keeps each producer's id on all its routers. Started when first needed, and again after it died
   * (its calls' peers are gone with it: their routers close).
   */
  callWorker(): Promise<types.Worker> {
    if (this.#closed) return Promise.reject(new NoLiveWorkerError());
    if (!this.#callWorker) {
      const { logLevel = 'warn' } = this.#options;
      const createWorker = this.#options.createWorker ?? mediasoup.createWorker;
      const started = withoutStopOnSignal(() => createWorker({ logLevel, appData: { index: 'calls' } }));
      this.#callWorker = started;
      started.then(
        (worker) => {
          if (this.#closed) worker.close();
          this.#runningCallWorker = worker;
          worker.on('died', () => {
            if (this.#callWorker === started) this.#callWorker = undefined;
            if (this.#runningCallWorker === worker) this.#runningCallWorker = undefined;
          });
        },
        () => {
          if (this.#callWorker === started) this.#callWorker = undefined;
        },
      );
    }
    return this.#callWorker;
  }

  /** The calls' worker while it runs (started by the first SIP call; undefined before, and after it died). */
  get runningCallWorker(): types.Worker | undefined {
    const worker = this.#runningCallWorker;
    return worker && !worker.closed && !worker.died ? worker : undefined;
  }

  /** Never rejects: a failed start is reported and retried, so a dying worker cannot take the process down. */
  #replace(index: number, error: Error, retryMs = this.#options.replaceRetryMs ?? 1000): void {
    if (this.#closed) return;
    this.#spawn(index).then(
      (slot) => {
        if (this.#closed) {
          slot.worker.close();
          return;
        }
        this.#slots[index] = slot;
        this.emit('workerReplaced', index, error);
      },
      (startError: unknown) => {
        const cause = startError instanceof Error ? startError : new Error(String(startError));
        this.emit('workerReplaceFailed', index, cause, retryMs);
        const retry = setTimeout(() => {
          this.#retries.delete(retry);
          this.#replace(index, error, Math.min(retryMs * 2, maxReplaceRetryMs));
        }, retryMs);
        this.#retries.add(retry);
      },
    );
  }
}

/**
 * mediasoup closes each worker it creates as soon as the process gets SIGINT or SIGTERM. The hub stops in
 * its own order — sites told and disconnected, presences closed, then the workers (hub/main.ts) —
 * so the listeners the worker added are taken off again.
 */
async function withoutStopOnSignal(create: () => Promise<types.Worker>): Promise<types.Worker> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const worker = await create();
  for (const signal of signals)
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
  return worker;
}

/**
 * What a worker carries, in streams: its live producers and consumers (what it forwards packets for), and
 * for each site placed on it the streams it is about to get (a site's consumers come a moment after its
 * join: during a join storm the count alone would lag behind the placements).
 */
export const workLoad = (slot: PooledWorker): number =>
  slot.objects.producers.size + slot.objects.consumers.size + slot.load * streamsPerJoiningSite;

/** About what a site of a large meeting holds: its camera and microphone, nine videos and three voices. */
const streamsPerJoiningSite = 14;

/**
 * Whether the slot's worker can take routers. mediasoup marks a dying worker closed before it tells its
 * routers (`workerclose`) and itself (`died`), so a dead worker is never handed out, even meanwhile.
 */
export const isLiveWorker = (slot: PooledWorker): boolean => !slot.worker.closed;
