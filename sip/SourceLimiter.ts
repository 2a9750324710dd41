import type { SourceLimits } from './SipTypes.js';

export const defaultSourceLimits: SourceLimits = { burst: 30, perSecond: 5 };

/** Sources remembered at most: a scan from a whole subnet cannot grow the table without bound. */
const maxSources = 10_000;

interface Bucket {
  tokens: number;
  at: number;
  /** Requests refused since the source last went over, for the log. */
  refused: number;
}

/**
 * A token bucket per source address (not port: a scanner changes ports) for the requests that open a transaction
 * (INVITE, REGISTER, OPTIONS…): a room system's few a minute pass, a flood is answered 503 with a Retry-After
 * (RFC 3261 §21.5.4), which ends its transaction at once instead of holding it.
 */
export class SourceLimiter {
  readonly #limits: SourceLimits;
  readonly #buckets = new Map<string, Bucket>();

  constructor(limits: SourceLimits = defaultSourceLimits) {
    this.#limits = limits;
  }

  /** Takes one request of `address`'s: whether it may go on, and whether it is the first refused of a flood. */
  take(address: string, now = Date.now()): { allowed: boolean; floodStarted: boolean } {
    let bucket = this.#buckets.get(address);
    if (!bucket) {
      if (this.#buckets.size >= maxSources) this.#forgetOldest();
      bucket = { tokens: this.#limits.burst, at: now, refused: 0 };
      this.#buckets.set(address, bucket);
    }
    bucket.tokens = Math.min(this.#limits.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#limits.perSecond);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.refused = 0;
      return { allowed: true, floodStarted: false };
    }
    bucket.refused++;
    return { allowed: false, floodStarted: bucket.refused === 1 };
  }

  /** The sources remembered now. */
  get size(): number {
    return this.#buckets.size;
  }

  /** Forgets the source heard from the longest ago. */
  #forgetOldest(): void {
    let oldest: string | undefined;
    let oldestAt = Infinity;
    for (const [address, bucket] of this.#buckets)
      if (bucket.at < oldestAt) {
        oldest = address;
        oldestAt = bucket.at;
      }
    if (oldest !== undefined) this.#buckets.delete(oldest);
  }
}
