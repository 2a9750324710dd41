import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../hub/accounts/LoginThrottle.js';
import { LoginThrottledError } from '../../hub/accounts/authErrors.js';

const refusal = (throttle: LoginThrottle, username: string, address: string) =>
  throttle.check(username, address).then(
    () => 'let in',
    (error: unknown) => (error instanceof LoginThrottledError ? 'throttled' : String(error)),
  );

describe('sign-in throttling', () => {
  it('blocks an account from the address that kept failing, not from elsewhere; a success starts that count again', async () => {
    const throttle = new LoginThrottle({ failuresPerAccount: 3, failuresPerAddress: 100, blockSeconds: 900 });
    for (let i = 0; i < 2; i++) await throttle.failed('Chu-Toa', '10.0.0.66');
    await throttle.succeeded('chu-toa', '10.0.0.66');
    for (let i = 0; i < 2; i++) await throttle.failed('chu-toa', '10.0.0.66');
    expect(await refusal(throttle, 'chu-toa', '10.0.0.66')).toBe('let in');
    await throttle.failed(' CHU-TOA ', '10.0.0.66');
    // the name as typed, trimmed and in any case, is the same account
    expect(await refusal(throttle, 'chu-toa', '10.0.0.66')).toBe('throttled');
    // the chair, at the province's office, still signs in; another account from the attacker's address too
    expect(await refusal(throttle, 'chu-toa', '10.0.0.5')).toBe('let in');
    expect(await refusal(throttle, 'thu-ky', '10.0.0.66')).toBe('let in');
  });

  it('blocks an address that tries many accounts, whichever it tries next, and says for how long', async () => {
    const throttle = new LoginThrottle({ failuresPerAccount: 10, failuresPerAddress: 4, blockSeconds: 600 });
    for (const username of ['a', 'b', 'c', 'd']) await throttle.failed(username, '10.0.0.66');
    const error = await throttle.check('e', '10.0.0.66').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LoginThrottledError);
    expect((error as LoginThrottledError).retryAfterSeconds).toBeGreaterThan(0);
    expect((error as LoginThrottledError).retryAfterSeconds).toBeLessThanOrEqual(600);
    // a success elsewhere does not lift the address's block
    await throttle.succeeded('e', '10.0.0.66');
    expect(await refusal(throttle, 'e', '10.0.0.66')).toBe('throttled');
    expect(await refusal(throttle, 'e', '10.0.0.7')).toBe('let in');
  });
});
