import type { FastifyReply } from 'fastify';
import { said } from '../../shared/messages/index.js';
import { refusal } from './httpErrors.js';

/** How long a refused download is told to wait before asking again. */
const retryAfterSeconds = 30;

/**
 * The exports that cost the machine most (a clip cut and hashed, a meeting recording joined into one MP4,
 * each then streamed): at most `slots` at once across the hub, so a burst of downloads cannot take the
 * disk and the CPU from the meetings. A slot is held from the cut until its file is sent (or the
 * transfer drops); one asked for while all are taken is refused with 503 and Retry-After, in Vietnamese.
 */
export class HeavyExports {
  readonly slots: number;
  #taken = 0;

  constructor(slots: number) {
    this.slots = slots;
  }

  /** A slot, released by the returned function (once); undefined when all are taken (answer with `refuse`). */
  acquire(): (() => void) | undefined {
    if (this.#taken >= this.slots) return undefined;
    this.#taken++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#taken--;
    };
  }

  /** The answer to an export asked for while every slot is taken. */
  refuse(reply: FastifyReply): FastifyReply {
    return reply
      .code(503)
      .header('retry-after', String(retryAfterSeconds))
      .send(refusal(503, 'Service Unavailable', said('access.exportsBusy', { slots: this.slots, seconds: retryAfterSeconds })));
  }
}
