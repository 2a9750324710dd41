import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { LoginThrottledError } from './authErrors.js';

export interface LoginThrottleOptions {
  /**
   * Failed sign-ins to one account from one address before that pair is blocked (a success starts the count
   * again). Per pair, so failures aimed at an account from one place do not lock its owner out elsewhere.
   */
  failuresPerAccount: number;
  /** Failed sign-ins from one address, whatever the account, before it is blocked. */
  failuresPerAddress: number;
  /** How long the failures are counted, and how long a block lasts. */
  blockSeconds: number;
}

/**
 * Brute-force protection for password sign-in and password change (rate-limiter-flexible's login pattern):
 * failures are counted per account and address pair, and per address; once either count is reached, that
 * account from that address (or anything from that address) is refused, right password or not, until the
 * block ends. The account's owner, elsewhere, still signs in: an attacker cannot aim a lockout at the chair.
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
    const [account, from] = await Promise.all([this.#byAccount.get(pairKey(username, address)), this.#byAddress.get(address)]);
    const blocked = [
      { state: account, limit: this.#byAccount.points },
      { state: from, limit: this.#byAddress.points },
    ].filter(({ state, limit }) => state !== null && state.consumedPoints >= limit);
    if (blocked.length > 0) throw new LoginThrottledError(Math.ceil(Math.max(...blocked.map(({ state }) => state!.msBeforeNext)) / 1000));
  }

  async failed(username: string, address: string): Promise<void> {
    await Promise.all([consume(this.#byAccount, pairKey(username, address)), consume(this.#byAddress, address)]);
  }

  /** The pair's count of consecutive failures starts again; the address's does not (it may try many accounts). */
  async succeeded(username: string, address: string): Promise<void> {
    await this.#byAccount.delete(pairKey(username, address));
  }
}

const pairKey = (username: string, address: string) => `${username.trim().toLowerCase()}|${address}`;

/** Counts one failure; reaching the limit rejects with a RateLimiterRes, which is the block itself, not an error. */
async function consume(limiter: RateLimiterMemory, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
  }
}
