/**
 * How long to wait before rejoining after the signalling connection dropped, or null to give up.
 * Quick first retries (a site's network blips), then a slower cadence, like LiveKit's default policy.
 */
export class ReconnectPolicy {
  readonly #delaysMs: readonly number[];

  constructor(delaysMs: readonly number[] = [0, 300, 1200, 2700, 4800, 7000, 7000, 7000, 7000, 7000]) {
    this.#delaysMs = delaysMs;
  }

  nextRetryDelayMs(attempt: number): number | null {
    return this.#delaysMs[attempt] ?? null;
  }
}
