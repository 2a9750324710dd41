import { HubError } from '../../errors/index.js';
import { said } from '../../shared/messages/index.js';

export class InvalidCredentialsError extends HubError {
  constructor() {
    super('UNAUTHORIZED', 'auth.wrongCredentials');
  }
}

/** The password was right but an admin disabled the account. */
export class AccountDisabledError extends HubError {
  constructor() {
    super('FORBIDDEN', 'auth.disabled');
  }
}

/** Too many failed sign-ins for this account or from this address. */
export class LoginThrottledError extends HubError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('THROTTLED', said('auth.throttled', { seconds: retryAfterSeconds }));
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
