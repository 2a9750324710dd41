import type { Db } from '../../prisma/index.js';

export interface AttendanceOptions {
  /** A site back within this long after leaving continues its presence (counted as a reconnect). */
  reconnectGraceMs: number;
  /** How often open presences are stamped, bounding what a crash can lose. */
  heartbeatMs: number;
}

/**
 * Writes attendance as it happens: a row when a site arrives, its leave time when it goes. Writes for
 * one site are serialised, so a reconnect's leave and join land in order.
 */
export class AttendanceRecorder {
  readonly #prisma: Db;
  readonly #options: AttendanceOptions;
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #heartbeat: NodeJS.Timeout;

  constructor(prisma: Db, options: AttendanceOptions = { reconnectGraceMs: 120_000, heartbeatMs: 15_000 }) {
    this.#prisma = prisma;
    this.#options = options;
    this.#heartbeat = setInterval(() => void this.#stamp().catch(() => undefined), options.heartbeatMs);
    this.#heartbeat.unref();
  }

  get reconnectGraceMs(): number {
    return this.#options.reconnectGraceMs;
  }

  /**
   * After a crash, presences still open were cut at their last heartbeat. A site that rejoins
   * within the grace period reopens it.
   */
  async closeOrphans(): Promise<number> {
    return this.#prisma.$executeRaw`UPDATE "AttendanceSession" SET "leftAt" = "lastSeenAt" WHERE "leftAt" IS NULL`;
  }

  /** The hub stops: every open presence ends at `at` (after the writes already queued). */
  async closeOpen(at: Date): Promise<void> {
    await this.flush();
    await this.#prisma.attendanceSession.updateMany({ where: { leftAt: null }, data: { leftAt: at, lastSeenAt: at } });
  }

  present(meetingId: string, bridgePointId: number, at = new Date()): Promise<void> {
    return this.#serial(meetingId, bridgePointId, async () => {
      const last = await this.#prisma.attendanceSession.findFirst({ where: { meetingId, bridgePointId }, orderBy: { joinedAt: 'desc' } });
      if (last && (last.leftAt === null || at.getTime() - last.leftAt.getTime() <= this.#options.reconnectGraceMs)) {
        await this.#prisma.attendanceSession.update({
          where: { id: last.id },
          data: { leftAt: null, lastSeenAt: at, reconnects: { increment: 1 } },
        });
      } else {
        await this.#prisma.attendanceSession.create({ data: { meetingId, bridgePointId, joinedAt: at, lastSeenAt: at } });
      }
    });
  }

  absent(meetingId: string, bridgePointId: number, at = new Date()): Promise<void> {
    return this.#serial(meetingId, bridgePointId, async () => {
      await this.#prisma.attendanceSession.updateMany({
        where: { meetingId, bridgePointId, leftAt: null },
        data: { leftAt: at, lastSeenAt: at },
      });
    });
  }

  /** Resolves when every queued write has landed. */
  async flush(): Promise<void> {
    await Promise.all([...this.#queues.values()]);
  }

  close(): void {
    clearInterval(this.#heartbeat);
  }

  async #stamp(): Promise<void> {
    await this.#prisma.attendanceSession.updateMany({ where: { leftAt: null }, data: { lastSeenAt: new Date() } });
  }

  #serial(meetingId: string, bridgePointId: number, write: () => Promise<void>): Promise<void> {
    const key = `${meetingId}/${bridgePointId}`;
    const next = (this.#queues.get(key) ?? Promise.resolve()).catch(() => undefined).then(write);
    this.#queues.set(key, next);
    next
      .finally(() => {
        if (this.#queues.get(key) === next) this.#queues.delete(key);
      })
      .catch(() => undefined);
    return next;
  }
}
