import type { StreamProfile } from '../shared/cameras.js';
import type { CameraFeed } from './CameraFeed.js';

interface RunningFeed {
  feed: CameraFeed;
  /** Who needs the stream: viewers (socket ids), a viewer's warm main stream, the recorder. */
  holders: Set<string>;
  linger?: NodeJS.Timeout;
}

/**
 * The running pulls, one per camera stream however many hold it: a pull starts with its first holder
 * and stops `lingerMs` after its last one leaves (a tile reopened soon needs no new pull), unless
 * `kept` says the stream runs anyway (a pinned camera's wall stream).
 */
export class FeedPool {
  readonly #feeds = new Map<string, RunningFeed>();
  readonly #start: (cameraId: number, profile: StreamProfile) => CameraFeed;
  readonly #kept: (cameraId: number, profile: StreamProfile) => boolean;
  readonly #lingerMs: number;
  readonly #warmDelayMs: number;
  #nextWarmStart = 0;
  readonly #stopped: (cameraId: number, profile: StreamProfile) => void;

  constructor(options: {
    start: (cameraId: number, profile: StreamProfile) => CameraFeed;
    kept: (cameraId: number, profile: StreamProfile) => boolean;
    lingerMs: number;
    warmDelayMs: number;
    /** A pull stopped (its status no longer counts). */
    stopped: (cameraId: number, profile: StreamProfile) => void;
  }) {
    this.#stopped = options.stopped;
    this.#start = options.start;
    this.#warmDelayMs = options.warmDelayMs;
    this.#kept = options.kept;
    this.#lingerMs = options.lingerMs;
  }

  feed(cameraId: number, profile: StreamProfile): CameraFeed | undefined {
    return this.#feeds.get(key(cameraId, profile))?.feed;
  }

  /**
   * Starts the stream (or keeps it), held by `holder` until released; without a holder it only runs
   * (pinned). A stream held only to be warm starts `warmDelayMs` later, after the ones on screen.
   */
  hold(cameraId: number, profile: StreamProfile, holder?: string, warm = false): CameraFeed {
    let running = this.#feeds.get(key(cameraId, profile));
    if (!running) {
      running = { feed: this.#start(cameraId, profile), holders: new Set() };
      this.#feeds.set(key(cameraId, profile), running);
      running.feed.start(warm ? this.#warmSlot() : 0);
    } else if (!warm) {
      running.feed.hurry();
    }
    if (holder) running.holders.add(holder);
    clearTimeout(running.linger);
    return running.feed;
  }

  /** Whether `holder` held the stream (and no longer does). */
  release(cameraId: number, profile: StreamProfile, holder: string): boolean {
    const running = this.#feeds.get(key(cameraId, profile));
    if (!running?.holders.delete(holder)) return false;
    this.releaseIfIdle(cameraId, profile);
    return true;
  }

  /** Everything held by holders `matching` (a station that disconnected). */
  releaseAll(matching: (holder: string) => boolean): void {
    for (const [name, running] of this.#feeds) {
      const released = [...running.holders].filter(matching);
      if (released.length === 0) continue;
      for (const holder of released) running.holders.delete(holder);
      const [id, profile] = name.split('/') as [string, StreamProfile];
      this.releaseIfIdle(Number(id), profile);
    }
  }

  /** Stops the stream a little later when nobody holds it and it is not kept. */
  releaseIfIdle(cameraId: number, profile: StreamProfile): void {
    const running = this.#feeds.get(key(cameraId, profile));
    if (!running || running.holders.size > 0 || this.#kept(cameraId, profile)) return;
    clearTimeout(running.linger);
    running.linger = setTimeout(() => this.stop(cameraId, profile), this.#lingerMs);
  }

  /**
   * When a warm stream starts: `warmDelayMs` from now, and after the warm streams already waiting, one
   * every `warmSpacingMs`: a wall of 36 opening at once starts 36 pulls in a row, not in one burst of
   * ffmpeg start-ups that would slow the tiles on screen.
   */
  #warmSlot(): number {
    const now = Date.now();
    this.#nextWarmStart = Math.max(now + this.#warmDelayMs, this.#nextWarmStart + warmSpacingMs);
    return this.#nextWarmStart - now;
  }

  stop(cameraId: number, profile: StreamProfile): void {
    const running = this.#feeds.get(key(cameraId, profile));
    if (!running) return;
    clearTimeout(running.linger);
    running.feed.stop();
    this.#feeds.delete(key(cameraId, profile));
    this.#stopped(cameraId, profile);
  }

  close(): void {
    for (const { feed, linger } of this.#feeds.values()) {
      clearTimeout(linger);
      feed.stop();
    }
    this.#feeds.clear();
  }
}

const key = (cameraId: number, profile: StreamProfile) => `${cameraId}/${profile}`;
/** Between two warm streams' first pulls. */
const warmSpacingMs = 250;
