import { seqAfter, type RtpPacket } from './rtp.js';

export interface OrderedPacket {
  packet: RtpPacket;
  /** Packets before this one were lost (or came too late): what was being assembled is incomplete. */
  afterGap: boolean;
}

/**
 * Puts one stream's packets back in sequence order. A packet that is missing is waited for while it may
 * still come (the SFU's retransmission from the site arrives late and out of order), at most `maxHoldMs`
 * or `maxHeld` packets; then the stream goes on after the gap. A packet older than one already passed
 * on is dropped.
 */
export class RtpReorderBuffer {
  readonly #maxHoldMs: number;
  readonly #maxHeld: number;
  readonly #held = new Map<number, { packet: RtpPacket; at: number }>();
  #next: number | undefined;

  constructor(options: { maxHoldMs?: number; maxHeld?: number } = {}) {
    this.#maxHoldMs = options.maxHoldMs ?? 150;
    this.#maxHeld = options.maxHeld ?? 256;
  }

  push(packet: RtpPacket, now = Date.now()): OrderedPacket[] {
    const seq = packet.sequenceNumber;
    this.#next ??= seq;
    if (seqAfter(this.#next, seq) || this.#held.has(seq)) return [];
    this.#held.set(seq, { packet, at: now });
    const out: OrderedPacket[] = [];
    let afterGap = false;
    for (;;) {
      const entry = this.#held.get(this.#next);
      if (entry) {
        this.#held.delete(this.#next);
        out.push({ packet: entry.packet, afterGap });
        afterGap = false;
        this.#next = (this.#next + 1) & 0xffff;
        continue;
      }
      if (this.#held.size === 0 || (this.#held.size <= this.#maxHeld && now - this.#oldestArrival() <= this.#maxHoldMs)) break;
      // the missing packet is given up: go on from the first one held
      this.#next = this.#firstHeld();
      afterGap = true;
    }
    return out;
  }

  reset(): void {
    this.#held.clear();
    this.#next = undefined;
  }

  #oldestArrival(): number {
    let oldest = Infinity;
    for (const { at } of this.#held.values()) oldest = Math.min(oldest, at);
    return oldest;
  }

  #firstHeld(): number {
    let first: number | undefined;
    for (const seq of this.#held.keys()) if (first === undefined || seqAfter(first, seq)) first = seq;
    return first!;
  }
}
