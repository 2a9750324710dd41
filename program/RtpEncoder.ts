import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { EventEmitter, once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { ownedCommand } from '../processes/index.js';
import type { FrameSize, MixCodec, RtpEncoderEvents, RtpTarget } from './ProgramTypes.js';

/** What a raw input may lag behind the program's clock before a beat is left out for this encoder alone. */
const maxBacklogBeats = 5;

/**
 * GStreamer encoding what the program's clock hands it (raw pictures or sound on its stdin) to RTP on loopback,
 * for the SFU to pass on to SIP calls: H.264 Constrained Baseline for the shared picture, Opus for a call's mix.
 * Its RTP session (rtpbin) takes RTCP on a port of its own: a PLI sent there makes x264 encode a key frame at
 * once, which is how a room system's key-frame request reaches the encoder (ffmpeg's RTP muxer reads no RTCP).
 */
export class RtpEncoder extends EventEmitter<RtpEncoderEvents> {
  readonly #process: ChildProcessByStdio<Writable, null, Readable>;
  readonly #target: RtpTarget;
  /** Where the encoder's RTP session listens for RTCP (video only). */
  readonly #rtcpPort: number | undefined;
  readonly #rtcp: Socket | undefined;
  readonly #beatBytes: number;
  #closed = false;
  #lastError = '';
  #skipped = 0;

  private constructor(pipeline: string[], options: { target: RtpTarget; beatBytes: number; rtcpPort?: number; rtcp?: Socket }) {
    super();
    this.#target = options.target;
    this.#beatBytes = options.beatBytes;
    this.#rtcpPort = options.rtcpPort;
    this.#rtcp = options.rtcp;
    this.#process = spawn(...ownedCommand('gst-launch-1.0', ['-q', ...pipeline]), { stdio: ['pipe', 'ignore', 'pipe'] });
    this.#process.stderr.on('data', (chunk: Buffer) => (this.#lastError = chunk.toString().trim().split('\n').at(-1) ?? ''));
    this.#process.stdin.on('error', () => undefined); // the exit says why
    this.#process.on('exit', (code, signal) => {
      if (!this.#closed) this.emit('failed', this.#lastError || `gst-launch exited (${signal ?? code})`);
      this.close();
    });
  }

  /** The shared picture: `size` I420 pictures at `frameRate` in, H.264 (packetization mode 1) out. */
  static async video(options: {
    size: FrameSize;
    frameRate: number;
    bitrateKbps: number;
    target: RtpTarget;
    /** Seconds between the key frames made unasked (default 4). */
    keyFrameEverySeconds?: number;
  }): Promise<RtpEncoder> {
    const { size, frameRate, bitrateKbps, target } = options;
    const keyFrameEvery = Math.round(frameRate * (options.keyFrameEverySeconds ?? 4));
    const rtcp = await boundSocket();
    // a port for the encoder's RTCP, free a moment ago; taken by someone meanwhile, gst-launch fails and says so
    const rtcpPort = await freePort();
    const pipeline = [
      ...['rtpbin', 'name=session'],
      ...['fdsrc', 'fd=0', `blocksize=${(size.width * size.height * 3) / 2}`, '!'],
      ...['rawvideoparse', `width=${size.width}`, `height=${size.height}`, 'format=i420', `framerate=${frameRate}/1`, '!'],
      // no B-frames; a key frame now and then besides those asked for
      ...['x264enc', 'tune=zerolatency', 'speed-preset=veryfast', `bitrate=${bitrateKbps}`, `key-int-max=${keyFrameEvery}`, '!'],
      ...['video/x-h264,profile=constrained-baseline', '!'],
      ...['rtph264pay', `pt=${target.payloadType}`, `ssrc=${target.ssrc}`, 'config-interval=-1', 'aggregate-mode=zero-latency', 'mtu=1200'],
      ...['!', 'session.send_rtp_sink_0'],
      ...['session.send_rtp_src_0', '!', 'udpsink', 'host=127.0.0.1', `port=${target.port}`, 'sync=false', 'async=false'],
      ...['session.send_rtcp_src_0', '!', 'fakesink', 'sync=false', 'async=false'],
      ...['udpsrc', 'address=127.0.0.1', `port=${rtcpPort}`, 'caps=application/x-rtcp', '!', 'session.recv_rtcp_sink_0'],
    ];
    return new RtpEncoder(pipeline, { target, beatBytes: (size.width * size.height * 3) / 2, rtcpPort, rtcp });
  }

  /** A call's sound: 48 kHz 16-bit stereo in, Opus (20 ms frames), G.722 (16 kHz mono) or G.711 (8 kHz mono) out. */
  static async audio(options: { beatMs: number; codec: MixCodec; target: RtpTarget }): Promise<RtpEncoder> {
    const { target } = options;
    const pipeline = [
      ...['fdsrc', 'fd=0', '!', 'rawaudioparse', 'format=pcm', 'pcm-format=s16le', 'sample-rate=48000', 'num-channels=2', '!'],
      ...audioEncoding(options.codec, target),
      ...['udpsink', 'host=127.0.0.1', `port=${target.port}`, 'sync=false', 'async=false'],
    ];
    return new RtpEncoder(pipeline, { target, beatBytes: (48_000 * 2 * 2 * options.beatMs) / 1000 });
  }

  get target(): RtpTarget {
    return this.#target;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Beats left out because this encoder fell behind (the machine is overloaded). */
  get skippedBeats(): number {
    return this.#skipped;
  }

  /** One beat's picture or sound. `data` is not copied: the caller leaves it untouched until the write is done. */
  write(data: Buffer): void {
    if (this.#closed) return;
    if (this.#process.stdin.writableLength > maxBacklogBeats * this.#beatBytes) {
      this.#skipped++;
      return;
    }
    this.#process.stdin.write(data);
  }

  /** A key frame at once: an RTCP PLI (RFC 4585) for the encoder's stream, to its RTP session. */
  requestKeyFrame(): void {
    if (this.#closed || !this.#rtcp || this.#rtcpPort === undefined) return;
    const pli = Buffer.alloc(12);
    pli[0] = 0x81; // version 2, FMT 1 (PLI)
    pli[1] = 206; // payload-specific feedback
    pli.writeUInt16BE(2, 2);
    pli.writeUInt32BE(1, 4);
    pli.writeUInt32BE(this.#target.ssrc, 8);
    this.#rtcp.send(pli, this.#rtcpPort, '127.0.0.1');
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#process.kill('SIGKILL');
    this.#rtcp?.close();
  }
}

/** GStreamer's elements from raw sound to RTP in `codec`: Opus (20 ms frames), G.722 at 16 kHz mono (libav's), or G.711 at 8 kHz mono. */
export function audioEncoding(codec: MixCodec, target: RtpTarget): string[] {
  const payloader = [`pt=${target.payloadType}`, `ssrc=${target.ssrc}`, '!'];
  const g711 = (encoder: string, payloaderElement: string) => [
    ...['audioresample', '!', 'audioconvert', '!', 'audio/x-raw,rate=8000,channels=1', '!'],
    ...[encoder, '!', payloaderElement, ...payloader],
  ];
  return {
    opus: [
      ...['audioresample', '!', 'audioconvert', '!', 'audio/x-raw,rate=48000,channels=2', '!'],
      ...['opusenc', 'bitrate=64000', 'frame-size=20', '!', 'rtpopuspay', ...payloader],
    ],
    g722: [
      ...['audioresample', '!', 'audioconvert', '!', 'audio/x-raw,rate=16000,channels=1', '!'],
      ...['avenc_g722', '!', 'rtpg722pay', ...payloader],
    ],
    pcmu: g711('mulawenc', 'rtppcmupay'),
    pcma: g711('alawenc', 'rtppcmapay'),
  }[codec];
}

async function boundSocket(): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return socket;
}

async function freePort(): Promise<number> {
  const socket = await boundSocket();
  const { port } = socket.address();
  socket.close();
  return port;
}
