import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loginSchema, roles } from '../../shared/meetings.js';
import { errorSchema } from '../httpErrors.js';
import { bearerToken, requireRole } from './authPlugin.js';
import { InvalidCredentialsError, type AuthService } from './AuthService.js';

const userSchema = z.object({ username: z.string(), displayName: z.string(), role: z.enum(roles), bridgePointCode: z.string().nullable() });

export const authRoutes =
  (auth: AuthService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/auth/login',
      {
        schema: {
          tags: ['auth'],
          summary: 'Sign in; the token goes in `Authorization: Bearer` (REST) and the socket.io handshake `auth.token`',
          body: loginSchema,
          response: { 200: z.object({ token: z.string(), expiresAt: z.string(), user: userSchema }), 401: errorSchema },
        },
      },
      async (request, reply) => {
        try {
          return await auth.login(request.body.username, request.body.password);
        } catch (error) {
          if (error instanceof InvalidCredentialsError)
            return reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message: error.message });
          throw error;
        }
      },
    );

    app.get(
      '/api/auth/me',
      {
        onRequest: requireRole(auth),
        schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: userSchema, 401: errorSchema } },
      },
      async (request) => {
        const { id: _id, ...user } = request.user!;
        return user;
      },
    );

    app.post(
      '/api/auth/logout',
      {
        onRequest: requireRole(auth),
        schema: { tags: ['auth'], summary: 'End this session', response: { 204: z.null(), 401: errorSchema } },
      },
      async (request, reply) => {
        await auth.logout(bearerToken(request.headers.authorization)!);
        return reply.code(204).send(null);
      },
    );
  };
