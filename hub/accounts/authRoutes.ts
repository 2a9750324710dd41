import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changePasswordSchema } from '../../shared/accounts.js';
import { loginSchema, roles } from '../../shared/meetings.js';
import { errorSchema, refusal, sessionCookieName, sessionCookieOptions } from '../http/index.js';
import { said } from '../../shared/messages/index.js';
import type { AuditLog } from '../audit/index.js';
import { PasswordRuleError, type AuthService } from './AuthService.js';
import { AccountDisabledError, InvalidCredentialsError, LoginThrottledError } from './authErrors.js';
import type { LoginThrottle } from './LoginThrottle.js';

const userSchema = z.object({
  username: z.string(),
  displayName: z.string(),
  role: z.enum(roles),
  bridgePointCode: z.string().nullable(),
  mustChangePassword: z.boolean(),
});

export interface AuthRouteDeps {
  auth: AuthService;
  throttle: LoginThrottle;
  audit: AuditLog;
  /** Requests to the sign-in route per address and minute, whatever their outcome (scrypt costs CPU). */
  loginRequestsPerMinute: number;
  /** The login page says the hub runs with sample accounts. */
  demo: boolean;
}

export const authRoutes =
  ({ auth, throttle, audit, loginRequestsPerMinute, demo }: AuthRouteDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/auth/login',
      {
        config: { access: 'public', rateLimit: { max: loginRequestsPerMinute, timeWindow: 60_000 } },
        schema: {
          tags: ['auth'],
          summary:
            'Sign in. API clients get a token for `Authorization: Bearer` (REST) and the socket.io handshake `auth.token`; the browser app sends `cookie: true` and gets an HttpOnly session cookie instead',
          security: [],
          body: loginSchema,
          response: {
            200: z.object({ token: z.string().optional(), expiresAt: z.string(), user: userSchema }),
            401: errorSchema,
            403: errorSchema,
            429: errorSchema,
          },
        },
      },
      async (request, reply) => {
        const { username, password, cookie } = request.body;
        const address = request.ip;
        try {
          await throttle.check(username, address);
          const signedIn = await auth.login(username, password, address);
          await throttle.succeeded(username, address);
          if (!cookie) return signedIn;
          const { token, ...rest } = signedIn;
          return await reply
            .setCookie(sessionCookieName, token!, sessionCookieOptions(Math.floor(auth.options.absoluteMs / 1000)))
            .send(rest);
        } catch (error) {
          if (error instanceof LoginThrottledError) {
            request.log.warn({ username, address, retryAfterSeconds: error.retryAfterSeconds }, 'sign-in refused: throttled');
            return reply
              .code(429)
              .header('retry-after', String(error.retryAfterSeconds))
              .send(refusal(429, 'Too Many Requests', error.said));
          }
          if (error instanceof InvalidCredentialsError) {
            await throttle.failed(username, address);
            request.log.warn({ username, address }, 'sign-in failed: wrong username or password');
            return reply.code(401).send(refusal(401, 'Unauthorized', error.said));
          }
          if (error instanceof AccountDisabledError) {
            request.log.warn({ username, address }, 'sign-in refused: account disabled');
            return reply.code(403).send(refusal(403, 'Forbidden', error.said));
          }
          throw error;
        }
      },
    );

    app.get(
      '/api/auth/me',
      {
        config: { access: 'signedIn', duringPasswordChange: true },
        schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: userSchema, 401: errorSchema } },
      },
      async (request) => {
        const { id: _id, sessionId: _session, ...user } = request.user!;
        return user;
      },
    );

    app.get(
      '/api/auth/demo',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Whether this hub runs with sample accounts (a demo or test installation): the login page says so',
          security: [],
          response: { 200: z.object({ demo: z.boolean() }) },
        },
      },
      async () => ({ demo }),
    );

    app.post(
      '/api/auth/logout',
      {
        config: { access: 'signedIn', duringPasswordChange: true },
        schema: {
          tags: ['auth'],
          summary: 'End this session (its sockets are disconnected)',
          response: { 204: z.null(), 401: errorSchema },
        },
      },
      async (request, reply) => {
        await auth.logout(request.user!.sessionId);
        return reply.clearCookie(sessionCookieName, sessionCookieOptions(0)).code(204).send(null);
      },
    );

    app.post(
      '/api/auth/password',
      {
        config: { access: 'signedIn', duringPasswordChange: true },
        schema: {
          tags: ['auth'],
          summary: "Change one's own password (the account's other sessions end)",
          body: changePasswordSchema,
          response: { 204: z.null(), 400: errorSchema, 401: errorSchema, 429: errorSchema },
        },
      },
      async (request, reply) => {
        const user = request.user!;
        try {
          // a wrong current password counts as a failed sign-in: a stolen session cannot try passwords at will
          await throttle.check(user.username, request.ip);
          await auth.changePassword(user, request.body.currentPassword, request.body.newPassword);
          await throttle.succeeded(user.username, request.ip);
        } catch (error) {
          if (error instanceof LoginThrottledError)
            return reply
              .code(429)
              .header('retry-after', String(error.retryAfterSeconds))
              .send(refusal(429, 'Too Many Requests', error.said));
          if (error instanceof InvalidCredentialsError) {
            await throttle.failed(user.username, request.ip);
            return reply.code(400).send(refusal(400, 'Bad Request', said('auth.wrongCurrentPassword')));
          }
          if (error instanceof PasswordRuleError) return reply.code(400).send(refusal(400, 'Bad Request', error.said));
          throw error;
        }
        await audit.record(user, 'password.change', `user:${user.username}`, undefined, request.ip);
        return reply.code(204).send(null);
      },
    );
  };
