import { fastifyCookie, type CookieSerializeOptions } from '@fastify/cookie';

/** The browser app's session cookie: the token, out of reach of scripts and of other sites' requests. */
export const sessionCookieName = 'hub_session';

export function sessionCookieOptions(maxAgeSeconds: number): CookieSerializeOptions {
  return { path: '/', secure: true, httpOnly: true, sameSite: 'strict', maxAge: maxAgeSeconds };
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer (\S+)$/.exec(header ?? '');
  return match?.[1];
}

/** The session token of a request or a socket.io handshake: `Authorization: Bearer` (API clients), else the cookie. */
export function sessionToken(headers: { authorization?: string; cookie?: string }): string | undefined {
  return bearerToken(headers.authorization) ?? (headers.cookie ? fastifyCookie.parse(headers.cookie)[sessionCookieName] : undefined);
}
