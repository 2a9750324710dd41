/**
 * Accounts, sessions and the audit trail as the REST API presents them: the admin pages and
 * integrators script against these names.
 */
import { z } from 'zod';
import { roles, type Role } from './meetings.js';

export const usernameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'validation.username');

/** At least 10 characters; not the username; not a known sample password. */
export const newPasswordSchema = z.string().min(10).max(256);

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
    .regex(/^[A-Z0-9-]{2,32}$/, 'validation.unitCode')
    .nullable()
    .default(null),
});

export const updateUserSchema = z
  .strictObject({
    displayName: z.string().trim().min(2).max(120).optional(),
    role: z.enum(roles).optional(),
    bridgePointCode: z
      .string()
      .regex(/^[A-Z0-9-]{2,32}$/, 'validation.unitCode')
      .nullable()
      .optional(),
    disabled: z.boolean().optional(),
  })
  .refine((u) => Object.keys(u).length > 0, { message: 'validation.nothingToChange' });

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

/** Every action the audit trail records: the trail shows each in words (`shared/messages`: audit.action.*). */
export const auditActions = [
  'bridgePoint.create',
  'bridgePoint.update',
  'bridgePoint.merge',
  'bridgePoint.retire',
  'bridgePoint.network',
  'bridgePoint.roomSystem',
  'bridgePoint.roomSystemRemove',
  'camera.create',
  'camera.update',
  'camera.delete',
  'camera.clip.export',
  'camera.evidence.lock',
  'camera.evidence.release',
  'camera.bookmark.add',
  'camera.bookmark.remove',
  'camera.view.relearn',
  'camera.staffZone',
  'camera.playback.playlist',
  'camera.playback.segment',
  'meeting.update',
  'meeting.cancel',
  'meeting.output.create',
  'meeting.output.remove',
  'meeting.recording.start',
  'meeting.recording.stop',
  'meeting.recording.download',
  'meeting.ingest.create',
  'meeting.ingest.remove',
  'meeting.roomSystem.call',
  'meeting.roomSystem.hangUp',
  'meeting.dialIn.hangUp',
  'user.create',
  'user.update',
  'user.resetPassword',
  'password.change',
  'import.apply',
  'meeting.agenda.update',
  'meeting.document.upload',
  'meeting.document.remove',
  'meeting.minutes.draft',
  'meeting.minutes.finalize',
] as const;
export type AuditAction = (typeof auditActions)[number];

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
