import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
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

/** A preHandler that lets through signed-in users holding one of `roles` (any role when empty). */
export function requireRole(auth: AuthService, ...roles: Role[]): preHandlerAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = await auth.authenticate(bearerToken(request.headers.authorization));
    if (!user) return reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message: 'sign in first' });
    if (roles.length > 0 && !roles.includes(user.role)) {
      return reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: `needs role ${roles.join(' or ')}` });
    }
    request.user = user;
  };
}
