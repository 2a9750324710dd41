import type { Db } from '../../prisma/index.js';
import { unitLevelOrder, type BridgePointDto, type BridgePointNetworkDto, type IceTransportPolicy } from '../../shared/meetings.js';

/** Read access to the province's bridge points. */
export class BridgePointDirectory {
  readonly #prisma: Db;

  constructor(prisma: Db) {
    this.#prisma = prisma;
  }

  /** The units in service (not retired or merged away): provincial first, then communes, each in registration order. */
  async list(): Promise<BridgePointDto[]> {
    const points = await this.#prisma.bridgePoint.findMany({
      where: { retiredAt: null },
      select: { code: true, name: true, level: true },
      orderBy: { id: 'asc' },
    });
    // Sorted here, not in SQL: SQLite orders the enum as text, PostgreSQL by declaration.
    return points.sort((a, b) => unitLevelOrder(a.level) - unitLevelOrder(b.level));
  }

  /** How the bridge point's browsers reach the media; undefined for an unknown code. */
  async network(code: string): Promise<BridgePointNetworkDto | undefined> {
    const point = await this.#prisma.bridgePoint.findUnique({ where: { code }, select: { code: true, iceTransportPolicy: true } });
    return point ? { code: point.code, iceTransportPolicy: point.iceTransportPolicy === 'RELAY' ? 'relay' : 'all' } : undefined;
  }

  async setNetwork(code: string, iceTransportPolicy: IceTransportPolicy): Promise<BridgePointNetworkDto | undefined> {
    const { count } = await this.#prisma.bridgePoint.updateMany({
      where: { code },
      data: { iceTransportPolicy: iceTransportPolicy === 'relay' ? 'RELAY' : 'ALL' },
    });
    return count === 0 ? undefined : { code, iceTransportPolicy };
  }
}
