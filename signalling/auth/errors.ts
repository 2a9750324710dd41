export class InvalidCredentialsError extends Error {
  constructor() {
    super('wrong username or password');
    this.name = 'InvalidCredentialsError';
  }
}

/** The password was right but an admin disabled the account. */
export class AccountDisabledError extends Error {
  constructor() {
    super('this account is disabled: ask the hub’s admin');
    this.name = 'AccountDisabledError';
  }
}

/** Too many failed sign-ins for this account or from this address. */
export class LoginThrottledError extends Error {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(`too many failed sign-ins: try again in ${retryAfterSeconds} s`);
    this.name = 'LoginThrottledError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
