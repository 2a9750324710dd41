import { EventEmitter } from 'node:events';
import ffmpeg, { type FfprobeStream } from 'fluent-ffmpeg';
import type { CameraHub, CameraIngest } from '../media-server/index.js';
import type { CameraFeedEvents, FeedOptions, FeedStatus } from './CameraGatewayTypes.js';

const payloadType = 102;

/**
 * ffprobe's H.264 profile name → the profile part of the SDP profile-level-id the stream is offered
 * with. High is offered as Main: Chromium negotiates at most Main for receiving H.264, yet its
 * decoder plays High bitstreams, and the gateway must forward the camera's bits unchanged.
 */
const profileIdc: Record<string, string> = { 'Constrained Baseline': '42e0', Baseline: '42e0', Main: '4d00', High: '4d00' };

function profileLevelId(stream: FfprobeStream): string {
  const profile = profileIdc[String(stream.profile)] ?? '42e0';
  const level = Number(stream.level) > 0 ? Number(stream.level) : 31;
  return `${profile}${level.toString(16).padStart(2, '0')}`;
}

function probe(rtspUri: string): Promise<FfprobeStream | undefined> {
  return new Promise((resolve, reject) =>
    ffmpeg.ffprobe(rtspUri, ['-rtsp_transport', 'tcp', '-timeout', '5000000'], (error, data) =>
      error ? reject(error as Error) : resolve(data.streams.find((s) => s.codec_type === 'video')),
    ),
  );
}

/**
 * One camera stream into the SFU: ffmpeg pulls RTSP over TCP and remuxes the H.264 as RTP (never
 * transcodes) into a PlainTransport producer. Whether the camera is up is read from the media
 * itself: no RTP for `offlineAfterMs` is offline, reported once it has held for `debounceMs`.
 * ffmpeg is restarted with backoff, each time into a new producer that viewers are told about.
 */
export class CameraFeed extends EventEmitter<CameraFeedEvents> {
  readonly rtspUri: string;
  readonly #hub: CameraHub;
  readonly #options: FeedOptions;
  #ingest?: CameraIngest;
  #probed?: FfprobeStream;
  readonly #ssrc = 0x10000000 + Math.floor(Math.random() * 0x6fffffff);
  #command?: ffmpeg.FfmpegCommand;
  #status: FeedStatus = 'UNKNOWN';
  #pending: { status: FeedStatus; since: number } | null = null;
  #lastPacketAt = 0;
  #lastBytes = 0;
  #startedAt = 0;
  #spawnedAt = 0;
  #attempt = 0;
  #retry?: NodeJS.Timeout;
  #health?: NodeJS.Timeout;
  #stopped = true;

  constructor(hub: CameraHub, rtspUri: string, options: FeedOptions) {
    super();
    this.#hub = hub;
    this.rtspUri = rtspUri;
    this.#options = options;
  }

  get status(): FeedStatus {
    return this.#status;
  }

  get producerId(): string | undefined {
    return this.#ingest?.producer.id;
  }

  get lastPacketAt(): Date | null {
    return this.#lastPacketAt ? new Date(this.#lastPacketAt) : null;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#startedAt = Date.now();
    this.#health = setInterval(() => void this.#checkHealth(), 500);
    void this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#health);
    clearTimeout(this.#retry);
    this.#command?.kill('SIGKILL');
    this.#command = undefined;
    this.#ingest?.close();
    this.#ingest = undefined;
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    try {
      // Probed once: every extra RTSP session is churn on the camera.
      const stream = (this.#probed ??= await probe(this.rtspUri));
      if (this.#stopped) return;
      if (!stream || stream.codec_name !== 'h264') {
        // Forwarding is remux-only: anything but H.264 is shown as unsupported, never transcoded.
        this.#report('UNSUPPORTED', `codec ${stream?.codec_name ?? 'none'} is not supported (H.264 only)`);
        return;
      }
      // A fresh producer for each pull: a restarted ffmpeg starts new RTP timestamps, which a
      // browser would take for old frames; viewers re-consume on "producer".
      this.#ingest?.close();
      this.#lastBytes = 0;
      this.#ingest = await this.#hub.createIngest({ payloadType, ssrc: this.#ssrc, profileLevelId: profileLevelId(stream) });
      if (this.#stopped) return this.#ingest.close();
      this.emit('producer', this.#ingest.producer.id);
      this.#spawn(this.#ingest);
    } catch {
      this.#scheduleReconnect();
    }
  }

  #spawn(ingest: CameraIngest): void {
    const target = `rtp://127.0.0.1:${ingest.port}?rtcpport=${ingest.rtcpPort}&pkt_size=1200`;
    const command = ffmpeg(this.rtspUri)
      .inputOptions(['-rtsp_transport', 'tcp', '-timeout', '5000000', '-fflags', '+genpts'])
      .outputOptions(['-an', '-c:v', 'copy', '-bsf:v', 'dump_extra=freq=keyframe', '-payload_type', String(payloadType), '-ssrc', String(this.#ssrc)])
      .format('rtp')
      .output(target);
    const ended = () => {
      if (this.#command !== command) return;
      this.#command = undefined;
      this.#scheduleReconnect();
    };
    command.on('error', ended).on('end', ended);
    this.#command = command;
    this.#spawnedAt = Date.now();
    command.run();
  }

  #scheduleReconnect(): void {
    if (this.#stopped) return;
    const { initial, max } = this.#options.backoffMs;
    const delay = Math.min(max, initial * 2 ** this.#attempt++);
    this.#retry = setTimeout(() => void this.#connect(), delay);
  }

  async #checkHealth(): Promise<void> {
    if (this.#status === 'UNSUPPORTED') return;
    const now = Date.now();
    const bytes = (await this.#ingest?.receivedBytes().catch(() => 0)) ?? 0;
    if (bytes > this.#lastBytes) {
      this.#lastPacketAt = now;
      this.#attempt = 0;
    }
    this.#lastBytes = bytes;
    const since = this.#lastPacketAt || this.#startedAt;
    const silent = now - since > this.#options.offlineAfterMs;
    // A stalled ffmpeg (connection open, no media) is restarted too, once it has had its chance.
    const stalledFor = now - Math.max(since, this.#spawnedAt);
    if (silent && this.#command && stalledFor > 2 * this.#options.offlineAfterMs) this.#command.kill('SIGKILL');
    const observed: FeedStatus = silent ? 'OFFLINE' : 'ONLINE';
    if (observed === this.#status) {
      this.#pending = null;
      return;
    }
    if (!this.#pending || this.#pending.status !== observed) this.#pending = { status: observed, since: now };
    if (now - this.#pending.since >= this.#options.debounceMs) this.#report(observed, observed === 'OFFLINE' ? 'no video received' : null);
  }

  #report(status: FeedStatus, detail: string | null): void {
    this.#pending = null;
    if (status === this.#status) return;
    this.#status = status;
    this.emit('status', status, detail);
  }
}
