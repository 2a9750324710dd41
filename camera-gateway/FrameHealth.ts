import type { FrameHealthOptions, FrameVerdict } from './CameraGatewayTypes.js';

const rtpClockRate = 90_000;
/** Media time must advance at least this fast against wall time, or the picture counts as frozen. */
const minMediaRate = 0.5;
/** Two key frames at least this far apart (wall time) judge whether media time advances. */
const minJudgedSpanMs = 1500;
/** A key frame's packets (parameter sets, slices) arrive within this; later, the same timestamp is another frame. */
const samePictureMs = 300;

interface KeyFrameSample {
  at: number;
  rtpTimestamp: number;
}

/**
 * Whether a forwarded camera stream is live, judged from what viewers get: bytes arriving, key frames
 * arriving (without them no new viewer can start), and media time (the RTP timestamps of those key
 * frames) advancing with wall time. A camera that keeps sending packets while its timestamps or
 * picture stand still is not live. One instance judges one pull; `restart` begins the next.
 */
export class FrameHealth {
  readonly #options: FrameHealthOptions;
  #pullStartedAt = 0;
  #lastBytes = 0;
  #lastBytesAt = 0;
  #keyFrames: KeyFrameSample[] = [];

  constructor(options: FrameHealthOptions) {
    this.#options = options;
  }

  restart(now: number): void {
    this.#pullStartedAt = now;
    this.#lastBytes = 0;
    this.#lastBytesAt = 0;
    this.#keyFrames = [];
  }

  get pullStartedAt(): number {
    return this.#pullStartedAt;
  }

  /** When this pull's byte counter last grew; 0 while it has delivered nothing. */
  get lastBytesAt(): number {
    return this.#lastBytesAt;
  }

  /** The ingest's byte counter, sampled. */
  bytes(total: number, now: number): void {
    if (total > this.#lastBytes) this.#lastBytesAt = now;
    this.#lastBytes = total;
  }

  /** A forwarded key-frame packet (a picture's packets share one timestamp and count once). */
  keyFrame(rtpTimestamp: number, now: number): void {
    const last = this.#keyFrames.at(-1);
    if (last?.rtpTimestamp === rtpTimestamp && now - last.at < samePictureMs) return;
    this.#keyFrames.push({ at: now, rtpTimestamp });
    const keepAfter = now - Math.max(this.#options.keyFrameTimeoutMs, 4 * minJudgedSpanMs);
    while (this.#keyFrames.length > 2 && this.#keyFrames[0]!.at < keepAfter) this.#keyFrames.shift();
  }

  verdict(now: number): FrameVerdict {
    const { offlineAfterMs, keyFrameTimeoutMs } = this.#options;
    if (now - (this.#lastBytesAt || this.#pullStartedAt) > offlineAfterMs) return { state: 'SILENT', detail: 'no video received' };
    const last = this.#keyFrames.at(-1);
    if (!last) {
      return now - this.#pullStartedAt > keyFrameTimeoutMs
        ? { state: 'NO_KEY_FRAME', detail: `no key frame in ${Math.round(keyFrameTimeoutMs / 1000)} s` }
        : { state: 'WAITING' };
    }
    if (now - last.at > keyFrameTimeoutMs)
      return { state: 'NO_KEY_FRAME', detail: `no key frame for ${Math.round((now - last.at) / 1000)} s` };
    const earlier = this.#keyFrames.findLast((k) => last.at - k.at >= minJudgedSpanMs);
    if (!earlier) return { state: 'LIVE', judged: false };
    const wallSeconds = (last.at - earlier.at) / 1000;
    const step = (last.rtpTimestamp - earlier.rtpTimestamp) >>> 0;
    // A step of half the 32-bit range or more is the clock going backwards.
    const mediaSeconds = step >= 0x80000000 ? 0 : step / rtpClockRate;
    if (mediaSeconds < minMediaRate * wallSeconds) {
      return { state: 'FROZEN', detail: `picture frozen: ${mediaSeconds.toFixed(1)} s of video in ${wallSeconds.toFixed(1)} s` };
    }
    return { state: 'LIVE', judged: true };
  }
}
