/**
 * How long to wait before rejoining after the signalling connection dropped, or null to give up.
 * Quick first retries (a site's network blips), then a slower cadence, like LiveKit's default policy;
 * from the third attempt on a random part of up to `jitterMs` is added, so the sites of a meeting whose
 * hub restarted do not all come back in the same instant.
 */
export class ReconnectPolicy {
  readonly #delaysMs: readonly number[];
  readonly #jitterMs: number;
  readonly #random: () => number;

  constructor(options: { delaysMs?: readonly number[]; jitterMs?: number; random?: () => number } = {}) {
    this.#delaysMs = options.delaysMs ?? [0, 300, 1200, 2700, 4800, 7000, 7000, 7000, 7000, 7000];
    this.#jitterMs = options.jitterMs ?? 1000;
    this.#random = options.random ?? Math.random;
  }

  nextRetryDelayMs(attempt: number): number | null {
    const delay = this.#delaysMs[attempt];
    if (delay === undefined) return null;
    return attempt <= 1 ? delay : delay + Math.floor(this.#random() * this.#jitterMs);
  }
}
