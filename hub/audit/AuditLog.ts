import type { Db, DbTransaction } from '../../prisma/index.js';
import type { AuditAction, AuditEntryDto } from '../../shared/accounts.js';

/** Who acted: a signed-in account, or the hub itself (null). */
export interface AuditActor {
  id: number;
  username: string;
}

export interface AuditQuery {
  target?: string;
  action?: string;
  /** Entries older than this id (paging back). */
  before?: number;
  limit: number;
}

/** One action as the trail records it. */
export interface AuditRecord {
  actor: AuditActor | null;
  action: AuditAction;
  target?: string;
  detail?: Record<string, unknown>;
  address?: string;
}

/** The audit trail of administrative actions: append-only, newest first when read. */
export class AuditLog {
  readonly #prisma: Db;

  constructor(prisma: Db) {
    this.#prisma = prisma;
  }

  async record(
    actor: AuditActor | null,
    action: AuditAction,
    target?: string,
    detail?: Record<string, unknown>,
    address?: string,
  ): Promise<void> {
    await this.#prisma.auditEntry.create({ data: entryData({ actor, action, target, detail, address }) });
  }

  /** Records actions in the transaction that does them: the trail holds them exactly when they happened. */
  async recordIn(tx: DbTransaction, records: AuditRecord[]): Promise<void> {
    await tx.auditEntry.createMany({ data: records.map(entryData) });
  }

  async list(query: AuditQuery): Promise<AuditEntryDto[]> {
    const rows = await this.#prisma.auditEntry.findMany({
      where: {
        ...(query.target ? { target: query.target } : {}),
        ...(query.action ? { action: query.action } : {}),
        ...(query.before ? { id: { lt: query.before } } : {}),
      },
      orderBy: { id: 'desc' },
      take: query.limit,
    });
    return rows.map(toEntryDto);
  }

  /** The clip exports whose file had this SHA-256 (a clip someone was handed, checked against the trail). */
  async clipExports(sha256: string): Promise<AuditEntryDto[]> {
    const rows = await this.#prisma.auditEntry.findMany({
      where: { action: 'camera.clip.export', detail: { contains: `"sha256":"${sha256}"` } },
      orderBy: { id: 'asc' },
    });
    return rows.map(toEntryDto);
  }
}

function entryData({ actor, action, target, detail, address }: AuditRecord) {
  return {
    actorId: actor?.id ?? null,
    actorName: actor?.username ?? 'hub',
    action,
    target: target ?? null,
    detail: detail ? JSON.stringify(detail) : null,
    address: address ?? null,
  };
}

type AuditRow = Awaited<ReturnType<Db['auditEntry']['findMany']>>[number];

function toEntryDto(row: AuditRow): AuditEntryDto {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actorName,
    action: row.action,
    target: row.target,
    detail: row.detail ? (JSON.parse(row.detail) as unknown) : null,
    address: row.address,
  };
}
