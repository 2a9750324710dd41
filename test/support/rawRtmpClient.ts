import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { decodeAmf0, encodeAmf0, RtmpChunkReader, type Amf0Value } from '../../hub/ingest/rtmp/index.js';

/**
 * An RTMP client written by hand, as an attacker would: it does what it likes in any order (connect,
 * createStream, then audio or video without publishing, or publishing with any key).
 */
export class RawRtmpClient {
  readonly socket: net.Socket;
  readonly #reader = new RtmpChunkReader(1 << 20);
  readonly #commands: Array<{ name: string; values: Amf0Value[] }> = [];
  #waiters: Array<() => void> = [];
  #handshake = Buffer.alloc(0);
  #shaken = false;
  /** Whether the hub closed the connection. */
  closed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.#wake();
    });
    socket.on('data', (bytes: Buffer) => this.#read(bytes));
  }

  /** Connected and through the handshake. */
  static async connect(port: number): Promise<RawRtmpClient> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new RawRtmpClient(socket);
    socket.write(Buffer.concat([Buffer.from([3]), Buffer.alloc(8), randomBytes(1528)]));
    await client.#until(() => client.#shaken);
    return client;
  }

  /** Sends a command (AMF0) and waits for the hub's answer to it (`_result`, `onStatus`…), or the connection's end. */
  async command(csid: number, streamId: number, answer: string, ...values: Amf0Value[]): Promise<Amf0Value[] | undefined> {
    const seen = this.#commands.length;
    this.send(csid, 20, streamId, encodeAmf0(...values));
    await this.#until(() => this.closed || this.#commands.slice(seen).some((c) => c.name === answer));
    return this.#commands.slice(seen).find((c) => c.name === answer)?.values;
  }

  /** One message, in chunks of 128 bytes. */
  send(csid: number, type: number, streamId: number, payload: Buffer): void {
    const header = Buffer.alloc(12);
    header[0] = csid;
    header.writeUIntBE(payload.length, 4, 3);
    header[7] = type;
    header.writeUInt32LE(streamId, 8);
    const parts: Buffer[] = [header];
    for (let offset = 0; offset < payload.length; offset += 128) {
      if (offset > 0) parts.push(Buffer.from([0xc0 | csid]));
      parts.push(payload.subarray(offset, offset + 128));
    }
    if (!this.socket.destroyed) this.socket.write(Buffer.concat(parts));
  }

  /** Until the hub closes the connection. */
  async ended(): Promise<void> {
    await this.#until(() => this.closed);
  }

  close(): void {
    this.socket.destroy();
  }

  #read(bytes: Buffer): void {
    if (!this.#shaken) {
      this.#handshake = Buffer.concat([this.#handshake, bytes]);
      if (this.#handshake.length < 1 + 2 * 1536) return;
      this.socket.write(this.#handshake.subarray(1, 1537)); // C2: S1 echoed
      this.#shaken = true;
      bytes = this.#handshake.subarray(1 + 2 * 1536);
    }
    for (const message of this.#reader.push(bytes))
      if (message.type === 20) {
        const values = decodeAmf0(message.payload);
        this.#commands.push({ name: typeof values[0] === 'string' ? values[0] : '', values });
      }
    this.#wake();
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }

  async #until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
}
