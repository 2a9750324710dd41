import type { LockoutPolicy } from './SipTypes.js';

export const defaultLockoutPolicy: LockoutPolicy = { failures: 10, windowMs: 10 * 60_000, lockMs: 15 * 60_000 };

/** Sources remembered at most (a scan from a subnet cannot grow the table without bound). */
const maxSources = 10_000;

interface Record {
  failures: number[];
  lockedUntil: number;
}

/**
 * Guessing a password or a PIN costs a source its access: after `failures` wrong answers within `windowMs`, across
 * calls and registrations, it is refused for `lockMs`. A right answer does not wipe the count (a guesser that knows
 * one PIN must not reset its tries on another meeting).
 */
export class FailureLockout {
  readonly #policy: LockoutPolicy;
  readonly #sources = new Map<string, Record>();

  constructor(policy: LockoutPolicy = defaultLockoutPolicy) {
    this.#policy = policy;
  }

  /** A wrong answer of `address`'s: whether this one locked it out. */
  failed(address: string, now = Date.now()): boolean {
    let record = this.#sources.get(address);
    if (!record) {
      if (this.#sources.size >= maxSources) this.#sources.delete(this.#sources.keys().next().value!);
      record = { failures: [], lockedUntil: 0 };
    }
    // kept in the order of their last failure, so the first is the one to forget
    this.#sources.delete(address);
    this.#sources.set(address, record);
    record.failures = record.failures.filter((at) => now - at < this.#policy.windowMs);
    record.failures.push(now);
    if (record.failures.length < this.#policy.failures || now < record.lockedUntil) return false;
    record.lockedUntil = now + this.#policy.lockMs;
    record.failures = [];
    return true;
  }

  isLocked(address: string, now = Date.now()): boolean {
    return (this.#sources.get(address)?.lockedUntil ?? 0) > now;
  }
}
