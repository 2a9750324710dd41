import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../shared/meetings.js';
import type { AuthenticatedUser, AuthService } from '../accounts/index.js';
import { fromOwnOrigin } from './ownOrigin.js';
import { bearerToken, sessionToken } from './sessionCookie.js';
import { HubError } from '../../errors/index.js';
import { said } from '../../shared/messages/index.js';
import { refusal, saidRoles } from './httpErrors.js';

/**
 * Who may call a route, declared on the route itself (`config: { access }`):
 * - `'public'`: anyone (sign-in, health; /metrics checks its own token);
 * - `'signedIn'`: any signed-in account;
 * - `'ingestToken'`: an encoder with its feed's own bearer token (WHIP), checked by the route;
 * - a list of roles.
 */
export type Access = 'public' | 'signedIn' | 'ingestToken' | readonly Role[];

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
  /** Allowed while the account must still replace a generated or reset password. */
  duringPasswordChange: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    duringPasswordChange?: boolean;
  }
  interface FastifyRequest {
    user?: AuthenticatedUser;
  }
}

export const only = (...roles: Role[]): readonly Role[] => roles;

const readOnly = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A request another site's page made (Fetch Metadata, else its Origin): a browser says `Sec-Fetch-Site`
 * `same-origin` (or `none`, typed by the user) for the hub's own pages; an older one names its Origin.
 */
function crossSite(request: FastifyRequest, allowedOrigins: readonly string[]): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  return !fromOwnOrigin(request.headers, allowedOrigins);
}

/** Routes under these prefixes must declare their access: a new API route without a rule does not start. */
const guardedPrefixes = ['/api/', '/metrics'];

export class MissingAccessRuleError extends HubError {
  constructor(method: string, url: string) {
    super('INTERNAL', `${method} ${url} declares no access rule (config.access)`);
  }
}

/**
 * Enforces each route's declared access in one onRequest hook (before body validation, so a caller
 * without the role learns nothing else), and keeps the table of every route's rule (the role × route
 * test is generated from it). Register before any route.
 */
export function accessControl(app: FastifyInstance, auth: AuthService, allowedOrigins: readonly string[] = []): RouteAccess[] {
  const table: RouteAccess[] = [];
  app.addHook('onRoute', (route) => {
    if (!guardedPrefixes.some((prefix) => route.url.startsWith(prefix))) return;
    const access = route.config?.access;
    if (access === undefined) throw new MissingAccessRuleError(String(route.method), route.url);
    for (const method of [route.method].flat())
      if (method !== 'HEAD')
        table.push({ method, url: route.url, access, duringPasswordChange: route.config?.duringPasswordChange ?? false });
  });
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const { access, duringPasswordChange } = request.routeOptions.config;
    if (access === undefined || access === 'public' || access === 'ingestToken') return;
    const user = await auth.authenticate(sessionToken(request.headers));
    if (!user) return reply.code(401).send(refusal(401, 'Unauthorized', said('access.signInFirst')));
    // the cookie rides along with any page's request: a change must come from the hub's own pages
    if (!readOnly.has(request.method) && !bearerToken(request.headers.authorization) && crossSite(request, allowedOrigins))
      return reply.code(403).send(refusal(403, 'Forbidden', said('access.crossSite')));
    if (user.mustChangePassword && !duringPasswordChange)
      return reply.code(403).send(refusal(403, 'Forbidden', said('access.passwordChangeRequired')));
    if (access !== 'signedIn' && !access.includes(user.role)) return reply.code(403).send(refusal(403, 'Forbidden', saidRoles(access)));
    request.user = user;
  });
  return table;
}
