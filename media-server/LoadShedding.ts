import { EventEmitter } from 'node:events';
import { shedSteps, type ShedStep } from '../shared/protocol.js';
import { cpuDemandNs } from './cpuDemand.js';
import type { LoadSheddingEvents, LoadSheddingOptions } from './LoadSheddingTypes.js';
import { ShedPolicy } from './ShedPolicy.js';
import { isLiveWorker, type WorkerPool } from './WorkerPool.js';

/**
 * Watches the workers' CPU demand every second and gives up, in order, what a meeting can lose when the
 * machine runs short (`shedSteps`), taking it back when load falls. The load read is the busiest worker's:
 * one full worker is enough for its meetings to lose packets.
 */
export class LoadShedding extends EventEmitter<LoadSheddingEvents> {
  readonly #pool: WorkerPool;
  readonly #policy: ShedPolicy;
  readonly #timer: NodeJS.Timeout;
  /** Each worker's last reading, by pid (a replaced worker starts again). */
  readonly #last = new Map<number, { demandNs: number; at: bigint }>();
  #percent = 0;
  #reading = false;
  readonly #taken = Object.fromEntries(shedSteps.map((step) => [step, 0])) as Record<ShedStep, number>;

  constructor(pool: WorkerPool, options: LoadSheddingOptions) {
    super();
    this.#pool = pool;
    this.#policy = new ShedPolicy(options);
    this.#timer = setInterval(() => {
      this.#read().catch((error: unknown) => this.emit('readFailed', asError(error)));
    }, options.intervalMs ?? 1000);
    this.#timer.unref();
  }

  /** The steps taken now; empty while the machine has room. */
  get steps(): readonly ShedStep[] {
    return this.#policy.steps;
  }

  /** The busiest worker's CPU demand at the last reading, percent of a core. */
  get percent(): number {
    return this.#percent;
  }

  /** How many times each step was taken since start. */
  get taken(): Readonly<Record<ShedStep, number>> {
    return this.#taken;
  }

  close(): void {
    clearInterval(this.#timer);
  }

  async #read(): Promise<void> {
    // a reading slower than the interval (a starved machine) is not stacked behind another
    if (this.#reading) return;
    this.#reading = true;
    try {
      const percents: number[] = [];
      const seen = new Set<number>();
      for (const slot of this.#pool.workers.filter(isLiveWorker)) {
        const pid = slot.worker.pid;
        seen.add(pid);
        const demandNs = await cpuDemandNs(pid);
        if (demandNs === undefined) continue;
        const at = process.hrtime.bigint();
        const last = this.#last.get(pid);
        this.#last.set(pid, { demandNs, at });
        if (last) percents.push(((demandNs - last.demandNs) / Number(at - last.at)) * 100);
      }
      for (const pid of this.#last.keys()) if (!seen.has(pid)) this.#last.delete(pid);
      if (percents.length === 0) return;
      this.#percent = Math.max(...percents);
      const before = this.#policy.steps.length;
      if (!this.#policy.observe(this.#percent)) return;
      const steps = this.#policy.steps;
      if (steps.length > before) this.#taken[steps.at(-1)!]++;
      this.emit('changed', steps);
    } finally {
      this.#reading = false;
    }
  }
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));
