import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../prisma/index.js';
import type { RecordMode } from '../../shared/cameras.js';
import type { GatewayLog, SegmentOutput } from '../CameraGatewayTypes.js';
import { NoRecordingError } from '../errors.js';
import { cutClip, type Clip } from './ClipCutter.js';
import { EvidenceLocks } from './EvidenceLocks.js';
import { Bookmarks } from './Bookmarks.js';
import { OfficeHours } from './OfficeHours.js';
import type { RecordingOptions, StorageState } from './RecordingTypes.js';
import { Retention } from './Retention.js';
import { SegmentIndex, type Segment, type TimeRange } from './SegmentIndex.js';
import { MotionStore } from '../motion/MotionStore.js';
import { defaultMotionOptions, type MotionOptions } from '../motion/MotionTypes.js';

export type RecorderEvents = {
  /** The disk filled up (recording paused) or has room again. */
  storage: [state: StorageState];
};

/**
 * Camera recording beside the live wall: which cameras record now (their mode and the office hours),
 * where their pulls write, the index of what was written, retention, evidence locks and clips. The
 * pulls themselves are the gateway's feeds: one per camera feeds the SFU and the recorder.
 */
export class Recorder extends EventEmitter<RecorderEvents> {
  readonly options: RecordingOptions;
  readonly locks: EvidenceLocks;
  readonly bookmarks: Bookmarks;
  /** The cameras' motion metadata, beside their segments and removed with them. */
  readonly motion: MotionStore;
  readonly #index: SegmentIndex;
  readonly #retention: Retention;
  readonly #officeHours: OfficeHours;
  #storage: StorageState;

  constructor(deps: {
    prisma: Db;
    options: RecordingOptions;
    log: GatewayLog;
    motion?: Partial<Pick<MotionOptions, 'noiseFloor' | 'flushIntervalMs'>>;
  }) {
    super();
    this.options = deps.options;
    fs.mkdirSync(deps.options.directory, { recursive: true, mode: 0o700 });
    this.#index = new SegmentIndex(deps.prisma, deps.options.directory, deps.log);
    const motion = { ...defaultMotionOptions, ...deps.motion };
    this.motion = new MotionStore({
      directory: deps.options.directory,
      noiseFloor: motion.noiseFloor,
      flushIntervalMs: motion.flushIntervalMs,
      log: deps.log,
    });
    this.#retention = new Retention(deps.prisma, this.#index, this.motion, deps.options, deps.log);
    this.#officeHours = new OfficeHours(deps.options.officeHours);
    this.locks = new EvidenceLocks(deps.prisma);
    this.bookmarks = new Bookmarks(deps.prisma);
    this.#storage = { usedBytes: 0, quotaBytes: deps.options.quotaBytes, freeBytes: 0, diskFull: false };
  }

  get storage(): StorageState {
    return this.#storage;
  }

  /** Whether a camera in this mode records at `now` (never while the disk is full). */
  wants(mode: RecordMode, now: Date): boolean {
    if (this.#storage.diskFull || mode === 'OFF') return false;
    return mode === 'ALWAYS' || this.#officeHours.contains(now);
  }

  output(cameraId: number): SegmentOutput {
    return { directory: this.#index.cameraDirectory(cameraId), segmentSeconds: this.options.segmentSeconds };
  }

  /** Indexes what a pull finished writing (`writing`: another pull of the camera writes now). */
  segmentsWritten(cameraId: number, writing: boolean): Promise<void> {
    return this.#index.scan(cameraId, writing);
  }

  /** Indexes every complete file on disk not indexed yet, whatever its age (at start-up). */
  segmentsOnDisk(cameraId: number): Promise<void> {
    return this.#index.scan(cameraId, false, true);
  }

  /** Retention and the disk's free space; says "storage" when the disk fills up or has room again. */
  async sweep(now: Date, recording: number[]): Promise<StorageState> {
    const state = await this.#retention.sweep(now, recording);
    const changed = state.diskFull !== this.#storage.diskFull;
    this.#storage = state;
    if (changed) this.emit('storage', state);
    return state;
  }

  ranges(cameraId: number, from: Date, to: Date, writing: boolean): Promise<TimeRange[]> {
    return this.#index.ranges(cameraId, from, to, writing);
  }

  /** The segments playback walks through (the HLS playlist), with their files. */
  async segments(cameraId: number, from: Date, to: Date, writing: boolean): Promise<Array<Segment & { path: string }>> {
    return (await this.#index.overlapping(cameraId, from, to, writing)).map((s) => ({ ...s, path: this.#index.pathOf(s) }));
  }

  async clip(cameraId: number, from: Date, to: Date, writing: boolean): Promise<Clip> {
    const segments = await this.segments(cameraId, from, to, writing);
    if (segments.length === 0) throw new NoRecordingError(cameraId);
    return cutClip(segments, from, to);
  }

  /** A camera's recordings go with it (the registry refuses while it has evidence locked). */
  async removeCamera(cameraId: number): Promise<void> {
    await this.motion.forget(cameraId);
    fs.rmSync(path.join(this.options.directory, String(cameraId)), { recursive: true, force: true });
  }
}
