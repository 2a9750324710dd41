import { EventEmitter } from 'node:events';
import type { Db } from '../../prisma/index.js';

export interface AttendanceOptions {
  /** A site back within this long after leaving continues its presence (counted as a reconnect). */
  reconnectGraceMs: number;
  /** How often open presences are stamped, bounding what a crash can lose. */
  heartbeatMs: number;
}

/** Cluster mode: the node whose sites' presences this recorder writes (it stamps and closes only those). */
export type AttendanceNode = string | null;

export type AttendanceRecorderEvents = {
  /** Stamping the open presences failed: a crash now would cut them at the last stamp that worked. */
  heartbeatFailed: [error: unknown];
};

/**
 * Writes attendance as it happens: a row when a site arrives, its leave time when it goes. Writes for
 * one site are serialised, so a reconnect's leave and join land in order.
 */
export class AttendanceRecorder extends EventEmitter<AttendanceRecorderEvents> {
  readonly #prisma: Db;
  readonly #options: AttendanceOptions;
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #heartbeat: NodeJS.Timeout;
  readonly #nodeId: AttendanceNode;
  #heartbeatFailures = 0;

  constructor(prisma: Db, options: AttendanceOptions = { reconnectGraceMs: 120_000, heartbeatMs: 15_000 }, nodeId: AttendanceNode = null) {
    super();
    this.#prisma = prisma;
    this.#options = options;
    this.#nodeId = nodeId;
    this.#heartbeat = setInterval(() => {
      this.#stamp().catch((error: unknown) => {
        this.#heartbeatFailures++;
        this.emit('heartbeatFailed', error);
      });
    }, options.heartbeatMs);
    this.#heartbeat.unref();
  }

  /** Heartbeats that failed since the hub started (`hub_attendance_heartbeat_failures_total`). */
  get heartbeatFailures(): number {
    return this.#heartbeatFailures;
  }

  get reconnectGraceMs(): number {
    return this.#options.reconnectGraceMs;
  }

  /**
   * After a crash, this node's presences still open were cut at their last heartbeat. A site that rejoins
   * within the grace period reopens it. (Other nodes' are theirs: they are alive, or the meeting's home
   * closed them when their node left the cluster.)
   */
  async closeOrphans(): Promise<number> {
    return this.#nodeId === null
      ? this.#prisma.$executeRaw`UPDATE "AttendanceSession" SET "leftAt" = "lastSeenAt" WHERE "leftAt" IS NULL AND "nodeId" IS NULL`
      : this.#prisma
          .$executeRaw`UPDATE "AttendanceSession" SET "leftAt" = "lastSeenAt" WHERE "leftAt" IS NULL AND "nodeId" = ${this.#nodeId}`;
  }

  /** The hub stops: this node's open presences end at `at` (after the writes already queued). */
  async closeOpen(at: Date): Promise<void> {
    await this.flush();
    await this.#prisma.attendanceSession.updateMany({
      where: { leftAt: null, nodeId: this.#nodeId },
      data: { leftAt: at, lastSeenAt: at },
    });
  }

  present(meetingId: string, bridgePointId: number, at = new Date()): Promise<void> {
    return this.#serial(meetingId, bridgePointId, async () => {
      const last = await this.#prisma.attendanceSession.findFirst({ where: { meetingId, bridgePointId }, orderBy: { joinedAt: 'desc' } });
      if (last && (last.leftAt === null || at.getTime() - last.leftAt.getTime() <= this.#options.reconnectGraceMs)) {
        await this.#prisma.attendanceSession.update({
          where: { id: last.id },
          // the site may be back on another node: its presence is now that node's
          data: { leftAt: null, lastSeenAt: at, reconnects: { increment: 1 }, nodeId: this.#nodeId },
        });
      } else {
        await this.#prisma.attendanceSession.create({
          data: { meetingId, bridgePointId, joinedAt: at, lastSeenAt: at, nodeId: this.#nodeId },
        });
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
    await this.#prisma.attendanceSession.updateMany({ where: { leftAt: null, nodeId: this.#nodeId }, data: { lastSeenAt: new Date() } });
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
