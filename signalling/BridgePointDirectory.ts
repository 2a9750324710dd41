import type { Db } from '../prisma/index.js';
import type { BridgePointDto } from '../shared/protocol.js';

/** Read access to the province's bridge points. */
export class BridgePointDirectory {
  readonly #prisma: Db;

  constructor(prisma: Db) {
    this.#prisma = prisma;
  }

  async list(): Promise<BridgePointDto[]> {
    return this.#prisma.bridgePoint.findMany({
      select: { code: true, name: true, level: true },
      orderBy: [{ level: 'asc' }, { id: 'asc' }],
    });
  }

  async find(code: string): Promise<BridgePointDto | null> {
    return this.#prisma.bridgePoint.findUnique({ where: { code }, select: { code: true, name: true, level: true } });
  }
}
