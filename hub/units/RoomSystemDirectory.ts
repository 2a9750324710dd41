import type { CredentialCipher } from '../../camera-gateway/index.js';
import { HubError } from '../../errors/index.js';
import type { Db } from '../../prisma/index.js';
import type { RoomSystemSettings } from '../../shared/roomSystems.js';
import type { AuditActor, AuditLog } from '../audit/index.js';
import { said } from '../../shared/messages/index.js';

/** A bridge point's room system as stored (its password still sealed). */
export interface RoomSystemRecord {
  bridgePointCode: string;
  address: string | null;
  username: string;
  allowPlainRtp: boolean;
}

/**
 * The bridge points' room systems: the SIP account each one proves itself with (its password sealed at rest with
 * the hub's credential key, as cameras' are) and where the hub calls it. The SIP side asks here who an account is.
 */
export class RoomSystemDirectory {
  readonly #prisma: Db;
  readonly #cipher: CredentialCipher;
  readonly #audit: AuditLog;
  readonly #changed = new Set<(username: string) => void>();

  constructor(prisma: Db, cipher: CredentialCipher, audit: AuditLog) {
    this.#prisma = prisma;
    this.#cipher = cipher;
    this.#audit = audit;
  }

  /** Every paired room system, by bridge point code. */
  async list(): Promise<RoomSystemRecord[]> {
    const rows = await this.#prisma.roomSystem.findMany({ include: { bridgePoint: true }, orderBy: { bridgePoint: { code: 'asc' } } });
    return rows.map(toRecord);
  }

  async forBridgePoint(code: string): Promise<RoomSystemRecord | undefined> {
    const row = await this.#prisma.roomSystem.findFirst({ where: { bridgePoint: { code } }, include: { bridgePoint: true } });
    return row ? toRecord(row) : undefined;
  }

  /** The room system an account belongs to, if any. */
  async byUsername(username: string): Promise<RoomSystemRecord | undefined> {
    const row = await this.#prisma.roomSystem.findUnique({ where: { username }, include: { bridgePoint: true } });
    return row && !row.bridgePoint.retiredAt ? toRecord(row) : undefined;
  }

  /** An account's password, for its digest check (undefined: no such account, or its unit is retired). */
  async passwordOf(username: string): Promise<string | undefined> {
    const row = await this.#prisma.roomSystem.findUnique({ where: { username }, include: { bridgePoint: true } });
    return row && !row.bridgePoint.retiredAt ? this.#cipher.decrypt(row.passwordCipher) : undefined;
  }

  /** Pairs a bridge point with its room system, or changes it (the password kept when not given). */
  async set(actor: AuditActor, code: string, settings: RoomSystemSettings, address?: string): Promise<RoomSystemRecord> {
    const point = await this.#prisma.bridgePoint.findUnique({ where: { code }, include: { roomSystem: true } });
    if (!point || point.retiredAt) throw new HubError('NOT_FOUND', said('unit.notActive', { code }));
    const holder = await this.#prisma.roomSystem.findUnique({ where: { username: settings.username } });
    if (holder && holder.bridgePointId !== point.id)
      throw new HubError('CONFLICT', said('roomSystem.usernameTaken', { username: settings.username }));
    const data = { address: settings.address ?? null, username: settings.username, allowPlainRtp: settings.allowPlainRtp ?? false };
    const passwordCipher = settings.password === undefined ? undefined : this.#cipher.encrypt(settings.password);
    const include = { bridgePoint: true } as const;
    let row;
    if (point.roomSystem)
      row = await this.#prisma.roomSystem.update({ where: { id: point.roomSystem.id }, data: { ...data, passwordCipher }, include });
    else if (passwordCipher === undefined) throw new HubError('INVALID', 'roomSystem.passwordNeeded');
    else row = await this.#prisma.roomSystem.create({ data: { ...data, bridgePointId: point.id, passwordCipher }, include });
    const record = toRecord(row);
    // the audit says what changed, never the password itself
    await this.#audit.record(
      actor,
      'bridgePoint.roomSystem',
      `bridgePoint:${code}`,
      { ...record, passwordChanged: settings.password !== undefined },
      address,
    );
    // an account renamed or re-keyed: its registration was made with what it no longer is
    if (point.roomSystem) this.#notify(point.roomSystem.username);
    return record;
  }

  /** Unpairs the bridge point's room system: its account can no longer register or call. */
  async remove(actor: AuditActor, code: string, address?: string): Promise<boolean> {
    const row = await this.#prisma.roomSystem.findFirst({ where: { bridgePoint: { code } } });
    if (!row) return false;
    await this.#prisma.roomSystem.delete({ where: { id: row.id } });
    await this.#audit.record(actor, 'bridgePoint.roomSystemRemove', `bridgePoint:${code}`, { username: row.username }, address);
    this.#notify(row.username);
    return true;
  }

  /** Called with an account's user name when it is changed or removed (its registration ends). */
  onChanged(listener: (username: string) => void): void {
    this.#changed.add(listener);
  }

  #notify(username: string): void {
    for (const listener of this.#changed) listener(username);
  }
}

function toRecord(row: {
  address: string | null;
  username: string;
  allowPlainRtp: boolean;
  bridgePoint: { code: string };
}): RoomSystemRecord {
  return { bridgePointCode: row.bridgePoint.code, address: row.address, username: row.username, allowPlainRtp: row.allowPlainRtp };
}
