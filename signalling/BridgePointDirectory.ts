import type { Db } from '../prisma/index.js';
import type { BridgePointDto } from '../shared/meetings.js';

const levelOrder: Record<BridgePointDto['level'], number> = { PROVINCE: 0, DISTRICT: 1, COMMUNE: 2 };

/** Read access to the province's bridge points. */
export class BridgePointDirectory {
  readonly #prisma: Db;

  constructor(prisma: Db) {
    this.#prisma = prisma;
  }

  /** Provincial units first, then communes, each in registration order. */
  async list(): Promise<BridgePointDto[]> {
    const points = await this.#prisma.bridgePoint.findMany({ select: { code: true, name: true, level: true }, orderBy: { id: 'asc' } });
    // Sorted here, not in SQL: SQLite orders the enum as text, PostgreSQL by declaration.
    return points.sort((a, b) => levelOrder[a.level] - levelOrder[b.level]);
  }
}
