import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Role } from '../../shared/meetings.js';
import type { AuthService, AuthenticatedUser } from './AuthService.js';

declare module 'fastify' {
  interface FastifyRequest {
    user?: AuthenticatedUser;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer (\S+)$/.exec(header ?? '');
  return match?.[1];
}

/** An onRequest hook that (runs before body validation, so callers without the role learn nothing else) lets through signed-in users holding one of `roles` (any role when empty). */
export function requireRole(auth: AuthService, ...roles: Role[]): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = await auth.authenticate(bearerToken(request.headers.authorization));
    if (!user) return reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message: 'sign in first' });
    if (roles.length > 0 && !roles.includes(user.role)) {
      return reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: `needs role ${roles.join(' or ')}` });
    }
    request.user = user;
  };
}
