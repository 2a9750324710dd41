import type { Db } from '../../prisma/index.js';
import type { RollCallState } from '../../shared/meetings.js';
import { MeetingRuleError } from './meetingRules.js';

/** A meeting's roll calls in the database: opened and closed by the chair, answered by each site with its head count. */
export class RollCallStore {
  readonly #prisma: Db;

  constructor(prisma: Db) {
    this.#prisma = prisma;
  }

  async open(meetingId: string, at: Date): Promise<RollCallState> {
    const open = await this.#prisma.rollCall.findFirst({ where: { meetingId, closedAt: null } });
    if (open) throw new MeetingRuleError('CONFLICT', 'rollCall.alreadyOpen');
    const rollCall = await this.#prisma.rollCall.create({ data: { meetingId, startedAt: at } });
    return { id: rollCall.id, startedAt: at.toISOString(), closedAt: null, entries: [] };
  }

  async close(rollCallId: number, at: Date): Promise<void> {
    await this.#prisma.rollCall.update({ where: { id: rollCallId }, data: { closedAt: at } });
  }

  /** The open roll call, else the latest closed one, with its entries. */
  async latest(meetingId: string): Promise<RollCallState | null> {
    const rollCall = await this.#prisma.rollCall.findFirst({
      where: { meetingId },
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      include: { entries: { include: { bridgePoint: { select: { code: true } } }, orderBy: { confirmedAt: 'asc' } } },
    });
    if (!rollCall) return null;
    return {
      id: rollCall.id,
      startedAt: rollCall.startedAt.toISOString(),
      closedAt: rollCall.closedAt?.toISOString() ?? null,
      entries: rollCall.entries.map((e) => ({
        code: e.bridgePoint.code,
        headCount: e.headCount,
        reporterName: e.reporterName,
        confirmedAt: e.confirmedAt.toISOString(),
      })),
    };
  }

  async confirm(rollCallId: number, bridgePointId: number, entry: { headCount: number; reporterName: string; at: Date }): Promise<void> {
    const data = { headCount: entry.headCount, reporterName: entry.reporterName, confirmedAt: entry.at };
    await this.#prisma.rollCallEntry.upsert({
      where: { rollCallId_bridgePointId: { rollCallId, bridgePointId } },
      update: data,
      create: { rollCallId, bridgePointId, ...data },
    });
  }
}
