import type { Db } from '../../prisma/index.js';
import { EvidenceLockNotFoundError, EvidenceLockNotYoursError } from '../errors.js';

export interface EvidenceLockRow {
  id: number;
  cameraId: number;
  from: Date;
  to: Date;
  reason: string;
  lockedBy: string;
  createdAt: Date;
  releasedAt: Date | null;
  releasedBy: string | null;
  releaseReason: string | null;
}

/** Ranges kept as evidence: retention passes them by until a supervisor releases them (never deleted: the record stays). */
export class EvidenceLocks {
  readonly #prisma: Db;

  constructor(prisma: Db) {
    this.#prisma = prisma;
  }

  lock(cameraId: number, range: { from: Date; to: Date }, reason: string, by: string): Promise<EvidenceLockRow> {
    return this.#prisma.evidenceLock.create({ data: { cameraId, from: range.from, to: range.to, reason, lockedBy: by } });
  }

  /** Released by the supervisor who locked it, or by an admin (`mayReleaseOthers`), saying why. */
  async release(
    cameraId: number,
    lockId: number,
    by: { username: string; mayReleaseOthers: boolean },
    reason: string,
  ): Promise<EvidenceLockRow> {
    const lock = await this.#prisma.evidenceLock.findFirst({ where: { id: lockId, cameraId } });
    if (!lock) throw new EvidenceLockNotFoundError(lockId);
    if (lock.lockedBy !== by.username && !by.mayReleaseOthers) throw new EvidenceLockNotYoursError(lock.lockedBy);
    if (lock.releasedAt) return lock;
    return this.#prisma.evidenceLock.update({
      where: { id: lockId },
      data: { releasedAt: new Date(), releasedBy: by.username, releaseReason: reason },
    });
  }

  /** The camera's locks that overlap [from, to), released ones too (the record of what was kept). */
  list(cameraId: number, from: Date, to: Date): Promise<EvidenceLockRow[]> {
    return this.#prisma.evidenceLock.findMany({ where: { cameraId, from: { lt: to }, to: { gt: from } }, orderBy: { from: 'asc' } });
  }

  async activeCount(cameraId: number): Promise<number> {
    return this.#prisma.evidenceLock.count({ where: { cameraId, releasedAt: null } });
  }
}
