import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditQuerySchema, createUserSchema, disabledReasons, updateUserSchema, usernameSchema } from '../../shared/accounts.js';
import { roles } from '../../shared/meetings.js';
import { only, errorSchema } from '../http/index.js';
import type { AccountAdmin } from './AccountAdmin.js';
import type { AuditLog } from '../audit/index.js';

const accountSchema = z.object({
  username: z.string(),
  displayName: z.string(),
  role: z.enum(roles),
  bridgePointCode: z.string().nullable(),
  disabled: z.boolean(),
  disabledReason: z.enum(disabledReasons).nullable(),
  mustChangePassword: z.boolean(),
  createdAt: z.string(),
  activeSessions: z.number(),
});
const temporaryPasswordSchema = z.object({ account: accountSchema, temporaryPassword: z.string() });
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
const params = z.object({ username: usernameSchema });
const admins = { access: only('ADMIN') };

/** Accounts (admin) and the audit trail (admin). */
export const accountRoutes =
  ({ accounts, audit }: { accounts: AccountAdmin; audit: AuditLog }): FastifyPluginAsyncZod =>
  async (app) => {
    const actor = (user: { id: number; username: string } | undefined) => user!;
    app.get(
      '/api/users',
      { config: admins, schema: { tags: ['accounts'], summary: 'Every account', response: { 200: z.array(accountSchema), ...errors } } },
      async () => accounts.list(),
    );
    app.post(
      '/api/users',
      {
        config: admins,
        schema: {
          tags: ['accounts'],
          summary: 'Create an account; its one-time password is in the answer (shown once) and must be changed at first sign-in',
          body: createUserSchema,
          response: { 201: temporaryPasswordSchema, ...errors },
        },
      },
      async (request, reply) => reply.code(201).send(await accounts.create(actor(request.user), request.body, request.ip)),
    );
    app.patch(
      '/api/users/:username',
      {
        config: admins,
        schema: {
          tags: ['accounts'],
          summary: "Change an account's name, role or site, or disable it (its sessions end at once)",
          params,
          body: updateUserSchema,
          response: { 200: accountSchema, ...errors },
        },
      },
      async (request) => accounts.update(actor(request.user), request.params.username, request.body, request.ip),
    );
    app.post(
      '/api/users/:username/reset-password',
      {
        config: admins,
        schema: {
          tags: ['accounts'],
          summary: 'A new one-time password for the account (its sessions end at once; it must be changed at sign-in)',
          params,
          response: { 200: temporaryPasswordSchema, ...errors },
        },
      },
      async (request) => accounts.resetPassword(actor(request.user), request.params.username, request.ip),
    );
    app.get(
      '/api/audit',
      {
        config: admins,
        schema: {
          tags: ['accounts'],
          summary: 'The audit trail of administrative actions, newest first (filter by target or action; page back with `before`)',
          querystring: auditQuerySchema,
          response: {
            200: z.array(
              z.object({
                id: z.number(),
                at: z.string(),
                actor: z.string(),
                action: z.string(),
                target: z.string().nullable(),
                detail: z.unknown(),
                address: z.string().nullable(),
              }),
            ),
            ...errors,
          },
        },
      },
      async (request) => audit.list(request.query),
    );
  };
