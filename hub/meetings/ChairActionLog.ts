import type { Db } from '../../prisma/index.js';
import type { ChairActionDto } from '../../shared/meetings.js';

/** What the chair did in a meeting (start, mutes, floor, roll calls, recordings…), in order: the meeting's own audit trail. */
export class ChairActionLog {
  readonly #prisma: Db;

  constructor(prisma: Db) {
    this.#prisma = prisma;
  }

  async record(
    meetingId: string,
    userId: number,
    action: string,
    targetCode: string | null = null,
    detail: string | null = null,
  ): Promise<void> {
    await this.#prisma.chairAction.create({ data: { meetingId, userId, action, targetCode, detail } });
  }

  async list(meetingId: string): Promise<ChairActionDto[]> {
    const rows = await this.#prisma.chairAction.findMany({
      where: { meetingId },
      include: { user: { select: { username: true } } },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
    });
    return rows.map((r) => ({ at: r.at.toISOString(), by: r.user.username, action: r.action, targetCode: r.targetCode, detail: r.detail }));
  }
}
