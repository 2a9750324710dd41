import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { defaultSamplePassword, hashPassword, verifyPassword, type Db } from '../../prisma/index.js';
import type { SessionEndReason } from '../../shared/accounts.js';
import type { LoginResponse, Role } from '../../shared/meetings.js';
import type { AuthenticatedUser, AuthServiceEvents, AuthServiceOptions } from './AuthServiceTypes.js';
import { AccountDisabledError, InvalidCredentialsError } from './authErrors.js';
import { commonPasswords } from './commonPasswords.js';
import { HubError } from '../../errors/index.js';
import { said, type MessageKey, type Said } from '../../shared/messages/index.js';

export type { AuthenticatedUser } from './AuthServiceTypes.js';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
/** lastUsedAt is written at most this often per session (idle expiry is counted in minutes). */
const touchEveryMs = 60_000;
/** A missing user still costs one scrypt, so timing does not reveal which usernames exist. */
const decoyHash = 'scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAA';

export class PasswordRuleError extends HubError {
  constructor(message: Said | MessageKey) {
    super('INVALID', message);
  }
}

interface UserRow {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  mustChangePassword: boolean;
  bridgePoint: { code: string } | null;
}

/**
 * Password sign-in and sessions. A token is 32 random bytes; only its SHA-256 (the session id) is
 * stored, so the sessions table leaks nothing usable, and sessions survive a restart. A session ends
 * when it is idle too long, at its absolute expiry, at logout, or when its account is disabled or
 * its password changes; `sessionsEnded` tells the sockets signed in with it.
 */
export class AuthService extends EventEmitter<AuthServiceEvents> {
  readonly #prisma: Db;
  readonly #options: AuthServiceOptions;

  constructor(prisma: Db, options: AuthServiceOptions) {
    super();
    this.#prisma = prisma;
    this.#options = options;
  }

  get options(): AuthServiceOptions {
    return this.#options;
  }

  /** Checks the password; throws InvalidCredentialsError (or AccountDisabledError, only to the right password). */
  async verify(username: string, password: string): Promise<UserRow> {
    const user = await this.#prisma.user.findUnique({ where: { username }, include: { bridgePoint: { select: { code: true } } } });
    const valid = await verifyPassword(password, user?.passwordHash ?? decoyHash);
    if (!user || !valid) throw new InvalidCredentialsError();
    if (user.disabledAt) throw new AccountDisabledError();
    return user;
  }

  async login(username: string, password: string, address?: string): Promise<LoginResponse> {
    const user = await this.verify(username, password);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.#options.absoluteMs);
    await this.#prisma.authSession.create({ data: { tokenHash: hashToken(token), userId: user.id, expiresAt, address } });
    return { token, expiresAt: expiresAt.toISOString(), user: toUserDto(user) };
  }

  async authenticate(token: string | undefined): Promise<AuthenticatedUser | null> {
    if (!token || token.length > 100) return null;
    const sessionId = hashToken(token);
    const session = await this.#prisma.authSession.findUnique({
      where: { tokenHash: sessionId },
      include: { user: { include: { bridgePoint: { select: { code: true } } } } },
    });
    const now = Date.now();
    if (!session || session.user.disabledAt || this.#expired(session, now)) return null;
    if (now - session.lastUsedAt.getTime() > touchEveryMs)
      await this.#prisma.authSession.updateMany({ where: { tokenHash: sessionId }, data: { lastUsedAt: new Date(now) } });
    return { id: session.user.id, sessionId, ...toUserDto(session.user) };
  }

  async logout(sessionId: string): Promise<void> {
    await this.#end({ tokenHash: sessionId }, 'logout');
  }

  /** The user's own change: the current password proves it is them; their other sessions end. */
  async changePassword(user: AuthenticatedUser, currentPassword: string, newPassword: string): Promise<void> {
    const row = await this.verify(user.username, currentPassword);
    if (newPassword === currentPassword) throw new PasswordRuleError('password.sameAsCurrent');
    checkPasswordRules(user.username, newPassword);
    await this.#prisma.user.update({
      where: { id: row.id },
      data: { passwordHash: await hashPassword(newPassword), mustChangePassword: false },
    });
    await this.#end({ userId: row.id, NOT: { tokenHash: user.sessionId } }, 'passwordChanged');
  }

  /** Ends every session of an account (disabled, or its password reset by an admin). */
  async endUserSessions(userId: number, reason: SessionEndReason): Promise<void> {
    await this.#end({ userId }, reason);
  }

  /** Marks sessions with a connected socket as used, so a meeting or the wall open all day keeps its session. */
  async keepAlive(sessionIds: string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    await this.#prisma.authSession.updateMany({ where: { tokenHash: { in: sessionIds } }, data: { lastUsedAt: new Date() } });
  }

  /** Deletes expired sessions (idle or absolute) and tells their sockets; returns how many. */
  async purgeExpired(now = Date.now()): Promise<number> {
    return this.#end({ NOT: this.#unexpired(now) }, 'expired');
  }

  async activeSessionCounts(): Promise<Map<number, number>> {
    const groups = await this.#prisma.authSession.groupBy({ by: ['userId'], where: this.#unexpired(Date.now()), _count: { _all: true } });
    return new Map(groups.map((g) => [g.userId, g._count._all]));
  }

  #expired(session: { expiresAt: Date; lastUsedAt: Date }, now: number): boolean {
    return session.expiresAt.getTime() < now || session.lastUsedAt.getTime() < now - this.#options.idleMs;
  }

  /** The sessions #expired does not end, as a query. */
  #unexpired(now: number) {
    return { expiresAt: { gte: new Date(now) }, lastUsedAt: { gte: new Date(now - this.#options.idleMs) } };
  }

  async #end(where: NonNullable<Parameters<Db['authSession']['findMany']>[0]>['where'], reason: SessionEndReason): Promise<number> {
    const ended = await this.#prisma.authSession.findMany({ where, select: { tokenHash: true } });
    if (ended.length === 0) return 0;
    const sessionIds = ended.map((s) => s.tokenHash);
    await this.#prisma.authSession.deleteMany({ where: { tokenHash: { in: sessionIds } } });
    this.emit('sessionsEnded', sessionIds, reason);
    return sessionIds.length;
  }
}

/** Fewer different characters than this and a password is a pattern, not a secret (`aaaaaaaaaa`, `ababababab`). */
const minDistinctCharacters = 5;

/**
 * What a password must not be: short (the schema), the account's name, the sample password anyone may know,
 * a handful of characters repeated, or one of the commonest passwords.
 */
export function checkPasswordRules(username: string, password: string): void {
  const lowered = password.normalize('NFC').toLowerCase();
  if (lowered.includes(username.toLowerCase())) throw new PasswordRuleError('password.containsUsername');
  if (lowered === defaultSamplePassword) throw new PasswordRuleError('password.sample');
  if (new Set(lowered).size < minDistinctCharacters)
    throw new PasswordRuleError(said('password.tooFewDistinct', { count: minDistinctCharacters }));
  if (commonPasswords.has(lowered)) throw new PasswordRuleError('password.common');
}

function toUserDto(user: UserRow) {
  return {
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    bridgePointCode: user.bridgePoint?.code ?? null,
    mustChangePassword: user.mustChangePassword,
  };
}
