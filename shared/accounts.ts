/**
 * Accounts, sessions and the audit trail as the REST API presents them: the admin pages and
 * integrators script against these names.
 */
import { z } from 'zod';
import { roles, type Role } from './meetings.js';

export const usernameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'username: 2–64 lower-case letters, digits, ".", "_" or "-"');

/** At least 10 characters; not the username; not a known sample password. */
export const newPasswordSchema = z.string().min(10, 'password: at least 10 characters').max(256, 'password: at most 256 characters');

export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: newPasswordSchema,
});

export const createUserSchema = z.strictObject({
  username: usernameSchema,
  displayName: z.string().trim().min(2).max(120),
  role: z.enum(roles),
  /** The site a BRIDGE_POINT (or a chair) account sits at. */
  bridgePointCode: z
    .string()
    .regex(/^[A-Z0-9-]{2,32}$/, 'bridgePointCode: an upper-case unit code')
    .nullable()
    .default(null),
});

export const updateUserSchema = z
  .strictObject({
    displayName: z.string().trim().min(2).max(120).optional(),
    role: z.enum(roles).optional(),
    bridgePointCode: z
      .string()
      .regex(/^[A-Z0-9-]{2,32}$/, 'bridgePointCode: an upper-case unit code')
      .nullable()
      .optional(),
    disabled: z.boolean().optional(),
  })
  .refine((u) => Object.keys(u).length > 0, { message: 'name at least one field to change' });

export const disabledReasons = ['ADMIN', 'SAMPLE_PASSWORD'] as const;
export type DisabledReason = (typeof disabledReasons)[number];

export interface AccountDto {
  username: string;
  displayName: string;
  role: Role;
  bridgePointCode: string | null;
  disabled: boolean;
  /**
   * Why it is disabled: an admin did it, or it still had a sample password when the hub went into real
   * use (`SEED_SAMPLE_DATA=false`): a password reset enables such an account again. Null when enabled.
   */
  disabledReason: DisabledReason | null;
  mustChangePassword: boolean;
  createdAt: string;
  /** Signed-in sessions that have not expired. */
  activeSessions: number;
}

/** A new account or a reset: the one-time password, shown once to the admin, changed at first sign-in. */
export interface TemporaryPasswordDto {
  account: AccountDto;
  temporaryPassword: string;
}

export interface AuditEntryDto {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: unknown;
  address: string | null;
}

export const auditQuerySchema = z.strictObject({
  /** e.g. "user:xa-01", "bridgePoint:XA-01", "camera:3", "meeting:<id>" */
  target: z.string().max(100).optional(),
  action: z.string().max(60).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Why a signed-in browser was signed out (socket event `auth:signedOut`). */
export const sessionEndReasons = ['logout', 'expired', 'disabled', 'passwordChanged', 'passwordReset', 'accountChanged'] as const;
export type SessionEndReason = (typeof sessionEndReasons)[number];
