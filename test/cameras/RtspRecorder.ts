import { createHash } from 'node:crypto';
import net from 'node:net';
import { RtspReader } from '../../camera-gateway/simulator/RtspReader.js';

/** One video frame as it crossed the wire: the RTP timestamp its packets carried, and when it ended. */
export interface WireFrame {
  rtpTimestamp: number;
  receivedAt: number;
}

/**
 * A minimal RTSP client (RTP interleaved over TCP, as the gateway's ffmpeg pulls) that records the
 * RTP timestamp of every frame a camera sends: what a viewer's decoder would see, without ffmpeg's
 * own re-timestamping in between. Only what the simulated and ordinary cameras need: RTSP Digest
 * with the credentials in the URI.
 */
export class RtspRecorder {
  readonly frames: WireFrame[] = [];
  readonly #uri: URL;
  readonly #socket: net.Socket;
  readonly #credentials?: { username: string; password: string };
  #digest?: { realm: string; nonce: string };
  #cseq = 0;
  #session?: string;
  #pending?: {
    resolve: (response: { status: number; headers: Record<string, string>; body: string }) => void;
    reject: (error: Error) => void;
  };
  #playing = false;
  #closed: Promise<void>;

  private constructor(uri: string, socket: net.Socket) {
    this.#uri = new URL(uri);
    if (this.#uri.username) {
      this.#credentials = { username: decodeURIComponent(this.#uri.username), password: decodeURIComponent(this.#uri.password) };
      this.#uri.username = '';
      this.#uri.password = '';
    }
    this.#socket = socket;
    const reader = new RtspReader({
      message: ({ startLine, headers, body }) => {
        const pending = this.#pending;
        this.#pending = undefined;
        pending?.resolve({ status: Number(/^RTSP\/1\.0 (\d+)/.exec(startLine)?.[1] ?? 0), headers, body });
      },
      interleaved: (channel, packet) => {
        if (channel === 0 && this.#playing) this.#onRtp(packet);
      },
    });
    socket.on('data', (chunk) => reader.push(chunk));
    this.#closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', (error) => this.#pending?.reject(error));
  }

  /** Connects, sets up the stream's first track over TCP and plays it. */
  static async open(uri: string): Promise<RtspRecorder> {
    const url = new URL(uri);
    const socket = net.connect(Number(url.port || 554), url.hostname);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const recorder = new RtspRecorder(uri, socket);
    uri = recorder.#uri.toString();
    try {
      const described = await recorder.#request('DESCRIBE', uri, { Accept: 'application/sdp' });
      const control = /a=control:(\S+)/.exec(described.body.slice(described.body.indexOf('m=video')))?.[1] ?? '';
      const base = described.headers['content-base'] ?? `${uri}/`;
      const track = control.startsWith('rtsp://') ? control : new URL(control, base).toString();
      const setup = await recorder.#request('SETUP', track, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' });
      recorder.#session = setup.headers.session?.split(';')[0];
      await recorder.#request('PLAY', uri, { Range: 'npt=0.000-' });
      recorder.#playing = true;
      return recorder;
    } catch (error) {
      socket.destroy();
      throw error;
    }
  }

  /** Settles when the connection is gone (closed by either side). */
  get ended(): Promise<void> {
    return this.#closed;
  }

  /** Frames whose timestamp did not move forward from the frame before (RTP arithmetic, mod 2^32). */
  nonAdvancing(): WireFrame[] {
    return this.frames.filter((frame, i) => {
      if (i === 0) return false;
      const step = (frame.rtpTimestamp - this.frames[i - 1]!.rtpTimestamp) >>> 0;
      return step === 0 || step >= 0x80000000;
    });
  }

  async close(): Promise<void> {
    if (this.#session && !this.#socket.destroyed) this.#socket.write(this.#message('TEARDOWN', this.#uri.toString(), {}));
    this.#socket.end();
    this.#socket.destroy();
    await this.#closed;
  }

  #message(method: string, uri: string, headers: Record<string, string>): string {
    const all = { CSeq: String(++this.#cseq), ...(this.#session ? { Session: this.#session } : {}), ...headers };
    return `${method} ${uri} RTSP/1.0\r\n${Object.entries(all)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`;
  }

  async #request(method: string, uri: string, headers: Record<string, string>) {
    let response = await this.#send(method, uri, headers);
    const challenge = /Digest realm="([^"]*)", nonce="([^"]*)"/.exec(response.headers['www-authenticate'] ?? '');
    if (response.status === 401 && challenge && this.#credentials) {
      this.#digest = { realm: challenge[1]!, nonce: challenge[2]! };
      response = await this.#send(method, uri, headers);
    }
    if (response.status !== 200) throw new Error(`${method} ${uri}: RTSP ${response.status}`);
    return response;
  }

  #send(method: string, uri: string, headers: Record<string, string>) {
    return new Promise<{ status: number; headers: Record<string, string>; body: string }>((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#socket.write(this.#message(method, uri, { ...headers, ...this.#authorization(method, uri) }));
    });
  }

  #authorization(method: string, uri: string): Record<string, string> {
    if (!this.#digest || !this.#credentials) return {};
    const { realm, nonce } = this.#digest;
    const { username, password } = this.#credentials;
    const md5 = (text: string) => createHash('md5').update(text).digest('hex');
    const response = md5(`${md5(`${username}:${realm}:${password}`)}:${nonce}:${md5(`${method}:${uri}`)}`);
    return { Authorization: `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}"` };
  }

  #onRtp(packet: Buffer): void {
    if (packet.length < 12) return;
    const marker = (packet[1]! & 0x80) !== 0;
    // A frame ends with its marker bit; its packets all carry the frame's timestamp.
    if (marker) this.frames.push({ rtpTimestamp: packet.readUInt32BE(4), receivedAt: Date.now() });
  }
}
