import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { pushFailureReason } from '../../program/index.js';
import { handOver, ownedCommand } from '../../processes/index.js';

const run = promisify(execFile);

/** What a pushed stream holds, read from its first seconds. */
export interface ProbedStream {
  video?: { codec: string; profile: string; bFrames: boolean };
  audio?: { codec: string };
}

/** Where the RTP sender sends each kind, and how (a video that the browsers cannot take as it is gets transcoded). */
export interface RtpTargets {
  video?: { port: number; rtcpPort: number; payloadType: number; ssrc: number; transcode: boolean };
  audio?: { port: number; rtcpPort: number; payloadType: number; ssrc: number };
}

export type StreamListenerEvents = {
  /** The encoder's push ended (it stopped, or was refused); the listener waits for the next. */
  ended: [reason: string];
};

export interface StreamListenerOptions {
  /** ffmpeg's input: `pipe:0`, for a push the hub hands over (RTMP, after its gate) or a `script` naming the input with its secret. */
  input: string;
  inputOptions: string[];
  /** Written to ffmpeg's stdin: an SRT listener's or RTSP source's URL with its secret (processes/ffmpegSecrets). */
  script?: string;
  /** How soon to listen (or pull) again once a stream ended (default 500 ms); never for a handed-over push. */
  retryMs?: number;
  /** Called once the stream's first seconds are read: sets up the producers and says where to send. */
  onStream: (probed: ProbedStream) => Promise<RtpTargets>;
  log: { warn(details: object, message: string): void };
}

/** The first seconds of a push read before deciding how to pass it on (ffprobe needs its headers and a key frame). */
const probeBytes = 256 * 1024;
const probeMs = 2000;
/** A listener whose push ended listens again after this. */
const relistenMs = 500;

/**
 * A port an encoder pushes to (RTMP or SRT), heard by ffmpeg: the push is remuxed to MPEG-TS, its first
 * seconds probed (codec, B-frames), then a second ffmpeg sends it on as RTP: H.264 without B-frames as
 * it is, any other video transcoded to H.264 Constrained Baseline, AAC (or any audio) to Opus. When the
 * push ends the listener listens again, until it is closed.
 */
export class StreamListener extends EventEmitter<StreamListenerEvents> {
  readonly #options: StreamListenerOptions;
  #receiver?: ChildProcess;
  #sender?: ChildProcess;
  #closed = false;
  #relisten?: NodeJS.Timeout;

  constructor(options: StreamListenerOptions) {
    super();
    this.#options = options;
  }

  /** Listens (or pulls); with `handedOver`, reads that push on stdin instead, once. */
  start(handedOver?: Readable): void {
    if (this.#closed) return;
    const receiver = spawn(
      ...ownedCommand('ffmpeg', [
        '-nostdin',
        '-loglevel',
        'warning',
        ...this.#options.inputOptions,
        '-i',
        this.#options.input,
        '-map',
        '0',
        '-c',
        'copy',
        '-f',
        'mpegts',
        'pipe:1',
      ]),
    );
    this.#receiver = receiver;
    if (handedOver) {
      receiver.stdin.on('error', () => undefined);
      handedOver.pipe(receiver.stdin);
    } else handOver(receiver.stdin, this.#options.script ?? '');
    let stderr = '';
    receiver.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    const head: Buffer[] = [];
    let headBytes = 0;
    let firstAt = 0;
    let probing = false;
    const onData = (chunk: Buffer) => {
      head.push(chunk);
      headBytes += chunk.length;
      firstAt ||= Date.now();
      if (probing || (headBytes < probeBytes && Date.now() - firstAt < probeMs)) return;
      probing = true;
      receiver.stdout.off('data', onData);
      receiver.stdout.pause();
      this.#passOn(receiver, Buffer.concat(head)).catch((err: unknown) => {
        this.#options.log.warn({ err }, 'a pushed stream could not be passed on');
        receiver.kill('SIGKILL');
      });
    };
    receiver.stdout.on('data', onData);
    receiver.on('exit', () => {
      this.#sender?.stdin?.end();
      if (this.#receiver === receiver) this.#receiver = undefined;
      // ffmpeg's last line may name the input with its secret (an SRT passphrase, an RTSP password): a reason instead
      this.emit('ended', pushFailureReason(stderr.trim().split('\n').at(-1) ?? '', 'the push ended'));
      if (!this.#closed && !handedOver) this.#relisten = setTimeout(() => this.start(), this.#options.retryMs ?? relistenMs);
    });
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#relisten);
    this.#receiver?.kill('SIGKILL');
    this.#sender?.kill('SIGKILL');
  }

  async #passOn(receiver: ChildProcess, head: Buffer): Promise<void> {
    const probed = await probe(head);
    if (!probed.video && !probed.audio) throw new Error('the push holds neither video nor audio');
    const targets = await this.#options.onStream(probed);
    if (this.#closed || receiver.exitCode !== null) return;
    const sender = spawn(
      ...ownedCommand('ffmpeg', ['-nostdin', '-loglevel', 'error', '-f', 'mpegts', '-i', 'pipe:0', ...senderOutputs(targets)]),
      {
        stdio: ['pipe', 'ignore', 'pipe'],
      },
    );
    this.#sender = sender;
    sender.stderr.on('data', (chunk: Buffer) => this.#options.log.warn({ ffmpeg: chunk.toString().trim() }, 'feed RTP sender'));
    sender.stdin.on('error', () => undefined);
    sender.on('exit', () => {
      if (this.#sender === sender) this.#sender = undefined;
      receiver.kill('SIGKILL');
    });
    sender.stdin.write(head);
    receiver.stdout!.pipe(sender.stdin);
  }
}

/** ffmpeg's RTP outputs for the targets (one per kind, RTCP on the next port). */
function senderOutputs(targets: RtpTargets): string[] {
  const rtp = (t: { port: number; rtcpPort: number }) => `rtp://127.0.0.1:${t.port}?rtcpport=${t.rtcpPort}&pkt_size=1200`;
  const args: string[] = [];
  if (targets.video) {
    const v = targets.video;
    const codec = v.transcode
      ? ['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-profile:v', 'baseline', '-level', '3.1', '-pix_fmt', 'yuv420p']
      : ['-c:v', 'copy', '-bsf:v', 'dump_extra=freq=keyframe'];
    // a key frame every 2 s when transcoding: a new viewer waits at most that
    const gop = v.transcode ? ['-bf', '0', '-g', '50', '-sc_threshold', '0'] : [];
    args.push('-map', '0:v:0', ...codec, ...gop, '-payload_type', String(v.payloadType), '-ssrc', String(v.ssrc), '-f', 'rtp', rtp(v));
  }
  if (targets.audio) {
    const a = targets.audio;
    args.push('-map', '0:a:0', '-c:a', 'libopus', '-ar', '48000', '-ac', '2', '-b:a', '64k');
    args.push('-payload_type', String(a.payloadType), '-ssrc', String(a.ssrc), '-f', 'rtp', rtp(a));
  }
  return args;
}

/** Codec, profile and B-frames of the push's first seconds (a temp file: ffprobe reads MPEG-TS best from one). */
async function probe(head: Buffer): Promise<ProbedStream> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-feed-'));
  try {
    const file = path.join(dir, 'head.ts');
    fs.writeFileSync(file, head);
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', file], { timeout: 10_000 });
    const streams =
      (JSON.parse(stdout) as { streams?: Array<{ codec_type: string; codec_name: string; profile?: string; has_b_frames?: number }> })
        .streams ?? [];
    const video = streams.find((s) => s.codec_type === 'video');
    const audio = streams.find((s) => s.codec_type === 'audio');
    return {
      video: video && { codec: video.codec_name, profile: video.profile ?? '', bFrames: (video.has_b_frames ?? 0) > 0 },
      audio: audio && { codec: audio.codec_name },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
