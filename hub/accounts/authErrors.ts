import { HubError } from '../../errors/index.js';

export class InvalidCredentialsError extends HubError {
  constructor() {
    super('UNAUTHORIZED', 'wrong username or password');
  }
}

/** The password was right but an admin disabled the account. */
export class AccountDisabledError extends HubError {
  constructor() {
    super('FORBIDDEN', 'this account is disabled: ask the hub’s admin');
  }
}

/** Too many failed sign-ins for this account or from this address. */
export class LoginThrottledError extends HubError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('THROTTLED', `too many failed sign-ins: try again in ${retryAfterSeconds} s`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
