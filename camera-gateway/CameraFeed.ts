import { EventEmitter } from 'node:events';
import ffmpeg from 'fluent-ffmpeg';
import type { CameraHub, CameraIngest } from '../media-server/index.js';
import type { CameraFeedEvents, FeedOptions, FeedStatus, FrameVerdict, GatewayLog } from './CameraGatewayTypes.js';
import { FrameHealth } from './FrameHealth.js';
import { acceptsConnections, probeVideo, rtspProtocols, type ProbedVideo } from './rtspProbe.js';

const payloadType = 102;

/**
 * ffprobe's H.264 profile name → the profile part of the SDP profile-level-id the stream is offered
 * with. High is offered as Main: Chromium negotiates at most Main for receiving H.264, yet its
 * decoder plays High bitstreams, and the gateway must forward the camera's bits unchanged.
 */
const profileIdc: Record<string, string> = { 'Constrained Baseline': '42e0', Baseline: '42e0', Main: '4d00', High: '4d00' };

function profileLevelId(video: ProbedVideo): string {
  const profile = profileIdc[String(video.profile)] ?? '42e0';
  const level = Number(video.level) > 0 ? Number(video.level) : 31;
  return `${profile}${level.toString(16).padStart(2, '0')}`;
}

/** What a verdict means on the wall. */
function statusOf(verdict: Exclude<FrameVerdict, { state: 'LIVE' | 'WAITING' }>): FeedStatus {
  return verdict.state === 'SILENT' ? 'OFFLINE' : 'STALLED';
}

/**
 * One camera stream into the SFU: ffmpeg pulls RTSP over TCP and remuxes the H.264 as RTP (never
 * transcodes) into a PlainTransport producer. Whether the camera is up is judged from the frames
 * forwarded (FrameHealth): ONLINE as soon as a key frame shows it is back, OFFLINE or STALLED once
 * that has held for `debounceMs`. A pull that ends or stalls is replaced by a new one, each into a
 * new producer that viewers are told about; while the camera refuses connections only its port is
 * tried, so it plays again within about a second of answering.
 */
export class CameraFeed extends EventEmitter<CameraFeedEvents> {
  readonly rtspUri: string;
  readonly #hub: CameraHub;
  readonly #options: FeedOptions;
  readonly #log: GatewayLog;
  readonly #health: FrameHealth;
  readonly #ssrc = 0x10000000 + Math.floor(Math.random() * 0x6fffffff);
  #ingest?: CameraIngest;
  #probed?: ProbedVideo;
  #command?: ffmpeg.FfmpegCommand;
  #status: FeedStatus = 'UNKNOWN';
  #pending: { status: FeedStatus; since: number } | null = null;
  #unhealthySince: number | null = null;
  #attempt = 0;
  #retry?: NodeJS.Timeout;
  #healthTimer?: NodeJS.Timeout;
  #checking = false;
  #stopped = true;

  constructor(hub: CameraHub, rtspUri: string, options: FeedOptions, log: GatewayLog) {
    super();
    this.#hub = hub;
    this.rtspUri = rtspUri;
    this.#options = options;
    this.#log = log;
    this.#health = new FrameHealth(options);
  }

  get status(): FeedStatus {
    return this.#status;
  }

  get producerId(): string | undefined {
    return this.#ingest?.producer.id;
  }

  get lastPacketAt(): Date | null {
    const at = this.#health.lastBytesAt;
    return at ? new Date(at) : null;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#health.restart(Date.now());
    this.#healthTimer = setInterval(() => this.#checkHealth(), 500);
    this.#connectSoon(0);
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#healthTimer);
    clearTimeout(this.#retry);
    this.#command?.kill('SIGKILL');
    this.#command = undefined;
    this.#ingest?.close();
    this.#ingest = undefined;
  }

  /** Pulls after `delayMs`, once the camera accepts connections (polled cheaply until it does). */
  #connectSoon(delayMs: number): void {
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => {
      acceptsConnections(this.rtspUri, this.#options.reachabilityIntervalMs)
        .then((reachable) => {
          if (this.#stopped) return;
          if (reachable) return this.#connect();
          this.#connectSoon(this.#options.reachabilityIntervalMs);
        })
        .catch(() => this.#connectSoon(this.#options.reachabilityIntervalMs));
    }, delayMs);
  }

  /** After a failed pull: the next one waits longer each time, until a pull delivers frames. */
  #reconnect(): void {
    if (this.#stopped) return;
    const { initial, max } = this.#options.backoffMs;
    this.#connectSoon(Math.min(max, initial * 2 ** this.#attempt++));
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    try {
      // Probed once: every extra RTSP session is churn on the camera.
      const video = (this.#probed ??= await probeVideo(this.rtspUri));
      if (this.#stopped) return;
      if (video?.codec !== 'h264') {
        // Forwarding is remux-only: anything but H.264 is shown as unsupported, never transcoded.
        this.#report('UNSUPPORTED', `codec ${video?.codec ?? 'none'} is not supported (H.264 only)`);
        return;
      }
      // A fresh producer for each pull: a restarted ffmpeg starts new RTP timestamps, which a
      // browser would take for old frames; viewers re-consume on "producer".
      this.#ingest?.close();
      this.#ingest = undefined;
      const ingest = await this.#hub.createIngest({ payloadType, ssrc: this.#ssrc, profileLevelId: profileLevelId(video) });
      if (this.#stopped) return ingest.close();
      this.#ingest = ingest;
      this.#health.restart(Date.now());
      ingest.onKeyFrame((rtpTimestamp) => {
        if (this.#ingest === ingest) this.#health.keyFrame(rtpTimestamp, Date.now());
      });
      this.emit('producer', ingest.producer.id);
      this.#spawn(ingest);
    } catch {
      this.#reconnect();
    }
  }

  #spawn(ingest: CameraIngest): void {
    const target = `rtp://127.0.0.1:${ingest.port}?rtcpport=${ingest.rtcpPort}&pkt_size=1200`;
    const command = ffmpeg(this.rtspUri)
      .inputOptions(['-protocol_whitelist', rtspProtocols, '-rtsp_transport', 'tcp', '-timeout', '5000000', '-fflags', '+genpts'])
      .outputOptions([
        '-an',
        '-c:v',
        'copy',
        '-bsf:v',
        'dump_extra=freq=keyframe',
        '-payload_type',
        String(payloadType),
        '-ssrc',
        String(this.#ssrc),
      ])
      .format('rtp')
      .output(target);
    const ended = () => {
      if (this.#command !== command) return;
      this.#command = undefined;
      this.#reconnect();
    };
    command.on('error', ended).on('end', ended);
    this.#command = command;
    command.run();
  }

  #checkHealth(): void {
    if (this.#status === 'UNSUPPORTED' || this.#checking) return;
    this.#checking = true;
    const ingest = this.#ingest;
    (ingest ? ingest.receivedBytes() : Promise.resolve(0))
      .catch(() => 0)
      .then((bytes) => {
        if (ingest === this.#ingest) this.#judge(bytes, Date.now());
      })
      .catch((err: unknown) => this.#log.error({ err, rtspUri: this.rtspUri }, 'camera health check failed'))
      .finally(() => {
        this.#checking = false;
      });
  }

  #judge(bytes: number, now: number): void {
    this.#health.bytes(bytes, now);
    const verdict = this.#health.verdict(now);
    if (verdict.state === 'WAITING') return;
    if (verdict.state === 'LIVE') {
      this.#attempt = 0;
      this.#unhealthySince = null;
      // Back at the first key frame; a camera that was frozen must first show its clock moving.
      if (verdict.judged || this.#status !== 'STALLED') this.#report('ONLINE', null);
      return;
    }
    const unhealthySince = (this.#unhealthySince ??= now);
    // A pull that delivers nothing usable is replaced: the camera may answer a new session.
    if (this.#command && now > this.#replaceAfter(verdict.state, unhealthySince)) {
      this.#unhealthySince = null;
      this.#command.kill('SIGKILL');
    }
    const observed = statusOf(verdict);
    if (observed === this.#status) {
      this.#pending = null;
      return;
    }
    if (this.#pending?.status !== observed) this.#pending = { status: observed, since: now };
    if (now - this.#pending.since >= this.#options.debounceMs) this.#report(observed, verdict.detail);
  }

  /** When an unhealthy pull is given up; one still starting (nothing received yet) counts from its start. */
  #replaceAfter(state: FrameVerdict['state'], unhealthySince: number): number {
    const { offlineAfterMs, keyFrameTimeoutMs, pullStartTimeoutMs } = this.#options;
    if (state !== 'SILENT') return unhealthySince + keyFrameTimeoutMs;
    if (!this.#health.lastBytesAt) return this.#health.pullStartedAt + pullStartTimeoutMs;
    return unhealthySince + offlineAfterMs;
  }

  #report(status: FeedStatus, detail: string | null): void {
    this.#pending = null;
    if (status === this.#status) return;
    this.#status = status;
    this.emit('status', status, detail);
  }
}
