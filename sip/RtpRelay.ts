import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { ProtectionProfileAes128CmHmacSha1_80, SrtpSession } from 'werift-rtp';
import type { SdesKey } from './SipTypes.js';

/** The keys of RFC 4733's events 0–15. */
const keys = '0123456789*#ABCD';

export type RtpRelayEvents = {
  /** The far end pressed a key (once per key, however many packets repeat its event). */
  key: [key: string];
  /** The far end's first RTP packet came: its SSRC (a far end may not say it in its session description). */
  ssrc: [ssrc: number];
};

/** Where the SFU's transport for the call's sound listens (RTP and RTCP apart). */
export interface SfuEnd {
  address: string;
  rtpPort: number;
  rtcpPort: number;
}

/** A pair of sockets, one for RTP and one for RTCP. */
interface SocketPair {
  rtp: Socket;
  rtcp: Socket;
}

/**
 * One media line of a call passes through here between the far end and the SFU, both ways, as it is (SRTP). What
 * the SFU sends back goes out from the port the far end sends to (symmetric RTP), to where it sends from. Two things
 * are read on the way in:
 * - the far end's SSRC, from its first RTP packet (in the clear in SRTP's header): many room systems do not say it in
 *   their session description (`a=ssrc`), and the SFU takes a stream by its SSRC;
 * - on the sound's line, the keys a room system presses: mediasoup forwards no RFC 4733 telephone events (its
 *   consumers take media codecs only), so they are read here, from the far end's packets decrypted with the SDES
 *   key its session description gave.
 */
export class RtpRelay extends EventEmitter<RtpRelayEvents> {
  readonly #outer: SocketPair;
  readonly #inner: SocketPair;
  readonly #sfu: SfuEnd;
  /** Where the far end sends from (learned from its packets; until then, where its description said). */
  #far: { rtp?: { address: string; port: number }; rtcp?: { address: string; port: number } } = {};
  #srtp?: SrtpSession;
  #eventPayloadType?: number;
  #lastEvent?: { key: string; timestamp: number };
  #ssrc?: number;
  #closed = false;

  private constructor(outer: SocketPair, inner: SocketPair, sfu: SfuEnd) {
    super();
    this.#outer = outer;
    this.#inner = inner;
    this.#sfu = sfu;
    outer.rtp.on('message', (packet, from) => this.#fromFar('rtp', packet, from));
    outer.rtcp.on('message', (packet, from) => this.#fromFar('rtcp', packet, from));
    inner.rtp.on('message', (packet) => this.#toFar('rtp', packet));
    inner.rtcp.on('message', (packet) => this.#toFar('rtcp', packet));
  }

  /**
   * The relay's ports: the far end's side on `listenIp` within `portRange` (the ports the firewall opens for media),
   * the SFU's side on loopback (or the SFU's own address).
   */
  static async open(options: { listenIp: string; portRange?: { min: number; max: number }; sfu: SfuEnd }): Promise<RtpRelay> {
    const innerIp = options.sfu.address;
    const sockets: Socket[] = [];
    try {
      const bind = async (ip: string, range?: { min: number; max: number }) => {
        const socket = await boundSocket(ip, range);
        sockets.push(socket);
        return socket;
      };
      const outer = { rtp: await bind(options.listenIp, options.portRange), rtcp: await bind(options.listenIp, options.portRange) };
      const inner = { rtp: await bind(innerIp), rtcp: await bind(innerIp) };
      return new RtpRelay(outer, inner, options.sfu);
    } catch (error) {
      for (const socket of sockets) socket.close();
      throw error;
    }
  }

  /** The SFU's side: where the relay sends it the far end's media from, and takes what it sends the far end. */
  get sfuFacing(): { address: string; rtpPort: number; rtcpPort: number } {
    return { address: this.#sfu.address, rtpPort: this.#inner.rtp.address().port, rtcpPort: this.#inner.rtcp.address().port };
  }

  /** The far end's side: the ports its session description is told. */
  get rtpPort(): number {
    return this.#outer.rtp.address().port;
  }

  get rtcpPort(): number {
    return this.#outer.rtcp.address().port;
  }

  /**
   * The far end's SSRC: from its first RTP packet, when it comes within `waitMs` (undefined: it sent nothing, or the
   * relay closed first).
   */
  firstSsrc(waitMs: number): Promise<number | undefined> {
    if (this.#ssrc !== undefined || this.#closed) return Promise.resolve(this.#ssrc);
    return new Promise((resolve) => {
      const done = (ssrc: number | undefined) => {
        clearTimeout(timer);
        this.off('ssrc', done);
        resolve(ssrc);
      };
      const timer = setTimeout(() => done(undefined), waitMs);
      this.on('ssrc', done);
    });
  }

  /** The far end's line: where it said it receives, its key, and the payload type of its keys (none: no keypad). */
  connect(far: { address: string; port: number; rtcpPort: number; srtp?: SdesKey; dtmfPayloadType?: number }): void {
    this.#far = { rtp: { address: far.address, port: far.port }, rtcp: { address: far.address, port: far.rtcpPort } };
    this.#eventPayloadType = far.dtmfPayloadType;
    // plain RTP (a room system allowed it): its keys are read as they come
    if (far.dtmfPayloadType === undefined || !far.srtp) return;
    const master = Buffer.from(far.srtp.keyBase64, 'base64');
    const [key, salt] = [master.subarray(0, 16), master.subarray(16, 30)];
    // only the far end's packets are decrypted here: the "local" keys are never used
    this.#srtp = new SrtpSession({
      keys: { localMasterKey: key, localMasterSalt: salt, remoteMasterKey: key, remoteMasterSalt: salt },
      profile: ProtectionProfileAes128CmHmacSha1_80,
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const socket of [this.#outer.rtp, this.#outer.rtcp, this.#inner.rtp, this.#inner.rtcp]) socket.close();
  }

  #fromFar(kind: 'rtp' | 'rtcp', packet: Buffer, from: RemoteInfo): void {
    if (this.#closed) return;
    // symmetric RTP: the far end is answered where it sends from (behind a NAT, not where it said)
    this.#far[kind] = { address: from.address, port: from.port };
    this.#inner[kind].send(packet, kind === 'rtp' ? this.#sfu.rtpPort : this.#sfu.rtcpPort, this.#sfu.address);
    if (kind !== 'rtp') return;
    if (this.#ssrc === undefined && isRtp(packet)) {
      this.#ssrc = packet.readUInt32BE(8);
      this.emit('ssrc', this.#ssrc);
    }
    this.#readKey(packet);
  }

  #toFar(kind: 'rtp' | 'rtcp', packet: Buffer): void {
    const far = this.#far[kind];
    if (this.#closed || !far) return;
    this.#outer[kind].send(packet, far.port, far.address);
  }

  /**
   * Every packet of the far end's sound is decrypted, the keys' and the voice's alike: SRTP's packet index (its
   * rollover counter) follows the sequence numbers of all of them.
   */
  #readKey(packet: Buffer): void {
    if (this.#eventPayloadType === undefined || packet.length < 12) return;
    let plain = packet;
    if (this.#srtp)
      try {
        plain = this.#srtp.decrypt(packet);
      } catch {
        return; // not the far end's (or damaged): its authentication fails
      }
    const key = keyOf(plain, this.#eventPayloadType);
    if (!key || !isNewEvent(this.#lastEvent, key)) return;
    this.#lastEvent = key;
    this.emit('key', key.key);
  }
}

/**
 * Whether an event packet starts a new key press: an event's packets (and its repeated end) share its key and RTP
 * timestamp. Two keys pressed within one audio frame of the sender share a timestamp too (baresip under load did
 * so, and a `*` then went unread): a different key is a new press whatever its timestamp.
 */
export function isNewEvent(last: { key: string; timestamp: number } | undefined, next: { key: string; timestamp: number }): boolean {
  return !last || last.timestamp !== next.timestamp || last.key !== next.key;
}

/** The key of one (decrypted) RTP packet of a telephone event, with the event's timestamp; undefined for any other. */
export function keyOf(packet: Buffer, eventPayloadType: number | undefined): { key: string; timestamp: number } | undefined {
  if (eventPayloadType === undefined || packet.length < 12 || packet[0]! >> 6 !== 2) return undefined;
  if ((packet[1]! & 0x7f) !== eventPayloadType) return undefined;
  const csrcCount = packet[0]! & 0x0f;
  let offset = 12 + csrcCount * 4;
  if (packet[0]! & 0x10) {
    if (packet.length < offset + 4) return undefined;
    offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  }
  if (packet.length < offset + 4) return undefined;
  const key = keys[packet[offset]!];
  return key === undefined ? undefined : { key, timestamp: packet.readUInt32BE(4) };
}

/** An RTP packet (version 2, not RTCP muxed on the port: its packet types 200–206 read as payload types 72–78). */
function isRtp(packet: Buffer): boolean {
  if (packet.length < 12 || packet[0]! >> 6 !== 2) return false;
  const payloadType = packet[1]! & 0x7f;
  return payloadType < 72 || payloadType > 78;
}

/** A UDP socket on `ip`: at a free port within `range` when given, else at any. */
async function boundSocket(ip: string, range?: { min: number; max: number }): Promise<Socket> {
  for (let attempt = 0; ; attempt++) {
    const port = range ? range.min + Math.floor(Math.random() * (range.max - range.min + 1)) : 0;
    const socket = createSocket(ip.includes(':') ? 'udp6' : 'udp4');
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(port, ip, () => {
          socket.off('error', reject);
          // a send that fails (the far end's port closed: ICMP unreachable) loses that packet only
          socket.on('error', () => undefined);
          resolve();
        });
      });
      return socket;
    } catch (error) {
      socket.close();
      if (!range || attempt >= 50) throw error;
    }
  }
}
