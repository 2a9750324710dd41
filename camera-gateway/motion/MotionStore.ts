import fs from 'node:fs';
import path from 'node:path';
import type { GatewayLog } from '../CameraGatewayTypes.js';
import { encodeSample, hourOf, hourOfFile, motionFileName } from './MotionFile.js';
import { MotionMatcher, type MotionInterval } from './motionSearch.js';
import type { MotionQuery, MotionSample } from './MotionTypes.js';

/** At most this many intervals in one answer (a search that finds more is told so). */
const maxIntervals = 5000;

interface Pending {
  hourStart: number;
  chunks: Buffer[];
}

/**
 * The cameras' motion metadata beside their recordings ("<recordings>/<camera>/motion/"): appended a
 * few seconds at a time, searched by region, and removed with the recordings it describes (Retention).
 * A search sees what is still waiting to be written too.
 */
export class MotionStore {
  readonly #directory: string;
  readonly #noiseFloor: number;
  readonly #log: GatewayLog;
  readonly #pending = new Map<number, Pending[]>();
  readonly #timer: NodeJS.Timeout;
  #writing: Promise<void> = Promise.resolve();

  constructor(options: { directory: string; noiseFloor: number; flushIntervalMs: number; log: GatewayLog }) {
    this.#directory = options.directory;
    this.#noiseFloor = options.noiseFloor;
    this.#log = options.log;
    this.#timer = setInterval(() => {
      this.flush().catch(() => undefined);
    }, options.flushIntervalMs);
    this.#timer.unref();
  }

  directoryOf(cameraId: number): string {
    return path.join(this.#directory, String(cameraId), 'motion');
  }

  append(cameraId: number, sample: MotionSample): void {
    const record = encodeSample(sample, this.#noiseFloor);
    if (!record) return;
    const pending = this.#pending.get(cameraId) ?? [];
    this.#pending.set(cameraId, pending);
    const hourStart = hourOf(sample.at);
    let hour = pending.at(-1);
    if (hour?.hourStart !== hourStart) pending.push((hour = { hourStart, chunks: [] }));
    hour.chunks.push(record);
  }

  /** Writes what is pending (one write at a time, in order); a failed write is logged and dropped. */
  flush(): Promise<void> {
    const batches = [...this.#pending];
    this.#pending.clear();
    const write = this.#writing.then(async () => {
      for (const [cameraId, hours] of batches) {
        const directory = this.directoryOf(cameraId);
        try {
          await fs.promises.mkdir(directory, { recursive: true, mode: 0o700 });
          for (const hour of hours)
            await fs.promises.appendFile(path.join(directory, motionFileName(hour.hourStart)), Buffer.concat(hour.chunks));
        } catch (err) {
          this.#log.error({ err, cameraId }, 'motion metadata could not be written');
        }
      }
    });
    this.#writing = write.catch(() => undefined);
    return write;
  }

  /** The stored hours of a camera (their starts, epoch ms), oldest first. */
  hours(cameraId: number): number[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.directoryOf(cameraId));
    } catch {
      return [];
    }
    return names
      .map(hourOfFile)
      .filter((hour): hour is number => hour !== null)
      .sort((a, b) => a - b);
  }

  /** Intervals with motion in the query's region, oldest first. */
  async search(cameraId: number, query: MotionQuery): Promise<{ intervals: MotionInterval[]; truncated: boolean }> {
    // what is already on its way to disk is read from disk, the rest from memory
    await this.#writing;
    const matcher = new MotionMatcher(query);
    const first = hourOf(query.from.getTime());
    const pending = this.#pending.get(cameraId) ?? [];
    const stored = new Set(this.hours(cameraId));
    const hours = [...new Set([...stored, ...pending.map((p) => p.hourStart)])].sort((a, b) => a - b);
    for (const hour of hours) {
      if (hour < first || hour >= query.to.getTime()) continue;
      // an hour retention removes meanwhile is simply not there any more
      const file = stored.has(hour)
        ? await fs.promises.readFile(path.join(this.directoryOf(cameraId), motionFileName(hour))).catch(() => null)
        : null;
      if (file) matcher.scan(file, hour);
      for (const waiting of pending) if (waiting.hourStart === hour) matcher.scan(Buffer.concat(waiting.chunks), hour);
    }
    const intervals = matcher.intervals;
    return { intervals: intervals.slice(0, maxIntervals), truncated: intervals.length > maxIntervals };
  }

  /** Removes a camera's hours `expired` says are no longer needed. */
  async remove(cameraId: number, expired: (hourStart: number) => boolean): Promise<number> {
    let removed = 0;
    for (const hour of this.hours(cameraId)) {
      if (!expired(hour)) continue;
      await fs.promises.rm(path.join(this.directoryOf(cameraId), motionFileName(hour)), { force: true });
      removed++;
    }
    return removed;
  }

  /** A camera removed: what waits to be written for it is dropped, and a write under way finishes first (its directory goes next). */
  async forget(cameraId: number): Promise<void> {
    this.#pending.delete(cameraId);
    await this.#writing;
  }

  /** Cameras that have motion metadata on disk. */
  cameras(): number[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.#directory);
    } catch {
      return [];
    }
    return names.filter((name) => /^\d+$/.test(name) && fs.existsSync(path.join(this.#directory, name, 'motion'))).map(Number);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }
}
