import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Db } from '../../prisma/index.js';
import type { GatewayLog } from '../CameraGatewayTypes.js';

const run = promisify(execFile);

/**
 * Recorded time continues across two segments when the second starts this soon after the first ends:
 * within one pull they meet to a frame or two (times from each file's last write); a new pull (a camera
 * back, a hub restarted) is at least a connection later, and shows as a gap.
 */
const contiguousMs = 500;

export interface Segment {
  /** null for the segment being written now (not indexed until it is complete). */
  id: number | null;
  cameraId: number;
  file: string;
  startedAt: Date;
  endedAt: Date;
  bytes: number;
}

export interface TimeRange {
  start: Date;
  end: Date;
}

/**
 * The recorded segments on disk and their index in the database. A segment is indexed once it is
 * complete (its pull moved on to the next one, or ended): its start is in its name, its end is its
 * start plus the duration ffprobe reads from the file. The one being written is listed from its name
 * and the time it was last written to.
 */
export class SegmentIndex {
  readonly directory: string;
  readonly #prisma: Db;
  readonly #log: GatewayLog;

  constructor(prisma: Db, directory: string, log: GatewayLog) {
    this.#prisma = prisma;
    this.directory = directory;
    this.#log = log;
  }

  cameraDirectory(cameraId: number): string {
    const dir = path.join(this.directory, String(cameraId));
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  /**
   * Indexes the camera's complete segments not indexed yet. `writing`: a pull is running, so its newest
   * file is still being written and waits. A file with no frame in it (a pull that never got one) is removed.
   */
  async scan(cameraId: number, writing: boolean): Promise<void> {
    const files = this.#files(cameraId);
    const complete = writing ? files.slice(0, -1) : files;
    if (complete.length === 0) return;
    const known = new Set(
      (
        await this.#prisma.recordingSegment.findMany({
          where: { cameraId, startedAt: { gte: startOf(complete[0]!) } },
          select: { file: true },
        })
      ).map((s) => s.file),
    );
    for (const file of complete) {
      if (known.has(file)) continue;
      const full = path.join(this.directory, file);
      const durationMs = await probeDurationMs(full);
      const stat = fs.statSync(full, { throwIfNoEntry: false });
      if (!durationMs || !stat || stat.size === 0) {
        this.#log.warn({ file }, 'a recorded segment holds no frame: removed');
        fs.rmSync(full, { force: true });
        continue;
      }
      // a pull that ended and the periodic pass may scan the same file at once: whichever comes second changes nothing
      const segment = { cameraId, file, ...timesOf(file, stat.mtime, durationMs), bytes: stat.size };
      await this.#prisma.recordingSegment.upsert({ where: { file }, create: segment, update: {} });
    }
  }

  /** Segments that overlap [from, to), oldest first, including the one being written. */
  async overlapping(cameraId: number, from: Date, to: Date, writing: boolean): Promise<Segment[]> {
    const indexed = await this.#prisma.recordingSegment.findMany({
      where: { cameraId, startedAt: { lt: to }, endedAt: { gt: from } },
      orderBy: { startedAt: 'asc' },
    });
    const segments: Segment[] = indexed;
    const live = writing ? this.#live(cameraId) : undefined;
    if (live && live.startedAt < to && live.endedAt > from && !indexed.some((s) => s.file === live.file)) segments.push(live);
    return segments;
  }

  /** The recorded time within [from, to): contiguous segments merged, gaps left out. */
  async ranges(cameraId: number, from: Date, to: Date, writing: boolean): Promise<TimeRange[]> {
    const ranges: TimeRange[] = [];
    for (const segment of await this.overlapping(cameraId, from, to, writing)) {
      const start = new Date(Math.max(segment.startedAt.getTime(), from.getTime()));
      const end = new Date(Math.min(segment.endedAt.getTime(), to.getTime()));
      const last = ranges.at(-1);
      if (last && start.getTime() - last.end.getTime() <= contiguousMs) {
        if (end > last.end) last.end = end;
      } else ranges.push({ start, end });
    }
    return ranges;
  }

  /** Removes a segment's file and its index row. */
  async remove(segment: { id: number; file: string }): Promise<void> {
    fs.rmSync(path.join(this.directory, segment.file), { force: true });
    await this.#prisma.recordingSegment.deleteMany({ where: { id: segment.id } });
  }

  /** Bytes on disk of the segments being written (not indexed yet). */
  liveBytes(cameraIds: number[]): number {
    return cameraIds.reduce((sum, id) => sum + (this.#live(id)?.bytes ?? 0), 0);
  }

  /** The path of a segment's file, if it is one of the camera's recordings. */
  pathOf(segment: Segment): string {
    return path.join(this.directory, segment.file);
  }

  #live(cameraId: number): Segment | undefined {
    const file = this.#files(cameraId).at(-1);
    if (!file) return undefined;
    const stat = fs.statSync(path.join(this.directory, file), { throwIfNoEntry: false });
    if (!stat || stat.size === 0) return undefined;
    return { id: null, cameraId, file, startedAt: startOf(file), endedAt: stat.mtime, bytes: stat.size };
  }

  /** The camera's segment files, oldest first (relative to the recordings directory). */
  #files(cameraId: number): string[] {
    const dir = path.join(this.directory, String(cameraId));
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((name) => /^\d+\.ts$/.test(name))
      .sort((a, b) => parseInt(a, 10) - parseInt(b, 10))
      .map((name) => `${cameraId}/${name}`);
  }
}

/**
 * A complete segment's times. Its name has the second it was opened; its last write (the muxer flushes
 * it when the next segment begins) is its end to the millisecond, and its start is that less its
 * duration. A file whose last write does not fit its name (copied back from a backup) keeps the name's time.
 */
function timesOf(file: string, lastWrite: Date, durationMs: number): { startedAt: Date; endedAt: Date } {
  const named = startOf(file).getTime();
  const start = lastWrite.getTime() - durationMs;
  const startedAt = start >= named - 1000 && start <= named + 2000 ? start : named;
  return { startedAt: new Date(startedAt), endedAt: new Date(startedAt + durationMs) };
}

/** A segment's start, from its name (the second its pull opened it). */
function startOf(file: string): Date {
  return new Date(parseInt(path.basename(file), 10) * 1000);
}

/** The segment's duration from its timestamps (0 when it holds no frame or cannot be read). */
async function probeDurationMs(file: string): Promise<number> {
  try {
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], {
      timeout: 30_000,
    });
    const seconds = Number(stdout.trim());
    return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : 0;
  } catch {
    return 0;
  }
}
