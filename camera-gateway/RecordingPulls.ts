import type { RecordMode, StreamProfile } from '../shared/cameras.js';
import type { GatewayLog } from './CameraGatewayTypes.js';
import type { CameraFeed } from './CameraFeed.js';
import type { FeedPool } from './FeedPool.js';
import type { Recorder } from './recording/Recorder.js';

/** What the schedule needs of a registered camera. */
export interface RecordedCamera {
  id: number;
  recordMode: RecordMode;
  encoding: string;
}

/** The recorder holds a camera's main stream like a viewer does, and its wall stream for the motion metadata. */
const recorderHolder = 'recorder';

/**
 * Which cameras' pulls write segments, applied every `sweepIntervalMs` and at once when an operator
 * changes a camera's mode: the camera's mode and the office hours decide, a full disk pauses them all.
 * Each pass also indexes the segments the pulls completed and applies retention. A recorded camera's
 * main stream is pulled anyway: the same pull feeds the wall's enlarged view.
 */
export class RecordingPulls {
  readonly #recorder: Recorder;
  readonly #feeds: FeedPool;
  readonly #hold: (cameraId: number, profile: StreamProfile, holder: string) => CameraFeed | undefined;
  readonly #cameras: () => Iterable<RecordedCamera>;
  readonly #changed: (cameraId: number) => void;
  readonly #log: GatewayLog;
  #timer?: NodeJS.Timeout;
  #lastPass: Promise<void> = Promise.resolve();

  constructor(deps: {
    recorder: Recorder;
    feeds: FeedPool;
    /** Starts (or joins) a camera's stream; undefined when its stored URI is refused. */
    hold: (cameraId: number, profile: StreamProfile, holder: string) => CameraFeed | undefined;
    cameras: () => Iterable<RecordedCamera>;
    /** A camera's recording state changed (the wall shows it). */
    changed: (cameraId: number) => void;
    log: GatewayLog;
  }) {
    this.#recorder = deps.recorder;
    this.#feeds = deps.feeds;
    this.#hold = deps.hold;
    this.#cameras = deps.cameras;
    this.#changed = deps.changed;
    this.#log = deps.log;
  }

  /** Indexes what a previous run left (no pull runs yet: every file is complete), then the first pass and the timer. */
  async start(): Promise<void> {
    for (const camera of this.#cameras()) await this.#recorder.segmentsOnDisk(camera.id);
    await this.apply(new Date());
    this.#timer = setInterval(() => {
      this.apply(new Date()).catch(() => undefined);
    }, this.#recorder.options.sweepIntervalMs);
  }

  close(): void {
    clearInterval(this.#timer);
  }

  /** Whether the camera's pull writes segments now. */
  recording(cameraId: number): boolean {
    return Boolean(this.#feeds.feed(cameraId, 'main')?.recording);
  }

  /** One pass at a time (the timer's and an operator's change). */
  apply(now: Date): Promise<void> {
    const pass = this.#lastPass.then(() => this.#pass(now));
    this.#lastPass = pass.catch((err: unknown) => this.#log.error({ err }, 'recording pass failed'));
    return pass;
  }

  async #pass(now: Date): Promise<void> {
    const cameras = [...this.#cameras()];
    const recording = cameras.map((c) => c.id).filter((id) => this.recording(id));
    for (const id of recording) await this.#recorder.segmentsWritten(id, true);
    // first the disk: a full one stops the recording pulls now, one with room again restarts them
    await this.#recorder.sweep(now, recording);
    for (const camera of cameras) {
      const wanted = this.#recorder.wants(camera.recordMode, now) && camera.encoding.toUpperCase() === 'H264';
      const was = this.recording(camera.id);
      if (wanted) {
        this.#hold(camera.id, 'main', recorderHolder)?.record(this.#recorder.output(camera.id));
        // the wall stream's pictures give the recording its motion metadata
        this.#hold(camera.id, 'sub', recorderHolder);
      } else if (was) {
        this.#feeds.feed(camera.id, 'main')?.record(null);
        this.#feeds.release(camera.id, 'main', recorderHolder);
        this.#feeds.release(camera.id, 'sub', recorderHolder);
      }
      if (this.recording(camera.id) !== was) this.#changed(camera.id);
    }
  }
}
