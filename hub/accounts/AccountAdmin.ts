import { generatePassword, hashPassword, type Db } from '../../prisma/index.js';
import type { AccountDto, TemporaryPasswordDto } from '../../shared/accounts.js';
import type { ImportedAccountDto } from '../../shared/provinceImport.js';
import type { Role } from '../../shared/meetings.js';
import type { AuthService } from './AuthService.js';
import { HubError } from '../../errors/index.js';
import { importedItem, type AuditActor, type AuditLog, type ImportAudit } from '../audit/index.js';
import { said } from '../../shared/messages/index.js';

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  bridgePointCode: string | null;
}

export interface AccountChange {
  displayName?: string;
  role?: Role;
  bridgePointCode?: string | null;
  disabled?: boolean;
}

const include = { bridgePoint: { select: { code: true } } } as const;

/**
 * The admin's account management: create, change role or site, disable, reset a password. Every
 * action is audited; disabling an account or resetting its password ends its sessions (and sockets)
 * at once. An admin cannot disable or demote their own account, so the hub is never left without one.
 */
export class AccountAdmin {
  readonly #prisma: Db;
  readonly #auth: AuthService;
  readonly #audit: AuditLog;

  constructor(prisma: Db, auth: AuthService, audit: AuditLog) {
    this.#prisma = prisma;
    this.#auth = auth;
    this.#audit = audit;
  }

  async list(): Promise<AccountDto[]> {
    const [users, sessions] = await Promise.all([
      this.#prisma.user.findMany({ include, orderBy: { username: 'asc' } }),
      this.#auth.activeSessionCounts(),
    ]);
    return users.map((user) => toAccountDto(user, sessions.get(user.id) ?? 0));
  }

  async create(actor: AuditActor, account: NewAccount, address?: string): Promise<TemporaryPasswordDto> {
    if (await this.#prisma.user.findUnique({ where: { username: account.username } }))
      throw new HubError('CONFLICT', said('account.usernameTaken', { username: account.username }));
    const bridgePointId = await this.#siteFor(account.role, account.bridgePointCode);
    const password = generatePassword();
    const user = await this.#prisma.user.create({
      data: {
        username: account.username,
        displayName: account.displayName,
        role: account.role,
        bridgePointId,
        passwordHash: await hashPassword(password),
        mustChangePassword: true,
      },
      include,
    });
    await this.#audit.record(
      actor,
      'user.create',
      `user:${user.username}`,
      { role: user.role, bridgePointCode: account.bridgePointCode },
      address,
    );
    return { account: toAccountDto(user, 0), temporaryPassword: password };
  }

  /**
   * Creates accounts all together or none (a province's set-up from a file), each with a one-time password
   * returned once and each audited with the file it came from. The sites were checked by the caller; one
   * retired meanwhile fails the whole import.
   */
  async createAll(accounts: NewAccount[], audit: ImportAudit): Promise<ImportedAccountDto[]> {
    // each role and site asked once: a province's accounts share a few dozen units
    const sites = new Map<string, number | null>();
    const siteKey = (account: NewAccount) => `${account.role}:${account.bridgePointCode ?? ''}`;
    for (const account of accounts) {
      if (!sites.has(siteKey(account))) sites.set(siteKey(account), await this.#siteFor(account.role, account.bridgePointCode));
    }
    const created = await Promise.all(
      accounts.map(async (account) => {
        const password = generatePassword();
        return { account, password, passwordHash: await hashPassword(password) };
      }),
    );
    await this.#prisma.$transaction(async (tx) => {
      await tx.user.createMany({
        data: created.map(({ account, passwordHash }) => ({
          username: account.username,
          displayName: account.displayName,
          role: account.role,
          bridgePointId: sites.get(siteKey(account)) ?? null,
          passwordHash,
          mustChangePassword: true,
        })),
      });
      await this.#audit.recordIn(tx, [
        ...accounts.map((account) =>
          importedItem(audit, {
            action: 'user.create',
            target: `user:${account.username}`,
            detail: { role: account.role, bridgePointCode: account.bridgePointCode },
          }),
        ),
        audit.summary,
      ]);
    });
    return created.map(({ account, password }) => ({
      ...account,
      bridgePointCode: sites.get(siteKey(account)) ? account.bridgePointCode : null,
      temporaryPassword: password,
    }));
  }

  async update(actor: AuditActor, username: string, change: AccountChange, address?: string): Promise<AccountDto> {
    const user = await this.#existing(username);
    if (user.id === actor.id && (change.disabled === true || (change.role !== undefined && change.role !== 'ADMIN')))
      throw new HubError('CONFLICT', 'account.selfDisable');
    const role = change.role ?? user.role;
    const bridgePointId =
      change.bridgePointCode !== undefined || change.role !== undefined
        ? await this.#siteFor(role, change.bridgePointCode !== undefined ? change.bridgePointCode : (user.bridgePoint?.code ?? null))
        : undefined;
    const disabledAt = change.disabled === undefined ? undefined : change.disabled ? (user.disabledAt ?? new Date()) : null;
    const disabledReason = change.disabled === undefined ? undefined : change.disabled ? (user.disabledReason ?? 'ADMIN') : null;
    const updated = await this.#prisma.user.update({
      where: { id: user.id },
      data: { displayName: change.displayName, role: change.role, bridgePointId, disabledAt, disabledReason },
      include,
    });
    // a new role or site applies at the next sign-in; a disabled account is out now
    if (change.disabled === true || change.role !== undefined || change.bridgePointCode !== undefined)
      await this.#auth.endUserSessions(user.id, change.disabled === true ? 'disabled' : 'accountChanged');
    await this.#audit.record(actor, 'user.update', `user:${username}`, { ...change }, address);
    return toAccountDto(updated, 0);
  }

  /**
   * A one-time password, to be changed at the next sign-in. An account disabled only because it still had a
   * sample password when the hub went into real use is enabled again: the reason it was disabled is gone.
   */
  async resetPassword(actor: AuditActor, username: string, address?: string): Promise<TemporaryPasswordDto> {
    const user = await this.#existing(username);
    const password = generatePassword();
    const enabled = user.disabledReason === 'SAMPLE_PASSWORD';
    const updated = await this.#prisma.user.update({
      where: { id: user.id },
      data: {
        passwordHash: await hashPassword(password),
        mustChangePassword: true,
        ...(enabled ? { disabledAt: null, disabledReason: null } : {}),
      },
      include,
    });
    await this.#auth.endUserSessions(user.id, 'passwordReset');
    await this.#audit.record(actor, 'user.resetPassword', `user:${username}`, enabled ? { enabled: true } : undefined, address);
    return { account: toAccountDto(updated, 0), temporaryPassword: password };
  }

  async #existing(username: string) {
    const user = await this.#prisma.user.findUnique({ where: { username }, include });
    if (!user) throw new HubError('NOT_FOUND', said('account.notFound', { username }));
    return user;
  }

  /** A bridge-point account sits at a site that is in service; a chair may; the other roles do not. */
  async #siteFor(role: Role, code: string | null): Promise<number | null> {
    if (role === 'BRIDGE_POINT' && !code) throw new HubError('INVALID', 'account.needsSite');
    if (role !== 'BRIDGE_POINT' && role !== 'CHAIR') return null;
    if (!code) return null;
    const point = await this.#prisma.bridgePoint.findUnique({ where: { code } });
    if (!point) throw new HubError('INVALID', said('unit.notFound', { code }));
    if (point.retiredAt) throw new HubError('INVALID', said('unit.retired', { code }));
    return point.id;
  }
}

function toAccountDto(
  user: {
    username: string;
    displayName: string;
    role: Role;
    bridgePoint: { code: string } | null;
    disabledAt: Date | null;
    disabledReason: string | null;
    mustChangePassword: boolean;
    createdAt: Date;
  },
  activeSessions: number,
): AccountDto {
  return {
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    bridgePointCode: user.bridgePoint?.code ?? null,
    disabled: user.disabledAt !== null,
    disabledReason: user.disabledAt === null ? null : user.disabledReason === 'SAMPLE_PASSWORD' ? 'SAMPLE_PASSWORD' : 'ADMIN',
    mustChangePassword: user.mustChangePassword,
    createdAt: user.createdAt.toISOString(),
    activeSessions,
  };
}
