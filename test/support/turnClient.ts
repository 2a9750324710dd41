import { createHash, createHmac, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';

const magicCookie = 0x2112a442;
const attribute = {
  username: 0x0006,
  messageIntegrity: 0x0008,
  errorCode: 0x0009,
  realm: 0x0014,
  nonce: 0x0015,
  xorPeerAddress: 0x0012,
  requestedTransport: 0x0019,
} as const;
const method = { allocate: 0x0003, createPermission: 0x0008 } as const;

/** A STUN answer: success, or an error with its code (401, 403, 438…). */
interface Answer {
  ok: boolean;
  errorCode?: number;
  attributes: Map<number, Buffer>;
}

/**
 * A TURN client over UDP written by hand (RFC 5766 with the long-term credentials of RFC 5389), as a
 * bridge point's credentials would be used by someone probing what the relay reaches: an allocation,
 * then permissions to peers of its choosing.
 */
export class TurnClient {
  readonly #socket = dgram.createSocket('udp4');
  readonly #server: { host: string; port: number };
  readonly #username: string;
  readonly #password: string;
  #realm = '';
  #nonce = '';

  constructor(server: { host: string; port: number }, credentials: { username: string; credential: string }) {
    this.#server = server;
    this.#username = credentials.username;
    this.#password = credentials.credential;
  }

  /** An allocation (UDP relay); throws with the server's error code if refused. */
  async allocate(): Promise<void> {
    const transport = Buffer.from([17, 0, 0, 0]);
    const first = await this.#request(method.allocate, [[attribute.requestedTransport, transport]], false);
    if (first.ok) return;
    if (first.errorCode !== 401) throw new Error(`Allocate: ${first.errorCode}`);
    this.#realm = first.attributes.get(attribute.realm)!.toString();
    this.#nonce = first.attributes.get(attribute.nonce)!.toString();
    const answer = await this.#request(method.allocate, [[attribute.requestedTransport, transport]], true);
    if (!answer.ok) throw new Error(`Allocate: ${answer.errorCode}`);
  }

  /** Asks to relay to `ip`: the server's answer (0 for success, else its error code, 403 for a forbidden peer). */
  async permit(ip: string): Promise<number> {
    const address = Buffer.alloc(8);
    address[1] = 0x01;
    address.writeUInt16BE(5000 ^ (magicCookie >>> 16), 2);
    address.writeUInt32BE((ip.split('.').reduce((n, part) => n * 256 + Number(part), 0) ^ magicCookie) >>> 0, 4);
    const answer = await this.#request(method.createPermission, [[attribute.xorPeerAddress, address]], true);
    return answer.ok ? 0 : (answer.errorCode ?? -1);
  }

  close(): void {
    this.#socket.close();
  }

  async #request(type: number, attributes: Array<[number, Buffer]>, signed: boolean): Promise<Answer> {
    const transactionId = randomBytes(12);
    const all = [...attributes];
    if (signed)
      all.push(
        [attribute.username, Buffer.from(this.#username)],
        [attribute.realm, Buffer.from(this.#realm)],
        [attribute.nonce, Buffer.from(this.#nonce)],
      );
    let body = Buffer.concat(all.map(([kind, value]) => tlv(kind, value)));
    const header = (length: number) => {
      const h = Buffer.alloc(20);
      h.writeUInt16BE(type, 0);
      h.writeUInt16BE(length, 2);
      h.writeUInt32BE(magicCookie, 4);
      transactionId.copy(h, 8);
      return h;
    };
    if (signed) {
      const key = createHash('md5').update(`${this.#username}:${this.#realm}:${this.#password}`).digest();
      const integrity = createHmac('sha1', key)
        .update(Buffer.concat([header(body.length + 24), body]))
        .digest();
      body = Buffer.concat([body, tlv(attribute.messageIntegrity, integrity)]);
    }
    const answered = new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the TURN server did not answer within 30 s')), 30_000);
      const onMessage = (message: Buffer) => {
        if (!message.subarray(8, 20).equals(transactionId)) return;
        clearTimeout(timer);
        this.#socket.off('message', onMessage);
        resolve(message);
      };
      this.#socket.on('message', onMessage);
    });
    this.#socket.send(Buffer.concat([header(body.length), body]), this.#server.port, this.#server.host);
    const message = await answered;
    const answer: Answer = { ok: (message.readUInt16BE(0) & 0x0110) === 0x0100, attributes: new Map() };
    for (let offset = 20; offset + 4 <= message.length;) {
      const kind = message.readUInt16BE(offset);
      const length = message.readUInt16BE(offset + 2);
      const value = message.subarray(offset + 4, offset + 4 + length);
      answer.attributes.set(kind, value);
      if (kind === attribute.errorCode) answer.errorCode = (value[2]! & 0x07) * 100 + value[3]!;
      offset += 4 + Math.ceil(length / 4) * 4;
    }
    return answer;
  }
}

function tlv(kind: number, value: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16BE(kind, 0);
  header.writeUInt16BE(value.length, 2);
  return Buffer.concat([header, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
}
