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
  /** null for a file not indexed yet (the one being written, or one completed since the last scan). */
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
 * complete (its pull moved on to the next one, or ended), with the times its last write and the
 * duration ffprobe reads give it (see timesOf). A file not indexed yet is listed from its name and the
 * time it was last written to.
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
   * file is still being written and waits. A file with no frame in it (a pull that never got one) is
   * removed. `everything`: every file on disk is checked (at start-up, after files were put back);
   * otherwise only those newer than the newest indexed one (files are indexed oldest first).
   */
  async scan(cameraId: number, writing: boolean, everything = false): Promise<void> {
    const files = everything ? this.#files(cameraId) : this.#newerThan(cameraId, await this.#newestIndexed(cameraId));
    const complete = writing ? files.slice(0, -1) : files;
    if (complete.length === 0) return;
    const known = new Set(
      (
        await this.#prisma.recordingSegment.findMany({
          // a segment starts up to a second before the second in its name (see timesOf)
          where: { cameraId, startedAt: { gte: new Date(startOf(complete[0]!).getTime() - 1000) } },
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
      // a pull that ended, the periodic pass and a viewer's query may scan the same file at once:
      // whichever comes second changes nothing
      const segment = { cameraId, file, ...timesOf(file, stat.mtime, durationMs), bytes: stat.size };
      await this.#prisma.recordingSegment.upsert({ where: { file }, create: segment, update: {} });
    }
  }

  /**
   * Segments that overlap [from, to), oldest first, up to the frame written last. What a query sees
   * is never short of what is on disk: the segments complete since the last pass are indexed first,
   * and a file newer than the newest indexed one when the query began (the one being written, or one
   * that completed meanwhile) is listed from its name and its last write.
   */
  async overlapping(cameraId: number, from: Date, to: Date, writing: boolean): Promise<Segment[]> {
    await this.scan(cameraId, writing);
    // in this order, a file indexed by another scan during the query is in the rows or in the pending
    const newest = await this.#newestIndexed(cameraId);
    const pending = this.#newerThan(cameraId, newest);
    const indexed = await this.#prisma.recordingSegment.findMany({
      where: { cameraId, startedAt: { lt: to }, endedAt: { gt: from } },
      orderBy: { startedAt: 'asc' },
    });
    const segments: Segment[] = indexed;
    for (const file of pending) {
      const segment = indexed.some((s) => s.file === file) ? undefined : this.#unindexed(cameraId, file);
      if (segment && segment.startedAt < to && segment.endedAt > from) segments.push(segment);
    }
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
    return file ? this.#unindexed(cameraId, file) : undefined;
  }

  /** A file not indexed yet, from its name and its last write; undefined when it is gone or empty. */
  #unindexed(cameraId: number, file: string): Segment | undefined {
    const stat = fs.statSync(path.join(this.directory, file), { throwIfNoEntry: false });
    if (!stat || stat.size === 0) return undefined;
    return { id: null, cameraId, file, startedAt: startOf(file), endedAt: stat.mtime, bytes: stat.size };
  }

  async #newestIndexed(cameraId: number): Promise<string | undefined> {
    const newest = await this.#prisma.recordingSegment.findFirst({
      where: { cameraId },
      orderBy: { startedAt: 'desc' },
      select: { file: true },
    });
    return newest?.file;
  }

  /** The camera's files named after `file` (all of them when undefined), oldest first. */
  #newerThan(cameraId: number, file: string | undefined): string[] {
    const files = this.#files(cameraId);
    return file === undefined ? files : files.filter((f) => secondsOf(f) > secondsOf(file));
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
  return new Date(secondsOf(file) * 1000);
}

function secondsOf(file: string): number {
  return parseInt(path.basename(file), 10);
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
