import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import { decodeAmf0, encodeAmf0, type Amf0Value } from './amf0.js';
import { RtmpChunkReader, rtmpMessageTypes, type RtmpMessage } from './RtmpChunkReader.js';

export type RtmpGateEvents = {
  /** A push presented the right app and stream key: its audio and video, as FLV, until it ends. */
  publish: [flv: Readable, from: string];
  /** A connection was dropped before any of it reached the meeting: why, and from where. */
  refused: [reason: string, from: string];
};

export interface RtmpGateOptions {
  host: string;
  port: number;
  /** The RTMP application encoders push to (`live`, in rtmp://host:port/live/<key>). */
  app: string;
  /** The stream key an encoder must publish with. */
  streamKey: string;
  /** From the connection until its publish was accepted: an idle or slow connection is dropped after this. */
  handshakeMs?: number;
  /** Connections waiting for their publish at once; more are dropped at once. */
  maxPending?: number;
}

const handshakeBytes = 1536;
/** Before its publish, an encoder sends commands only: small messages. */
const maxCommandBytes = 64 * 1024;
/** After it, audio and video: a key frame of a high-bit-rate feed. */
const maxMediaBytes = 8 * 1024 * 1024;
const outChunkSize = 128;
/** The message stream createStream answers: the encoder's media comes on it. */
const publishStreamId = 1;

/**
 * The RTMP port of a feed, held by the hub: no byte reaches the meeting before the encoder has published
 * with the right app and stream key. The gate speaks RTMP itself up to the publish (handshake, connect,
 * createStream), checks the key, and only then passes the push on, as FLV (RTMP's audio and video
 * messages are FLV tags). Audio or video before an accepted publish, a wrong key, a malformed message, or a
 * connection that has not published within `handshakeMs` is dropped; several may wait at once, so an idle
 * one cannot keep the encoder out; one push at a time is passed on.
 */
export class RtmpGate extends EventEmitter<RtmpGateEvents> {
  readonly #options: Required<RtmpGateOptions>;
  readonly #server: net.Server;
  readonly #keyDigest: Buffer;
  readonly #pending = new Set<net.Socket>();
  #publishing?: net.Socket;

  private constructor(options: RtmpGateOptions) {
    super();
    this.#options = { handshakeMs: 10_000, maxPending: 8, ...options };
    this.#keyDigest = digest(options.streamKey);
    this.#server = net.createServer((socket) => this.#accept(socket));
  }

  static async listen(options: RtmpGateOptions): Promise<RtmpGate> {
    const gate = new RtmpGate(options);
    await new Promise<void>((resolve, reject) => {
      gate.#server.once('error', reject);
      gate.#server.listen(options.port, options.host, () => {
        gate.#server.off('error', reject);
        resolve();
      });
    });
    return gate;
  }

  /** Ends the push being passed on (if any); the gate waits for the next. */
  endPush(): void {
    this.#publishing?.destroy();
  }

  async close(): Promise<void> {
    for (const socket of [...this.#pending, ...(this.#publishing ? [this.#publishing] : [])]) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: net.Socket): void {
    const from = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.on('error', () => undefined);
    if (this.#pending.size >= this.#options.maxPending) {
      this.emit('refused', 'too many connections waiting to publish', from);
      socket.destroy();
      return;
    }
    this.#pending.add(socket);
    const refuse = (reason: string) => {
      if (socket.destroyed) return;
      this.emit('refused', reason, from);
      socket.destroy();
    };
    const deadline = setTimeout(() => refuse(`no publish within ${this.#options.handshakeMs} ms`), this.#options.handshakeMs);
    socket.once('close', () => {
      clearTimeout(deadline);
      this.#pending.delete(socket);
    });
    const session = new GateSession(socket, this.#options.app, (key) => this.#keyMatches(key));
    session.on('refused', refuse);
    session.on('published', (flv) => {
      clearTimeout(deadline);
      this.#pending.delete(socket);
      if (this.#publishing) return refuse('another push is on the air');
      this.#publishing = socket;
      socket.once('close', () => {
        if (this.#publishing === socket) this.#publishing = undefined;
      });
      this.emit('publish', flv, from);
    });
  }

  #keyMatches(key: string): boolean {
    // the key as pushed may carry a query (`?…`) some encoders add; compared in constant time
    return timingSafeEqual(digest(key.split('?')[0]!), this.#keyDigest);
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest();

type GateSessionEvents = { refused: [reason: string]; published: [flv: PassThrough] };

/** One encoder's connection through the gate: the server side of RTMP up to its publish, then its FLV. */
class GateSession extends EventEmitter<GateSessionEvents> {
  readonly #socket: net.Socket;
  readonly #app: string;
  readonly #keyMatches: (key: string) => boolean;
  readonly #reader = new RtmpChunkReader(maxCommandBytes);
  #handshake: Buffer | undefined = Buffer.alloc(0);
  #connected = false;
  #flv?: PassThrough;

  constructor(socket: net.Socket, app: string, keyMatches: (key: string) => boolean) {
    super();
    this.#socket = socket;
    this.#app = app;
    this.#keyMatches = keyMatches;
    socket.on('data', (bytes: Buffer) => {
      try {
        this.#read(bytes);
      } catch (error) {
        this.emit('refused', error instanceof Error ? error.message : String(error));
      }
    });
    socket.once('close', () => this.#flv?.end());
  }

  #read(bytes: Buffer): void {
    if (this.#handshake) {
      // C0 (the version), C1 (1536 bytes) answered with S0 S1 S2, then C2 (1536 bytes) read and let be
      const before = this.#handshake.length;
      this.#handshake = Buffer.concat([this.#handshake, bytes]);
      if (before < 1 + handshakeBytes && this.#handshake.length >= 1 + handshakeBytes) {
        if (this.#handshake[0] !== 3) throw new Error(`not RTMP (version ${this.#handshake[0]})`);
        const s1 = Buffer.concat([Buffer.alloc(8), randomBytes(handshakeBytes - 8)]);
        this.#socket.write(Buffer.concat([Buffer.from([3]), s1, this.#handshake.subarray(1, 1 + handshakeBytes)]));
      }
      if (this.#handshake.length < 1 + 2 * handshakeBytes) return;
      const rest = this.#handshake.subarray(1 + 2 * handshakeBytes);
      this.#handshake = undefined;
      if (rest.length === 0) return;
      bytes = rest;
    }
    for (const message of this.#reader.push(bytes)) this.#message(message);
  }

  #message(message: RtmpMessage): void {
    const { type } = message;
    if (this.#flv) {
      if (type === rtmpMessageTypes.audio || type === rtmpMessageTypes.video) this.#flv.write(flvTag(message));
      return;
    }
    if (type === rtmpMessageTypes.audio || type === rtmpMessageTypes.video || type === rtmpMessageTypes.aggregate)
      throw new Error('media before an accepted publish');
    if (type !== rtmpMessageTypes.commandAmf0 && type !== rtmpMessageTypes.commandAmf3) return;
    // AMF3 commands start with a format byte and go on in AMF0
    const [name, transaction, object, ...args] = decodeAmf0(
      type === rtmpMessageTypes.commandAmf3 ? message.payload.subarray(1) : message.payload,
    );
    const txn = typeof transaction === 'number' ? transaction : 0;
    switch (typeof name === 'string' ? name : '') {
      case 'connect': {
        const app = isObject(object) && typeof object.app === 'string' ? object.app.replace(/\/$/, '') : '';
        if (app !== this.#app) throw new Error(`connect to app "${app}"`);
        this.#connected = true;
        this.#send(2, 5, 0, uint32(2_500_000)); // window acknowledgement size
        this.#send(2, 6, 0, Buffer.concat([uint32(2_500_000), Buffer.from([2])])); // peer bandwidth, dynamic
        this.#command(
          3,
          0,
          '_result',
          txn,
          { fmsVer: 'FMS/3,0,1,123', capabilities: 31 },
          {
            level: 'status',
            code: 'NetConnection.Connect.Success',
            description: 'Connection succeeded.',
            objectEncoding: 0,
          },
        );
        return;
      }
      case 'releaseStream':
      case 'FCPublish':
        this.#command(3, 0, '_result', txn, null, undefined);
        return;
      case 'createStream':
        if (!this.#connected) throw new Error('createStream before connect');
        this.#command(3, 0, '_result', txn, null, publishStreamId);
        return;
      case 'publish': {
        const key = typeof args[0] === 'string' ? args[0] : '';
        if (!this.#connected) throw new Error('publish before connect');
        if (!this.#keyMatches(key)) {
          this.#command(5, publishStreamId, 'onStatus', 0, null, {
            level: 'error',
            code: 'NetStream.Publish.BadName',
            description: 'Wrong stream key.',
          });
          throw new Error('a wrong stream key');
        }
        this.#command(5, publishStreamId, 'onStatus', 0, null, {
          level: 'status',
          code: 'NetStream.Publish.Start',
          description: 'Publishing.',
        });
        this.#reader.maxMessageBytes = maxMediaBytes;
        this.#flv = new PassThrough();
        // FLV's header (audio and video) and its first back-pointer
        this.#flv.write(Buffer.from([0x46, 0x4c, 0x56, 1, 0x05, 0, 0, 0, 9, 0, 0, 0, 0]));
        this.emit('published', this.#flv);
        return;
      }
      default:
        return;
    }
  }

  #command(csid: number, streamId: number, ...values: Amf0Value[]): void {
    this.#send(csid, rtmpMessageTypes.commandAmf0, streamId, encodeAmf0(...values));
  }

  /** One message in chunks of 128 bytes (a type-0 header, then type-3 ones). */
  #send(csid: number, type: number, streamId: number, payload: Buffer): void {
    const header = Buffer.alloc(12);
    header[0] = csid;
    header.writeUIntBE(0, 1, 3);
    header.writeUIntBE(payload.length, 4, 3);
    header[7] = type;
    header.writeUInt32LE(streamId, 8);
    const parts: Buffer[] = [header];
    for (let offset = 0; offset < payload.length; offset += outChunkSize) {
      if (offset > 0) parts.push(Buffer.from([0xc0 | csid]));
      parts.push(payload.subarray(offset, offset + outChunkSize));
    }
    this.#socket.write(Buffer.concat(parts));
  }
}

const isObject = (value: Amf0Value): value is { [key: string]: Amf0Value } =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

function uint32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}

/** An RTMP audio or video message as the FLV tag it is, with its back-pointer. */
function flvTag(message: RtmpMessage): Buffer {
  const header = Buffer.alloc(11);
  header[0] = message.type;
  header.writeUIntBE(message.payload.length, 1, 3);
  header.writeUIntBE(message.timestamp & 0xffffff, 4, 3);
  header[7] = (message.timestamp >>> 24) & 0xff;
  const backPointer = uint32(11 + message.payload.length);
  return Buffer.concat([header, message.payload, backPointer]);
}
