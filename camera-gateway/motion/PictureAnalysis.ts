import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import type { GatewayLog } from '../CameraGatewayTypes.js';
import type { MotionStore } from './MotionStore.js';
import { frameBytes, type MotionOptions, type MotionSample, type TamperKind } from './MotionTypes.js';
import { motionLevels, signatureOf } from './pictures.js';
import { TamperWatch } from './TamperWatch.js';

/** Pictures further apart than this (a pull restarted, a camera back) are not compared: the next one starts afresh. */
const maxSpanMs = 10_000;

export type PictureAnalysisEvents = {
  /** A picture compared with the one before it (the motion grid). */
  sample: [sample: MotionSample];
  /** The camera was covered or turned away (kind), or looks right again (null). */
  tamper: [kind: TamperKind | null];
};

/**
 * One camera's wall stream as the hub sees it: its pull decodes the key frames only, shrinks them to a
 * small grey picture and sends each as one datagram to this socket (a datagram the hub is too busy to
 * read is dropped by the kernel, never holding up the pull). Each picture against the one before gives
 * the motion grid, stored beside the recordings, and goes to the tamper watch.
 */
export class PictureAnalysis extends EventEmitter<PictureAnalysisEvents> {
  readonly cameraId: number;
  readonly #socket: dgram.Socket;
  readonly #store: MotionStore | undefined;
  readonly #tamper: TamperWatch;
  readonly #log: GatewayLog;
  #previous?: { picture: Buffer; at: number };
  #pictures = 0;

  private constructor(cameraId: number, socket: dgram.Socket, store: MotionStore | undefined, options: MotionOptions, log: GatewayLog) {
    super();
    this.cameraId = cameraId;
    this.#socket = socket;
    this.#store = store;
    this.#log = log;
    this.#tamper = new TamperWatch(options.tamper);
    socket.on('message', (picture) => this.#picture(picture, Date.now()));
    socket.on('error', (err) => this.#log.warn({ err, cameraId }, 'a camera’s analysis socket failed'));
  }

  /** Opens the socket the pull sends its pictures to. */
  static async open(cameraId: number, deps: { store?: MotionStore; options: MotionOptions; log: GatewayLog }): Promise<PictureAnalysis> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new PictureAnalysis(cameraId, socket, deps.store, deps.options, deps.log);
  }

  get port(): number {
    return this.#socket.address().port;
  }

  get tamper(): TamperKind | null {
    return this.#tamper.raised;
  }

  /** Pictures analysed since the socket opened. */
  get pictures(): number {
    return this.#pictures;
  }

  /** The camera's present view becomes the usual one. */
  relearn(): void {
    this.#tamper.relearn();
  }

  close(): void {
    this.#socket.close();
  }

  #picture(picture: Buffer, at: number): void {
    if (picture.length !== frameBytes) return;
    this.#pictures++;
    const previous = this.#previous;
    this.#previous = { picture, at };
    if (previous && at - previous.at <= maxSpanMs) {
      const sample = { at, spanMs: at - previous.at, levels: motionLevels(previous.picture, picture) };
      this.#store?.append(this.cameraId, sample);
      this.emit('sample', sample);
    }
    if (this.#tamper.observe(signatureOf(picture), at)) this.emit('tamper', this.#tamper.raised);
  }
}
