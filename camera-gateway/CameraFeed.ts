import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import type { CameraHub, CameraIngest } from '../media-server/index.js';
import type {
  CameraFeedEvents,
  FeedOptions,
  FeedSource,
  FeedStatus,
  FrameVerdict,
  GatewayLog,
  SegmentOutput,
} from './CameraGatewayTypes.js';
import { FrameHealth } from './FrameHealth.js';
import { acceptsConnections } from './rtspReachability.js';
import { rtspPull } from './rtspPull.js';
import { ownedFfmpegPath } from '../processes/index.js';
import { frameBytes, frameHeight, frameWidth } from './motion/MotionTypes.js';

const payloadType = 102;

/**
 * Every H.264 stream is offered as Main at level 5.0: Chromium negotiates at most Main for receiving
 * H.264, yet its decoder plays Baseline, Main and High bitstreams of any level, and the gateway
 * forwards the camera's bits unchanged. So the codec is all the gateway needs to know, and the
 * camera's ONVIF profile says it: no probe session before each pull.
 */
const h264ProfileLevelId = '4d0032';

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
  readonly #source: FeedSource;
  readonly #hub: CameraHub;
  readonly #options: FeedOptions;
  readonly #log: GatewayLog;
  readonly #health: FrameHealth;
  readonly #pictures?: () => Promise<number>;
  readonly #ssrc = 0x10000000 + Math.floor(Math.random() * 0x6fffffff);
  #ingest?: CameraIngest;
  #command?: ffmpeg.FfmpegCommand;
  #recording: SegmentOutput | null = null;
  #status: FeedStatus = 'UNKNOWN';
  #pending: { status: FeedStatus; since: number } | null = null;
  #unhealthySince: number | null = null;
  #attempt = 0;
  #retry?: NodeJS.Timeout;
  #healthTimer?: NodeJS.Timeout;
  #checking = false;
  #stopped = true;
  /** The first pull has not been tried yet (a delayed start). */
  #waiting = false;

  /** `pictures`: the port the pull also sends its analysed pictures to (see PictureAnalysis), once it is open. */
  constructor(hub: CameraHub, source: FeedSource, options: FeedOptions, log: GatewayLog, pictures?: () => Promise<number>) {
    super();
    this.#pictures = pictures;
    this.#hub = hub;
    this.#source = source;
    this.rtspUri = source.rtspUri;
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

  /** Whether the pull also writes segments; a change restarts the pull (viewers follow "producer"). */
  get recording(): SegmentOutput | null {
    return this.#recording;
  }

  record(output: SegmentOutput | null): void {
    if (output?.directory === this.#recording?.directory && output?.segmentSeconds === this.#recording?.segmentSeconds) return;
    this.#recording = output;
    if (this.#command) this.#command.kill('SIGKILL');
  }

  /** Starts pulling, after `delayMs` (a warm stream yields to the ones on screen); `hurry` cuts the wait short. */
  start(delayMs = 0): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#health.restart(Date.now());
    this.#healthTimer = setInterval(() => this.#checkHealth(), 500);
    this.#waiting = delayMs > 0;
    this.#connectSoon(delayMs);
  }

  /** Someone watches this stream now: a delayed first pull starts at once. */
  hurry(): void {
    if (!this.#waiting || this.#stopped) return;
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
      this.#waiting = false;
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
    if (this.#source.encoding.toUpperCase() !== 'H264') {
      // Forwarding is remux-only: anything but H.264 is shown as unsupported, never transcoded.
      this.#report('UNSUPPORTED', `codec ${this.#source.encoding} is not supported (H.264 only)`);
      return;
    }
    try {
      // A fresh producer for each pull: a restarted ffmpeg starts new RTP timestamps, which a
      // browser would take for old frames; viewers re-consume on "producer".
      this.#ingest?.close();
      this.#ingest = undefined;
      const picturesPort = await this.#pictures?.();
      const ingest = await this.#hub.createIngest({ payloadType, ssrc: this.#ssrc, profileLevelId: h264ProfileLevelId });
      if (this.#stopped) return ingest.close();
      this.#ingest = ingest;
      this.#health.restart(Date.now());
      ingest.onKeyFrame((rtpTimestamp) => {
        if (this.#ingest === ingest) this.#health.keyFrame(rtpTimestamp, Date.now());
      });
      ingest.onLost(() => {
        // the wall's worker died: this pull sends into nothing; the next one goes to the new router
        if (this.#ingest !== ingest) return;
        this.#ingest = undefined;
        this.#command?.kill('SIGKILL');
      });
      this.emit('producer', ingest.producer.id);
      this.#spawn(ingest, picturesPort);
    } catch {
      this.#reconnect();
    }
  }

  /** The pull: RTSP over TCP in, stream copy out as RTP to the SFU and, when recording, as segments. */
  #spawn(ingest: CameraIngest, picturesPort: number | undefined): void {
    const rtp = `rtp://127.0.0.1:${ingest.port}?rtcpport=${ingest.rtcpPort}&pkt_size=1200`;
    const recording = this.#recording;
    const pull = rtspPull(pullUri(this.#source));
    // fluent-ffmpeg pipes a stream input to ffmpeg's stdin, as `-i pipe:0`
    const command = ffmpeg(Readable.from([pull.script]))
      .setFfmpegPath(ownedFfmpegPath)
      // the decoder is only for the pictures analysed: it skips all but key frames (the copy is untouched)
      .inputOptions([...(picturesPort ? ['-skip_frame', 'nokey', '-skip_loop_filter', 'all'] : []), ...pull.options])
      .outputOptions(['-map', '0:v:0', '-an', '-c:v', 'copy', '-bsf:v', 'dump_extra=freq=keyframe']);
    if (recording) {
      // One output, two destinations: a recorder that fails (a full disk) is dropped, live viewing goes on.
      command
        .outputOptions(['-f', 'tee'])
        .output(`[f=rtp:payload_type=${payloadType}:ssrc=${this.#ssrc}]${rtp}|${segmentTarget(recording)}`);
    } else {
      command
        .outputOptions(['-payload_type', String(payloadType), '-ssrc', String(this.#ssrc)])
        .format('rtp')
        .output(rtp);
    }
    if (picturesPort) command.output(picturesTarget(picturesPort)).outputOptions(picturesOutput);
    const ended = (error?: Error, stderr?: string | null) => {
      if (this.#command !== command) return;
      this.#command = undefined;
      this.emit('pullEnded');
      if (error && /401 Unauthorized/.test(stderr ?? error.message)) {
        // Retried slowly: the password may be corrected on the camera or in the registry.
        this.#report('UNAUTHORIZED', 'the camera refused the stream credentials (401)');
        this.#attempt = Math.max(this.#attempt, 8);
      }
      this.#reconnect();
    };
    command.on('error', (error: Error, _stdout: string | null, stderr: string | null) => ended(error, stderr)).on('end', () => ended());
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
    // refused credentials say more than the silence that follows them: kept until a pull plays
    if (this.#status === 'UNAUTHORIZED') return;
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

/**
 * The analysed pictures: each decoded key frame shrunk to the motion grid's grey picture, one datagram
 * each (a datagram nobody reads is dropped: the pull never waits on the hub).
 */
const picturesOutput = [
  '-map',
  '0:v:0',
  '-an',
  '-fps_mode',
  'passthrough',
  '-vf',
  `scale=${frameWidth}:${frameHeight}:flags=area,format=gray`,
  '-f',
  'rawvideo',
];
const picturesTarget = (port: number) => `udp://127.0.0.1:${port}?pkt_size=${frameBytes}`;

/** The stream URI with the camera's credentials: cameras ask for them on RTSP too (digest or basic). */
function pullUri(source: FeedSource): string {
  if (!source.credentials?.username) return source.rtspUri;
  const url = new URL(source.rtspUri);
  url.username = encodeURIComponent(source.credentials.username);
  url.password = encodeURIComponent(source.credentials.password);
  return url.href;
}

/**
 * The tee muxer's recording slave: MPEG-TS segments of about `segmentSeconds` (cut at a key frame),
 * named by the second they start (UTC epoch), each playable up to its last packet if the hub dies.
 * Each packet is written through as it arrives (`flush_packets`, copied by the segment muxer to the
 * file it writes), so a crash loses only what had not arrived, not an I/O buffer's worth of seconds.
 */
function segmentTarget(output: SegmentOutput): string {
  const options = [
    'f=segment',
    'onfail=ignore',
    'fflags=+flush_packets',
    'segment_format=mpegts',
    `segment_time=${output.segmentSeconds}`,
    'strftime=1',
    'reset_timestamps=1',
  ];
  return `[${options.join(':')}]${output.directory}/%s.ts`;
}
