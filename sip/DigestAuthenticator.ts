import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SipRequest, SipResponse } from 'sip';
import { calculateDigest, calculateUserRealmPasswordHash } from 'sip/digest.js';
import { z } from 'zod';
import type { AccountLookup } from './SipTypes.js';

/** A nonce is good this long; after it, an answer with it is told `stale` and asked again (not a failure). */
const nonceLifetimeMs = 5 * 60_000;
/** Nonces whose counts (RFC 2617's `nc`) are remembered, against replays; the oldest are forgotten first. */
const maxTrackedNonces = 10_000;

const unquote = (value: string) => (value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value);
const quoted = z.string().transform(unquote);

/** An Authorization header's Digest credentials, as the stack parsed them (values still quoted). */
const credentialsSchema = z.object({
  scheme: z.string().regex(/^digest$/i),
  username: quoted.pipe(z.string().min(1).max(128)),
  realm: quoted,
  nonce: quoted.pipe(z.string().min(1).max(256)),
  uri: quoted.pipe(z.string().min(1).max(1024)),
  response: quoted.pipe(z.string().regex(/^[0-9a-f]{32}$/i)),
  algorithm: quoted.pipe(z.string().regex(/^md5$/i)).optional(),
  qop: quoted.pipe(z.literal('auth')).optional(),
  nc: quoted.pipe(z.string().regex(/^[0-9a-f]{8}$/i)).optional(),
  cnonce: quoted.pipe(z.string().min(1).max(256)).optional(),
});

/** What a request's credentials prove. */
export type DigestOutcome =
  /** none given: challenge it */
  | { result: 'missing' }
  /** given for a nonce too old: challenge again with `stale` (the caller's password was right or not: it was not tried) */
  | { result: 'stale' }
  /** wrong, unknown, replayed or malformed: a failure of its source */
  | { result: 'failed'; username?: string }
  | { result: 'ok'; username: string };

/**
 * RFC 2617/3261 digest authentication as a UAS: the hub's challenges (MD5, qop=auth) and the check of the
 * credentials that answer them. A nonce is the time it was made with an HMAC of the hub's own secret, so a
 * challenge keeps no state and a forged or altered nonce is refused; the nonce counts seen are kept (bounded)
 * so an answer cannot be replayed.
 */
export class DigestAuthenticator {
  readonly #realm: string;
  readonly #lookup: AccountLookup;
  readonly #secret = randomBytes(32);
  /** nonce → the highest `nc` used with it. */
  readonly #counts = new Map<string, number>();

  constructor(realm: string, lookup: AccountLookup) {
    this.#realm = realm;
    this.#lookup = lookup;
  }

  /** The response's challenge (`WWW-Authenticate`, a 401), with a new nonce. */
  challenge(response: SipResponse, stale = false): SipResponse {
    response.headers['www-authenticate'] = [
      {
        scheme: 'Digest',
        realm: `"${this.#realm}"`,
        nonce: `"${this.#nonce(Date.now())}"`,
        algorithm: 'MD5',
        qop: '"auth"',
        ...(stale ? { stale: 'TRUE' } : {}),
      },
    ];
    return response;
  }

  /** Whether `username` names an account (a caller giving it must prove it). */
  async hasAccount(username: string): Promise<boolean> {
    return (await this.#lookup(username)) !== undefined;
  }

  /** Whether the request's credentials (its Authorization header) prove one of the accounts. */
  async verify(request: SipRequest, now = Date.now()): Promise<DigestOutcome> {
    const headers = request.headers.authorization;
    if (!Array.isArray(headers) || headers.length === 0) return { result: 'missing' };
    const parsed = credentialsSchema.safeParse(headers.find((h: { realm?: string }) => unquote(String(h.realm ?? '')) === this.#realm));
    if (!parsed.success) return { result: 'failed' };
    const credentials = parsed.data;
    const issuedAt = this.#issuedAt(credentials.nonce);
    if (issuedAt === undefined) return { result: 'failed', username: credentials.username };
    if ((credentials.qop === undefined) !== (credentials.nc === undefined) || (credentials.qop && !credentials.cnonce))
      return { result: 'failed', username: credentials.username };
    const password = await this.#lookup(credentials.username);
    if (password === undefined) return { result: 'failed', username: credentials.username };
    const expected = calculateDigest({
      ha1: calculateUserRealmPasswordHash(credentials.username, this.#realm, password),
      method: request.method,
      nonce: credentials.nonce,
      nc: credentials.nc,
      cnonce: credentials.cnonce,
      qop: credentials.qop,
      uri: credentials.uri,
    });
    const given = Buffer.from(credentials.response.toLowerCase());
    if (!timingSafeEqual(given, Buffer.from(expected))) return { result: 'failed', username: credentials.username };
    // a right answer to a nonce gone by: asked again, not counted against the caller
    if (now - issuedAt > nonceLifetimeMs) return { result: 'stale' };
    if (credentials.nc !== undefined && !this.#countUp(credentials.nonce, parseInt(credentials.nc, 16)))
      return { result: 'failed', username: credentials.username };
    return { result: 'ok', username: credentials.username };
  }

  #nonce(at: number): string {
    const stamp = at.toString(16);
    return `${stamp}.${createHmac('sha256', this.#secret).update(stamp).digest('base64url').slice(0, 22)}`;
  }

  /** When the hub made the nonce; undefined for one it did not make. */
  #issuedAt(nonce: string): number | undefined {
    const [stamp] = nonce.split('.');
    if (!stamp || !/^[0-9a-f]{1,12}$/.test(stamp)) return undefined;
    const made = this.#nonce(parseInt(stamp, 16));
    const a = Buffer.from(made);
    const b = Buffer.from(nonce);
    return a.length === b.length && timingSafeEqual(a, b) ? parseInt(stamp, 16) : undefined;
  }

  /** A nonce count higher than any seen with the nonce: an answer used once only. */
  #countUp(nonce: string, count: number): boolean {
    const seen = this.#counts.get(nonce);
    if (seen !== undefined && count <= seen) return false;
    this.#counts.delete(nonce);
    this.#counts.set(nonce, count);
    if (this.#counts.size > maxTrackedNonces) this.#counts.delete(this.#counts.keys().next().value!);
    return true;
  }
}
