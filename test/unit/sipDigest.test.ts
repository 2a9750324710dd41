import { createHash } from 'node:crypto';
import type { SipRequest } from 'sip';
import { describe, expect, it } from 'vitest';
import { DigestAuthenticator } from '../../sip/DigestAuthenticator.js';
import { FailureLockout } from '../../sip/FailureLockout.js';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const realm = 'hub.example';
const accounts: Record<string, string> = { 'phonghop-sonv': 'mat-khau-phong-hop' };
const authenticator = () => new DigestAuthenticator(realm, async (username) => accounts[username]);

/** The nonce of a challenge the authenticator wrote into a response. */
function challengeOf(auth: DigestAuthenticator, stale = false) {
  const response = auth.challenge({ status: 401, reason: 'Unauthorized', headers: {} } as never, stale);
  const [header] = response.headers['www-authenticate'] as Array<Record<string, string>>;
  return header!;
}

/** A REGISTER answering `nonce` as RFC 2617 says a room system computes it (qop=auth). */
function answered(nonce: string, options: { password?: string; nc?: string; username?: string } = {}): SipRequest {
  const username = options.username ?? 'phonghop-sonv';
  const nc = options.nc ?? '00000001';
  const uri = 'sip:127.0.0.1';
  const ha1 = md5(`${username}:${realm}:${options.password ?? accounts[username] ?? 'x'}`);
  const response = md5(`${ha1}:${nonce}:${nc}:c0ffee:auth:${md5(`REGISTER:${uri}`)}`);
  return {
    method: 'REGISTER',
    uri,
    headers: {
      authorization: [
        {
          scheme: 'Digest',
          username: `"${username}"`,
          realm: `"${realm}"`,
          nonce: `"${nonce}"`,
          uri: `"${uri}"`,
          response: `"${response}"`,
          algorithm: 'MD5',
          qop: 'auth',
          nc,
          cnonce: '"c0ffee"',
        },
      ],
    },
  } as unknown as SipRequest;
}

describe('digest authentication of room systems (RFC 2617, as a UAS)', () => {
  it('challenges with MD5 and qop=auth, and takes the right answer once per nonce count', async () => {
    const auth = authenticator();
    const challenge = challengeOf(auth);
    expect(challenge).toMatchObject({ scheme: 'Digest', realm: `"${realm}"`, algorithm: 'MD5', qop: '"auth"' });
    const nonce = challenge.nonce!.slice(1, -1);
    expect(await auth.verify({ method: 'REGISTER', uri: 'sip:127.0.0.1', headers: {} } as never)).toEqual({ result: 'missing' });
    expect(await auth.verify(answered(nonce))).toEqual({ result: 'ok', username: 'phonghop-sonv' });
    // the same answer again (a replay), then the next count (its refresh)
    expect((await auth.verify(answered(nonce))).result).toBe('failed');
    expect((await auth.verify(answered(nonce, { nc: '00000002' }))).result).toBe('ok');
  });

  it('refuses a wrong password, an unknown account and a nonce it did not make', async () => {
    const auth = authenticator();
    const nonce = challengeOf(auth).nonce!.slice(1, -1);
    expect(await auth.verify(answered(nonce, { password: 'doan-mo' }))).toEqual({ result: 'failed', username: 'phonghop-sonv' });
    expect((await auth.verify(answered(nonce, { username: 'khong-co' }))).result).toBe('failed');
    const [stamp] = nonce.split('.');
    expect((await auth.verify(answered(`${stamp}.AAAAAAAAAAAAAAAAAAAAAA`))).result).toBe('failed');
    // another hub's nonce (another secret) is no nonce of this one
    const other = challengeOf(authenticator()).nonce!.slice(1, -1);
    expect((await auth.verify(answered(other))).result).toBe('failed');
  });

  it('says a right answer to an old nonce is stale (asked again, not a failure)', async () => {
    const auth = authenticator();
    const nonce = challengeOf(auth).nonce!.slice(1, -1);
    expect(await auth.verify(answered(nonce), Date.now() + 6 * 60_000)).toEqual({ result: 'stale' });
    expect(challengeOf(auth, true).stale).toBe('TRUE');
  });
});

describe('a lockout after too many wrong answers from one source', () => {
  it('locks a source out after its failures within the window, for a while, and no other source', () => {
    const lockout = new FailureLockout({ failures: 3, windowMs: 60_000, lockMs: 300_000 });
    const t0 = 1_000_000;
    expect(lockout.failed('10.0.0.9', t0)).toBe(false);
    expect(lockout.failed('10.0.0.9', t0 + 1000)).toBe(false);
    expect(lockout.isLocked('10.0.0.9', t0 + 1000)).toBe(false);
    expect(lockout.failed('10.0.0.9', t0 + 2000)).toBe(true);
    expect(lockout.isLocked('10.0.0.9', t0 + 2000)).toBe(true);
    expect(lockout.isLocked('10.0.0.8', t0 + 2000)).toBe(false);
    expect(lockout.isLocked('10.0.0.9', t0 + 2000 + 300_000)).toBe(false);
    // failures spread wider than the window never add up to a lockout
    for (let i = 0; i < 10; i++) expect(lockout.failed('10.0.0.7', t0 + i * 40_000)).toBe(false);
  });
});
