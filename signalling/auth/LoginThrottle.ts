import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { LoginThrottledError } from './errors.js';

export interface LoginThrottleOptions {
  /** Failed sign-ins to one account before it is blocked (a success starts the count again). */
  failuresPerAccount: number;
  /** Failed sign-ins from one address, whatever the account, before it is blocked. */
  failuresPerAddress: number;
  /** How long the failures are counted, and how long a block lasts. */
  blockSeconds: number;
}

/**
 * Brute-force protection for password sign-in (rate-limiter-flexible's login pattern): failures are
 * counted per account and per address; once either count is reached, sign-in with that account or
 * from that address is refused, right password or not, until the block ends.
 */
export class LoginThrottle {
  readonly #byAccount: RateLimiterMemory;
  readonly #byAddress: RateLimiterMemory;

  constructor(options: LoginThrottleOptions) {
    const { blockSeconds } = options;
    this.#byAccount = new RateLimiterMemory({
      keyPrefix: 'account',
      points: options.failuresPerAccount,
      duration: blockSeconds,
      blockDuration: blockSeconds,
    });
    this.#byAddress = new RateLimiterMemory({
      keyPrefix: 'address',
      points: options.failuresPerAddress,
      duration: blockSeconds,
      blockDuration: blockSeconds,
    });
  }

  /** Throws LoginThrottledError while the account or the address is blocked. */
  async check(username: string, address: string): Promise<void> {
    const [account, from] = await Promise.all([this.#byAccount.get(accountKey(username)), this.#byAddress.get(address)]);
    const blocked = [
      { state: account, limit: this.#byAccount.points },
      { state: from, limit: this.#byAddress.points },
    ].filter(({ state, limit }) => state !== null && state.consumedPoints >= limit);
    if (blocked.length > 0) throw new LoginThrottledError(Math.ceil(Math.max(...blocked.map(({ state }) => state!.msBeforeNext)) / 1000));
  }

  async failed(username: string, address: string): Promise<void> {
    await Promise.all([consume(this.#byAccount, accountKey(username)), consume(this.#byAddress, address)]);
  }

  /** The account's count of consecutive failures starts again; the address's does not (it may try many accounts). */
  async succeeded(username: string): Promise<void> {
    await this.#byAccount.delete(accountKey(username));
  }
}

const accountKey = (username: string) => username.trim().toLowerCase();

/** Counts one failure; reaching the limit rejects with a RateLimiterRes, which is the block itself, not an error. */
async function consume(limiter: RateLimiterMemory, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
  }
}
