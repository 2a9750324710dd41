import { once } from 'node:events';
import net from 'node:net';

/** A message as the test's client reads it: its header, and its attributes as type and bytes (grouped ones opened). */
export interface ReadBfcp {
  version: number;
  primitive: number;
  conferenceId: number;
  transactionId: number;
  userId: number;
  /** Every attribute, nested ones included, in order: [type, contents]. */
  attributes: Array<[number, Buffer]>;
  bytes: Buffer;
}

/** The BFCP numbers the tests use (RFC 8855): primitives, request statuses and error codes, written out apart from the hub's. */
export const bfcp = {
  FloorRequest: 1,
  FloorRelease: 2,
  FloorRequestStatus: 4,
  FloorQuery: 7,
  FloorStatus: 8,
  ChairAction: 9,
  Hello: 11,
  HelloAck: 12,
  Error: 13,
  Granted: 3,
  Denied: 4,
  Released: 6,
  Revoked: 7,
} as const;

/** The grouped attributes (RFC 8855 §5.2.14–18): a 16-bit identifier, then attributes. */
const grouped = new Set([14, 15, 16, 17, 18]);

/**
 * A room system's BFCP client (RFC 8855 over TCP), written apart from the hub's own code so that both cannot share a
 * mistake: it writes Hello, FloorRequest, FloorRelease, FloorQuery and Goodbye by hand, and reads what comes back.
 */
export class BfcpClient {
  readonly received: ReadBfcp[] = [];
  readonly #socket: net.Socket;
  readonly #conferenceId: number;
  readonly #userId: number;
  #transaction = 0;
  #pending = Buffer.alloc(0);
  #waiters: Array<() => void> = [];

  private constructor(socket: net.Socket, conferenceId: number, userId: number) {
    this.#socket = socket;
    this.#conferenceId = conferenceId;
    this.#userId = userId;
    socket.on('data', (chunk: Buffer) => {
      this.#pending = Buffer.concat([this.#pending, chunk]);
      while (this.#pending.length >= 12) {
        const length = 12 + this.#pending.readUInt16BE(2) * 4;
        if (this.#pending.length < length) break;
        this.received.push(read(this.#pending.subarray(0, length)));
        this.#pending = this.#pending.subarray(length);
      }
      for (const wake of this.#waiters.splice(0)) wake();
    });
    socket.on('close', () => {
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static async connect(options: { host: string; port: number; from?: string; conferenceId: number; userId: number }): Promise<BfcpClient> {
    const socket = net.connect({ host: options.host, port: options.port, localAddress: options.from });
    await once(socket, 'connect');
    return new BfcpClient(socket, options.conferenceId, options.userId);
  }

  get closed(): boolean {
    return this.#socket.destroyed || this.#socket.readableEnded;
  }

  /** Sends one message (version 1: BFCP over TCP) and returns its transaction ID. */
  send(primitive: number, attributes: Buffer[] = [], ids: { conferenceId?: number; userId?: number } = {}): number {
    const transaction = ++this.#transaction;
    const body = Buffer.concat(attributes);
    const header = Buffer.alloc(12);
    header[0] = 1 << 5;
    header[1] = primitive;
    header.writeUInt16BE(body.length / 4, 2);
    header.writeUInt32BE(ids.conferenceId ?? this.#conferenceId, 4);
    header.writeUInt16BE(transaction, 8);
    header.writeUInt16BE(ids.userId ?? this.#userId, 10);
    this.#socket.write(Buffer.concat([header, body]));
    return transaction;
  }

  /** Raw bytes, as a scanner or a broken client sends them. */
  write(bytes: Buffer): void {
    this.#socket.write(bytes);
  }

  /** The first message received (from `from` on) that `match` accepts; waits for it, or for the connection's end. */
  async next(match: (message: ReadBfcp) => boolean, from = 0): Promise<ReadBfcp> {
    for (;;) {
      const found = this.received.slice(from).find(match);
      if (found) return found;
      if (this.closed) throw new Error(`the BFCP connection closed; received: ${this.received.map((m) => m.primitive).join(', ')}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  close(): void {
    this.#socket.destroy();
  }
}

/** A 16-bit attribute (FLOOR-ID 2, FLOOR-REQUEST-ID 3), padded to 32 bits. */
export function uint16Attribute(type: number, value: number): Buffer {
  const out = Buffer.alloc(4);
  out[0] = (type << 1) | 1;
  out[1] = 4;
  out.writeUInt16BE(value, 2);
  return out;
}

function read(bytes: Buffer): ReadBfcp {
  const attributes: Array<[number, Buffer]> = [];
  const walk = (buffer: Buffer) => {
    let at = 0;
    while (at + 2 <= buffer.length) {
      const type = buffer[at]! >> 1;
      const length = buffer[at + 1]!;
      if (length < 2) break;
      const contents = buffer.subarray(at + 2, at + length);
      attributes.push([type, contents]);
      if (grouped.has(type)) walk(contents.subarray(2));
      at += Math.ceil(length / 4) * 4;
    }
  };
  walk(bytes.subarray(12));
  return {
    version: bytes[0]! >> 5,
    primitive: bytes[1]!,
    conferenceId: bytes.readUInt32BE(4),
    transactionId: bytes.readUInt16BE(8),
    userId: bytes.readUInt16BE(10),
    attributes,
    bytes: Buffer.from(bytes),
  };
}

/** The request status (REQUEST-STATUS, type 5) a message carries, if any. */
export function requestStatusOf(message: ReadBfcp): number | undefined {
  return message.attributes.find(([type]) => type === 5)?.[1][0];
}
