import type { FastifyBaseLogger } from 'fastify';

/**
 * Warns of events sent without an acknowledgement callback (the protocol always acks), at most once
 * per interval for the whole hub, with how many were dropped since: a client flooding such frames
 * must not flood the log too.
 */
export class DroppedEventWarnings {
  readonly #log: FastifyBaseLogger;
  readonly #intervalMs: number;
  #lastWarnedAt = -Infinity;
  #suppressed = 0;

  constructor(log: FastifyBaseLogger, intervalMs = 10_000) {
    this.#log = log;
    this.#intervalMs = intervalMs;
  }

  dropped(event: string, socketId: string, username: string): void {
    const now = Date.now();
    if (now - this.#lastWarnedAt < this.#intervalMs) {
      this.#suppressed++;
      return;
    }
    this.#log.warn(
      { event, socket: socketId, username, alsoDroppedSinceLastWarning: this.#suppressed },
      'event without acknowledgement callback dropped',
    );
    this.#lastWarnedAt = now;
    this.#suppressed = 0;
  }
}
