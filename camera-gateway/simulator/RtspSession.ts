import { createHash, randomBytes, randomInt } from 'node:crypto';
import type net from 'node:net';
import { packetize, sdpFormat, type AccessUnit } from './ElementaryStream.js';
import { frameRate, type LiveEncoder } from './LiveEncoder.js';
import { RtspReader } from './RtspReader.js';

const payloadType = 96;
const maxPayload = 1200;
/** A client that stops reading gets pictures dropped (up to the next key frame), as a camera does. */
const maxQueuedBytes = 2 * 1024 * 1024;
const ntpEpochOffset = 2_208_988_800;

const realm = 'Simulated counter camera';

/** What the session asks of its camera: credentials (none: open), how slow it answers, a count of plays. */
export interface CameraBehaviour {
  readonly credentials?: { username: string; password: string };
  answerDelayMs(): number;
  /** A session started playing the stream at `path` ("/cam1/main"). */
  played(path: string): void;
}

interface RtspRequest {
  method: string;
  uri: string;
  headers: Record<string, string>;
}

/**
 * One client connection to a simulated camera: RTSP requests in, RTP and RTCP interleaved over the
 * same TCP connection out (what the gateway's ffmpeg asks for). Each session has its own SSRC,
 * sequence numbers and timestamp offset; it starts at the encoder's next key frame and never
 * affects another session.
 */
export class RtspSession {
  readonly #socket: net.Socket;
  readonly #encoders: ReadonlyMap<string, LiveEncoder>;
  readonly #camera: CameraBehaviour;
  readonly #nonce = randomBytes(16).toString('hex');
  readonly #id = randomBytes(8).toString('hex');
  readonly #ssrc = randomInt(1, 0xffffffff);
  readonly #timestampOffset = randomInt(0, 0xffffffff);
  #sequence = randomInt(0, 0xffff);
  #encoder?: LiveEncoder;
  #path = '';
  #channel = 0;
  #unsubscribe?: () => void;
  #started = false;
  #packets = 0;
  #octets = 0;
  #lastTimestamp = 0;
  #reports?: NodeJS.Timeout;

  /**
   * `camera` says how long this camera takes to answer a request (a slow or busy camera) and counts
   * the sessions that start playing.
   */
  constructor(socket: net.Socket, encoders: ReadonlyMap<string, LiveEncoder>, camera: CameraBehaviour) {
    this.#socket = socket;
    this.#encoders = encoders;
    this.#camera = camera;
    // The client's interleaved frames are its RTCP receiver reports: read past them.
    const reader = new RtspReader({
      message: ({ startLine, headers }) => {
        const [method = '', uri = ''] = startLine.split(' ');
        const delay = camera.answerDelayMs();
        // The same delay for every request keeps the answers in order.
        if (delay > 0) setTimeout(() => this.#handle({ method, uri, headers }), delay);
        else this.#handle({ method, uri, headers });
      },
      interleaved: () => undefined,
    });
    socket.on('data', (chunk) => reader.push(chunk));
    socket.on('close', () => this.#stop());
    socket.on('error', () => socket.destroy());
  }

  #handle(request: RtspRequest): void {
    if (this.#socket.destroyed) return;
    const cseq = request.headers.cseq ?? '0';
    const reply = (status: string, headers: Record<string, string> = {}, body = '') => {
      const all = { CSeq: cseq, ...headers, ...(body ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) };
      this.#socket.write(
        `RTSP/1.0 ${status}\r\n${Object.entries(all)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('')}\r\n${body}`,
      );
    };
    // like the cameras at the counters: every request but OPTIONS needs the credentials (RTSP Digest)
    if (request.method !== 'OPTIONS' && !this.#authorized(request)) {
      return reply('401 Unauthorized', { 'WWW-Authenticate': `Digest realm="${realm}", nonce="${this.#nonce}"` });
    }
    const path = new URL(request.uri, 'rtsp://camera').pathname.replace(/\/stream=0$/, '').replace(/\/$/, '');
    const session = { Session: `${this.#id};timeout=60` };
    switch (request.method) {
      case 'OPTIONS':
      case 'GET_PARAMETER':
      case 'SET_PARAMETER':
        return reply('200 OK', { Public: 'OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER', ...(this.#encoder ? session : {}) });
      case 'DESCRIBE': {
        const encoder = this.#encoders.get(path);
        if (!encoder) return reply('404 Not Found');
        const sdp = [
          'v=0',
          `o=- ${this.#id.slice(0, 8)} 1 IN IP4 127.0.0.1`,
          's=Simulated counter camera',
          'c=IN IP4 0.0.0.0',
          't=0 0',
          'a=control:*',
          'a=range:npt=now-',
          `m=video 0 RTP/AVP ${payloadType}`,
          ...sdpFormat(encoder.stream, payloadType),
          `a=framerate:${frameRate}`,
          'a=control:stream=0',
          '',
        ].join('\r\n');
        return reply('200 OK', { 'Content-Type': 'application/sdp', 'Content-Base': `${request.uri.replace(/\/$/, '')}/` }, sdp);
      }
      case 'SETUP': {
        const encoder = this.#encoders.get(path);
        if (!encoder) return reply('404 Not Found');
        const interleaved = /RTP\/AVP\/TCP.*interleaved=(\d+)/.exec(request.headers.transport ?? '');
        // Like many cameras behind a gateway that pulls over TCP: no UDP delivery.
        if (!interleaved) return reply('461 Unsupported Transport');
        this.#encoder = encoder;
        this.#path = path;
        this.#channel = Number(interleaved[1]);
        return reply('200 OK', {
          Transport: `RTP/AVP/TCP;unicast;interleaved=${this.#channel}-${this.#channel + 1};ssrc=${this.#ssrc.toString(16).padStart(8, '0')}`,
          ...session,
        });
      }
      case 'PLAY': {
        if (!this.#encoder) return reply('455 Method Not Valid in This State');
        reply('200 OK', { Range: 'npt=now-', ...session });
        if (!this.#unsubscribe) this.#camera.played(this.#path);
        this.#unsubscribe ??= this.#encoder.subscribe((frame, timestamp) => this.#send(frame, timestamp));
        this.#reports ??= setInterval(() => this.#senderReport(), 1000);
        return;
      }
      case 'TEARDOWN':
        reply('200 OK', session);
        this.#stop();
        this.#socket.end();
        return;
      default:
        return reply('501 Not Implemented');
    }
  }

  #authorized(request: RtspRequest): boolean {
    const credentials = this.#camera.credentials;
    if (!credentials) return true;
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Digest ')) return false;
    const fields = new Map([...header.slice(7).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const md5 = (text: string) => createHash('md5').update(text).digest('hex');
    const ha1 = md5(`${credentials.username}:${realm}:${credentials.password}`);
    const ha2 = md5(`${request.method}:${fields.get('uri') ?? ''}`);
    return (
      fields.get('username') === credentials.username &&
      fields.get('nonce') === this.#nonce &&
      fields.get('response') === md5(`${ha1}:${this.#nonce}:${ha2}`)
    );
  }

  #send(frame: AccessUnit, encoderTimestamp: number): void {
    if (!this.#started && !frame.keyFrame) return;
    if (this.#socket.writableLength > maxQueuedBytes) {
      this.#started = false;
      return;
    }
    this.#started = true;
    const timestamp = (encoderTimestamp + this.#timestampOffset) >>> 0;
    const payloads = frame.nalUnits.flatMap((nal) => packetize(this.#encoder!.stream.codec, nal, maxPayload));
    const packets = payloads.map((payload, i) => {
      const packet = Buffer.alloc(4 + 12 + payload.length);
      packet.writeUInt8(0x24, 0);
      packet.writeUInt8(this.#channel, 1);
      packet.writeUInt16BE(12 + payload.length, 2);
      packet.writeUInt8(0x80, 4);
      packet.writeUInt8((i === payloads.length - 1 ? 0x80 : 0) | payloadType, 5);
      packet.writeUInt16BE(this.#sequence, 6);
      packet.writeUInt32BE(timestamp, 8);
      packet.writeUInt32BE(this.#ssrc, 12);
      payload.copy(packet, 16);
      this.#sequence = (this.#sequence + 1) & 0xffff;
      this.#octets += payload.length;
      return packet;
    });
    this.#packets += packets.length;
    this.#lastTimestamp = timestamp;
    this.#socket.write(Buffer.concat(packets));
  }

  /** RTCP sender report: maps the session's RTP clock to wall time, as a camera's RTSP server does. */
  #senderReport(): void {
    if (!this.#started || this.#socket.destroyed) return;
    const now = Date.now() / 1000 + ntpEpochOffset;
    const report = Buffer.alloc(4 + 28);
    report.writeUInt8(0x24, 0);
    report.writeUInt8(this.#channel + 1, 1);
    report.writeUInt16BE(28, 2);
    report.writeUInt8(0x80, 4);
    report.writeUInt8(200, 5);
    report.writeUInt16BE(6, 6);
    report.writeUInt32BE(this.#ssrc, 8);
    report.writeUInt32BE(Math.floor(now) >>> 0, 12);
    report.writeUInt32BE(Math.floor((now % 1) * 2 ** 32) >>> 0, 16);
    report.writeUInt32BE(this.#lastTimestamp, 20);
    report.writeUInt32BE(this.#packets >>> 0, 24);
    report.writeUInt32BE(this.#octets >>> 0, 28);
    this.#socket.write(report);
  }

  #stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    clearInterval(this.#reports);
  }
}
