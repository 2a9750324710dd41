import net from 'node:net';
import type { ElementaryStream } from './ElementaryStream.js';
import { LiveEncoder } from './LiveEncoder.js';
import { RtspSession } from './RtspSession.js';

/**
 * One simulated IP camera's RTSP server: its streams (path → clip) each come from one live encoder
 * shared by every client, as in a real camera, while each client's session is its own. It can be
 * unplugged (port closed, connections cut) and plugged in again on the same port, its timestamps
 * can freeze while packets keep flowing, as a faulty camera's do, and it can be slow to answer.
 */
export class RtspCameraServer {
  readonly port: number;
  readonly #address: string;
  readonly #encoders: Map<string, LiveEncoder>;
  readonly #sockets = new Set<net.Socket>();
  #server?: net.Server;
  #frozen = false;
  #answerDelayMs = 0;
  readonly #sessionsPlayed = new Map<string, number>();

  readonly #credentials?: () => { username: string; password: string };

  constructor(options: {
    port: number;
    address?: string;
    streams: Record<string, ElementaryStream>;
    /** Demanded with RTSP Digest on every request but OPTIONS, as the counters' cameras do; none: an open camera. */
    credentials?: () => { username: string; password: string };
  }) {
    this.port = options.port;
    this.#credentials = options.credentials;
    this.#address = options.address ?? '127.0.0.1';
    this.#encoders = new Map(Object.entries(options.streams).map(([path, stream]) => [path, new LiveEncoder(stream, () => this.#frozen)]));
  }

  get listening(): boolean {
    return this.#server !== undefined;
  }

  /** Plugs the camera in: resolves once it accepts connections. */
  async start(): Promise<void> {
    if (this.#server) return;
    const server = net.createServer((socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
      new RtspSession(socket, this.#encoders, {
        credentials: this.#credentials?.(),
        answerDelayMs: () => this.#answerDelayMs,
        played: (path) => this.#sessionsPlayed.set(path, (this.#sessionsPlayed.get(path) ?? 0) + 1),
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.#address, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
  }

  /** Unplugs the camera: the port closes and every connection is cut at once. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    for (const encoder of this.#encoders.values()) encoder.stop();
    await closed;
  }

  /** RTSP sessions that have started playing since the camera was made. */
  /** Sessions played of the stream at `path`, or of all of them. */
  sessionsPlayed(path?: string): number {
    if (path) return this.#sessionsPlayed.get(path) ?? 0;
    return [...this.#sessionsPlayed.values()].reduce((a, b) => a + b, 0);
  }

  /** Answers every RTSP request this much later (a slow or busy camera); 0 answers at once. */
  setAnswerDelay(ms: number): void {
    this.#answerDelayMs = ms;
  }

  /** The camera's picture changes (a stream per path), at each stream's next key frame. */
  show(streams: Record<string, ElementaryStream>): void {
    for (const [path, stream] of Object.entries(streams)) this.#encoders.get(path)?.show(stream);
  }

  /** Freezes (or thaws) the timestamps of every stream; packets keep flowing either way. */
  setFrozen(frozen: boolean): void {
    this.#frozen = frozen;
  }
}
