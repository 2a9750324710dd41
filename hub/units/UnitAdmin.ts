import type { Db, DbTransaction } from '../../prisma/index.js';
import type { UnitLevel } from '../../shared/meetings.js';
import type { UnitDto } from '../../shared/units.js';
import { HubError } from '../../errors/index.js';
import { importedItem, type AuditActor, type AuditLog, type ImportAudit } from '../audit/index.js';
import { said } from '../../shared/messages/index.js';

export interface UnitChange {
  name?: string;
  level?: UnitLevel;
  /** When the change took effect (a decision's date); default now. Meetings before it keep the old name. */
  effectiveAt?: Date;
}

export interface UnitMerge {
  codes: string[];
  into: { code: string; name: string; level: UnitLevel };
  effectiveAt?: Date;
}

const unitInclude = { mergedInto: { select: { code: true } }, history: { orderBy: { validUntil: 'asc' } } } as const;

/**
 * The administrative reorganisation of the province's units (bridge points): add, rename, change the
 * level of, retire and merge. Nothing is deleted: a renamed unit keeps its old name and level in its
 * history until the change took effect, and a merged unit is retired pointing at its successor, so
 * every past meeting and attendance stays under the unit as it was then (see UnitHistory).
 */
export class UnitAdmin {
  readonly #prisma: Db;
  readonly #audit: AuditLog;

  constructor(prisma: Db, audit: AuditLog) {
    this.#prisma = prisma;
    this.#audit = audit;
  }

  async list(): Promise<UnitDto[]> {
    return (await this.#prisma.bridgePoint.findMany({ orderBy: { id: 'asc' }, include: unitInclude })).map(toUnitDto);
  }

  async add(actor: AuditActor, unit: { code: string; name: string; level: UnitLevel }, address?: string): Promise<UnitDto> {
    if (await this.#prisma.bridgePoint.findUnique({ where: { code: unit.code } }))
      throw new HubError('CONFLICT', said('unit.codeTaken', { code: unit.code }));
    await this.#prisma.bridgePoint.create({ data: unit });
    await this.#audit.record(actor, 'bridgePoint.create', `bridgePoint:${unit.code}`, unit, address);
    return this.#one(unit.code);
  }

  /** Adds units all together or none (a province's set-up from a file), each audited with the file it came from. */
  async addAll(units: Array<{ code: string; name: string; level: UnitLevel }>, audit: ImportAudit): Promise<number> {
    await this.#prisma.$transaction(async (tx) => {
      await tx.bridgePoint.createMany({ data: units });
      await this.#audit.recordIn(tx, [
        ...units.map((unit) => importedItem(audit, { action: 'bridgePoint.create', target: `bridgePoint:${unit.code}`, detail: unit })),
        audit.summary,
      ]);
    });
    return units.length;
  }

  /** Renames a unit or changes its level from `effectiveAt` on; the former name and level go to its history. */
  async change(actor: AuditActor, code: string, change: UnitChange, address?: string): Promise<UnitDto> {
    const point = await this.#active(code);
    const effectiveAt = this.#effective(change.effectiveAt);
    await this.#prisma.$transaction(async (tx) => {
      await tx.bridgePointHistory.create({
        data: { bridgePointId: point.id, name: point.name, level: point.level, validUntil: effectiveAt },
      });
      await tx.bridgePoint.update({ where: { id: point.id }, data: { name: change.name, level: change.level } });
    });
    await this.#audit.record(
      actor,
      'bridgePoint.update',
      `bridgePoint:${code}`,
      { from: { name: point.name, level: point.level }, to: { name: change.name, level: change.level }, effectiveAt },
      address,
    );
    return this.#one(code);
  }

  async retire(actor: AuditActor, code: string, effectiveAt?: Date, address?: string): Promise<UnitDto> {
    const point = await this.#active(code);
    const at = this.#effective(effectiveAt);
    await this.#prisma.bridgePoint.update({ where: { id: point.id }, data: { retiredAt: at } });
    await this.#audit.record(actor, 'bridgePoint.retire', `bridgePoint:${code}`, { effectiveAt: at }, address);
    return this.#one(code);
  }

  /**
   * Merges units into a new one (or into an existing unit named by `into.code`): the merged units
   * retire pointing at it, their accounts move to it, and meetings not yet started invite it instead.
   */
  async merge(actor: AuditActor, merge: UnitMerge, address?: string): Promise<UnitDto> {
    const codes = [...new Set(merge.codes)];
    if (codes.includes(merge.into.code)) throw new HubError('INVALID', 'unit.mergeIntoItself');
    const sources = await Promise.all(codes.map((code) => this.#active(code)));
    const effectiveAt = this.#effective(merge.effectiveAt);
    await this.#prisma.$transaction(async (tx) => {
      const existing = await tx.bridgePoint.findUnique({ where: { code: merge.into.code } });
      if (existing?.retiredAt) throw new HubError('INVALID', said('unit.mergeIntoRetired', { code: merge.into.code }));
      const target = existing ?? (await tx.bridgePoint.create({ data: merge.into }));
      const ids = sources.map((s) => s.id);
      await tx.bridgePoint.updateMany({ where: { id: { in: ids } }, data: { retiredAt: effectiveAt, mergedIntoId: target.id } });
      await tx.user.updateMany({ where: { bridgePointId: { in: ids } }, data: { bridgePointId: target.id } });
      await this.#inviteSuccessor(tx, ids, target.id);
    });
    await this.#audit.record(
      actor,
      'bridgePoint.merge',
      `bridgePoint:${merge.into.code}`,
      { codes, into: merge.into, effectiveAt },
      address,
    );
    return this.#one(merge.into.code);
  }

  /** Scheduled meetings that invited a merged unit invite its successor (once) instead. */
  async #inviteSuccessor(tx: DbTransaction, mergedIds: number[], successorId: number): Promise<void> {
    const invitations = await tx.meetingInvitation.findMany({
      where: { bridgePointId: { in: mergedIds }, meeting: { status: 'SCHEDULED' } },
      select: { meetingId: true, bridgePointId: true },
    });
    for (const { meetingId, bridgePointId } of invitations) {
      await tx.meetingInvitation.delete({ where: { meetingId_bridgePointId: { meetingId, bridgePointId } } });
      await tx.meetingInvitation.upsert({
        where: { meetingId_bridgePointId: { meetingId, bridgePointId: successorId } },
        update: {},
        create: { meetingId, bridgePointId: successorId },
      });
    }
    await tx.meeting.updateMany({
      where: { status: 'SCHEDULED', hostBridgePointId: { in: mergedIds } },
      data: { hostBridgePointId: successorId },
    });
  }

  async #active(code: string) {
    const point = await this.#prisma.bridgePoint.findUnique({ where: { code } });
    if (!point) throw new HubError('NOT_FOUND', said('unit.notFound', { code }));
    if (point.retiredAt) throw new HubError('CONFLICT', said('unit.retired', { code }));
    return point;
  }

  /** A reorganisation is recorded when it took effect: now, or a date already past (a decision taking effect earlier). */
  #effective(at: Date | undefined): Date {
    const now = new Date();
    if (!at) return now;
    if (at.getTime() > now.getTime()) throw new HubError('INVALID', 'unit.futureDate');
    return at;
  }

  async #one(code: string): Promise<UnitDto> {
    return toUnitDto(await this.#prisma.bridgePoint.findUniqueOrThrow({ where: { code }, include: unitInclude }));
  }
}

function toUnitDto(p: {
  code: string;
  name: string;
  level: UnitLevel;
  retiredAt: Date | null;
  mergedInto: { code: string } | null;
  history: Array<{ name: string; level: UnitLevel; validUntil: Date }>;
}): UnitDto {
  return {
    code: p.code,
    name: p.name,
    level: p.level,
    retiredAt: p.retiredAt?.toISOString() ?? null,
    mergedInto: p.mergedInto?.code ?? null,
    history: p.history.map((h) => ({ name: h.name, level: h.level, validUntil: h.validUntil.toISOString() })),
  };
}
