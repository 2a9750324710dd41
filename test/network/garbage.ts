import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';

/** Where a hub listens: HTTPS, the HTTP redirect, TURN (UDP and TCP), TURN over TLS, each worker's media port (UDP and TCP). */
export interface GarbageTarget {
  address: string;
  https: number;
  redirect: number;
  turn: number;
  turnTls: number;
  media: readonly number[];
}

/** How much of each kind was sent. */
export type GarbageReport = Record<string, number>;

/**
 * Sends what a broken client, a scanner or a hostile host would: plain HTTP to TLS ports, TLS hellos cut
 * short, random bytes, malformed STUN/TURN, DTLS and RTP-looking datagrams, bad RFC 4571 framing on the
 * media TCP ports. Bounded: a fixed number of packets and connections, each closed within two seconds.
 */
export async function sprayGarbage(target: GarbageTarget): Promise<GarbageReport> {
  const report: GarbageReport = {};
  const count = (kind: string, n = 1) => (report[kind] = (report[kind] ?? 0) + n);
  const hello = await realClientHello();
  const tcpPayloads: Array<[string, Buffer]> = [
    ['plain HTTP', Buffer.from('GET / HTTP/1.1\r\nHost: hub\r\n\r\n')],
    ['TLS hello cut short', hello.subarray(0, Math.floor(hello.length / 2))],
    ['TLS record header only', hello.subarray(0, 5)],
    ['random bytes', randomBytes(64 * 1024)],
    ['TLS hello then random bytes', Buffer.concat([hello, randomBytes(4096)])],
  ];
  const { address } = target;
  for (const port of [target.https, target.turnTls, target.redirect, target.turn])
    for (const [kind, payload] of tcpPayloads) {
      await sendTcp(address, port, payload);
      count(`tcp ${port}: ${kind}`);
    }

  // media over TCP is RFC 4571: a 2-byte length, then the packet
  const framed = (packet: Buffer) => Buffer.concat([Buffer.from([packet.length >> 8, packet.length & 0xff]), packet]);
  for (const port of target.media) {
    for (const packet of datagrams()) {
      await sendTcp(address, port, framed(packet));
      count(`tcp ${port}: framed packets`);
    }
    await sendTcp(address, port, Buffer.from([0xff, 0xff, 0x00, 0x01, 0x21, 0x12]));
    await sendTcp(address, port, randomBytes(8192));
    count(`tcp ${port}: bad framing`, 2);
  }

  const socket = dgram.createSocket('udp4');
  try {
    for (const port of [target.turn, ...target.media])
      for (let round = 0; round < 5; round++)
        for (const packet of datagrams()) {
          await new Promise<void>((resolve) => socket.send(packet, port, address, () => resolve()));
          count(`udp ${port}`);
        }
  } finally {
    socket.close();
  }
  return report;
}

const magicCookie = 0x2112a442;

/** STUN, TURN, DTLS, RTP and RTCP lookalikes, each broken in its own way, and plain noise. */
function datagrams(): Buffer[] {
  const stun = (type: number, declaredLength: number, body: Buffer) => {
    const header = Buffer.alloc(20);
    header.writeUInt16BE(type, 0);
    header.writeUInt16BE(declaredLength, 2);
    header.writeUInt32BE(magicCookie, 4);
    randomBytes(12).copy(header, 8);
    return Buffer.concat([header, body]);
  };
  const attribute = (type: number, declaredLength: number, value: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt16BE(type, 0);
    head.writeUInt16BE(declaredLength, 2);
    return Buffer.concat([head, value]);
  };
  return [
    // binding request whose length says more than was sent
    stun(0x0001, 400, randomBytes(16)),
    // USERNAME claiming 60000 bytes; MESSAGE-INTEGRITY of the wrong size; FINGERPRINT of random bits
    stun(0x0001, 12, attribute(0x0006, 60000, randomBytes(8))),
    stun(0x0001, 12, attribute(0x0008, 3, randomBytes(8))),
    stun(0x0001, 8, attribute(0x8028, 4, randomBytes(4))),
    // TURN allocate and refresh with no credentials, and with garbage REALM/NONCE/USERNAME
    stun(0x0003, 8, attribute(0x0019, 4, Buffer.from([17, 0, 0, 0]))),
    stun(
      0x0003,
      36,
      Buffer.concat([attribute(0x0014, 8, randomBytes(8)), attribute(0x0015, 8, randomBytes(8)), attribute(0x0006, 8, randomBytes(8))]),
    ),
    stun(0x0004, 0, Buffer.alloc(0)),
    // channel data to an unbound channel, with a length past the datagram
    Buffer.concat([Buffer.from([0x40, 0x00, 0x04, 0x00]), randomBytes(32)]),
    // a DTLS ClientHello record cut short, and one with a random body
    Buffer.concat([Buffer.from([0x16, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00]), randomBytes(20)]),
    Buffer.concat([Buffer.from([0x17, 0xfe, 0xfd]), randomBytes(200)]),
    // RTP and RTCP from nobody the server knows
    Buffer.concat([Buffer.from([0x80, 0x60]), randomBytes(1100)]),
    Buffer.concat([Buffer.from([0x80, 0xc8, 0x00, 0x06]), randomBytes(24)]),
    // noise
    randomBytes(1),
    randomBytes(1200),
  ];
}

/** Connects, writes, and closes: after the peer closes, or two seconds at the most. */
function sendTcp(host: string, port: number, payload: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, 2000);
    socket.once('connect', () => socket.end(payload));
    socket.on('data', () => undefined);
    socket.once('close', done);
    socket.once('error', done);
  });
}

/** The first flight of a real TLS client (what a browser's ClientHello looks like on the wire). */
function realClientHello(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((connection) => {
      connection.once('data', (chunk: Buffer) => {
        resolve(chunk);
        connection.destroy();
        server.close();
      });
    });
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      tls.connect({ host: '127.0.0.1', port, servername: 'hub' }).once('error', () => undefined);
    });
  });
}
