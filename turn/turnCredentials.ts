import { createHmac } from 'node:crypto';

/** A browser's TURN login, valid until `expiresAt` (the TURN REST API scheme coturn checks with its shared secret). */
export interface TurnCredentials {
  username: string;
  credential: string;
  expiresAt: Date;
}

/**
 * Time-limited credentials derived from the secret shared with coturn (`use-auth-secret`): the user name is
 * `<expiry as Unix seconds>:<who>`, the password base64(HMAC-SHA1(secret, user name)). Nothing is stored;
 * coturn recomputes the password and refuses it after the expiry.
 */
export function turnCredentials(secret: string, subject: string, ttlSeconds: number, now = new Date()): TurnCredentials {
  const expiry = Math.floor(now.getTime() / 1000) + ttlSeconds;
  const username = `${expiry}:${subject}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt: new Date(expiry * 1000) };
}
