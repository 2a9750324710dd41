import type { Db } from '../../prisma/index.js';
import { freeBytes } from '../../storage/index.js';
import type { GatewayLog } from '../CameraGatewayTypes.js';
import type { RecordingOptions, StorageState } from './RecordingTypes.js';
import type { SegmentIndex } from './SegmentIndex.js';
import type { MotionStore } from '../motion/MotionStore.js';
import { hourMs } from '../motion/MotionFile.js';

interface RemovedSegment {
  cameraId: number;
  startedAt: Date;
  endedAt: Date;
}

/** Segments deleted per query while over quota (the oldest first). */
const batch = 50;

/**
 * Keeps the recordings within their days and their quota: unlocked segments older than the retention
 * go, then, while all cameras' segments exceed the quota, the oldest unlocked ones. A segment that
 * overlaps an evidence lock stays whatever its age. Also reads the disk's free space: below the
 * minimum, recording pauses (the wall says so) until there is room again.
 */
export class Retention {
  readonly #prisma: Db;
  readonly #index: SegmentIndex;
  readonly #options: RecordingOptions;
  readonly #log: GatewayLog;
  readonly #motion: MotionStore;

  constructor(prisma: Db, index: SegmentIndex, motion: MotionStore, options: RecordingOptions, log: GatewayLog) {
    this.#prisma = prisma;
    this.#motion = motion;
    this.#index = index;
    this.#options = options;
    this.#log = log;
  }

  /** One pass; `recording`: the cameras whose newest file is being written now (counted, never deleted). */
  async sweep(now: Date, recording: number[]): Promise<StorageState> {
    const locks = await this.#prisma.evidenceLock.findMany({ where: { releasedAt: null } });
    const locked = (s: { cameraId: number; startedAt: Date; endedAt: Date }) =>
      locks.some((l) => l.cameraId === s.cameraId && l.from < s.endedAt && l.to > s.startedAt);

    const removed: RemovedSegment[] = [];
    const expiry = new Date(now.getTime() - this.#options.retentionDays * 86_400_000);
    for (const segment of await this.#prisma.recordingSegment.findMany({ where: { endedAt: { lt: expiry } } })) {
      if (!locked(segment) && (await this.#unlockedNow(segment))) {
        await this.#index.remove(segment);
        removed.push(segment);
      }
    }

    let used = await this.#usedBytes(recording);
    let skip = 0;
    while (used > this.#options.quotaBytes) {
      const oldest = await this.#prisma.recordingSegment.findMany({ orderBy: { startedAt: 'asc' }, skip, take: batch });
      if (oldest.length === 0) break;
      for (const segment of oldest) {
        if (used <= this.#options.quotaBytes) break;
        if (locked(segment) || !(await this.#unlockedNow(segment))) {
          skip++;
          continue;
        }
        await this.#index.remove(segment);
        removed.push(segment);
        used -= segment.bytes;
      }
    }
    if (used > this.#options.quotaBytes)
      this.#log.warn({ used, quota: this.#options.quotaBytes }, 'locked evidence alone exceeds the recording quota');

    await this.#motionSweep(now, expiry, removed);

    const free = freeBytes(this.#index.directory);
    return { usedBytes: used, quotaBytes: this.#options.quotaBytes, freeBytes: free, diskFull: free < this.#options.minFreeBytes };
  }

  /**
   * Motion metadata goes with the recordings it describes: an hour whose segments were removed, and an
   * hour older than the retention (a camera watched but not recorded), unless a segment kept (locked
   * evidence) still overlaps it. The last hour is never touched: it is being written.
   */
  async #motionSweep(now: Date, expiry: Date, removed: RemovedSegment[]): Promise<void> {
    const current = now.getTime() - hourMs;
    for (const cameraId of this.#motion.cameras()) {
      const gone = removed.filter((s) => s.cameraId === cameraId);
      const candidates = this.#motion.hours(cameraId).filter((hour) => {
        const end = hour + hourMs;
        if (end > current) return false;
        return end <= expiry.getTime() || gone.some((s) => s.startedAt.getTime() < end && s.endedAt.getTime() > hour);
      });
      const kept = new Set<number>();
      for (const hour of candidates) {
        const overlapping = { cameraId, startedAt: { lt: new Date(hour + hourMs) }, endedAt: { gt: new Date(hour) } };
        if ((await this.#prisma.recordingSegment.count({ where: overlapping })) > 0) kept.add(hour);
      }
      const expired = new Set(candidates.filter((hour) => !kept.has(hour)));
      if (expired.size > 0) await this.#motion.remove(cameraId, (hour) => expired.has(hour));
    }
  }

  /** Asked again just before a segment goes: a lock made since the pass began keeps it. */
  async #unlockedNow(segment: { cameraId: number; startedAt: Date; endedAt: Date }): Promise<boolean> {
    const overlapping = { cameraId: segment.cameraId, releasedAt: null, from: { lt: segment.endedAt }, to: { gt: segment.startedAt } };
    return (await this.#prisma.evidenceLock.count({ where: overlapping })) === 0;
  }

  async #usedBytes(recording: number[]): Promise<number> {
    const indexed = await this.#prisma.recordingSegment.aggregate({ _sum: { bytes: true } });
    return (indexed._sum.bytes ?? 0) + this.#index.liveBytes(recording);
  }
}
