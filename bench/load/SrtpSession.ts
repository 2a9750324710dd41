import crypto from 'node:crypto';

/** SRTP/SRTCP labels of RFC 3711 §4.3.1's key derivation. */
const enum Label {
  RtpCipher = 0,
  RtpAuth = 1,
  RtpSalt = 2,
  RtcpCipher = 3,
  RtcpAuth = 4,
  RtcpSalt = 5,
}

const tagLength = 10;

interface Keys {
  cipher: Buffer;
  auth: Buffer;
  salt: Buffer;
}

/**
 * One direction of an AES_CM_128_HMAC_SHA1_80 SRTP session (RFC 3711), with a master key and salt
 * given as mediasoup's `keyBase64` (16 + 14 bytes). A synthetic site protects what it sends with
 * its own key, and reads the worker's RTCP (and peeks at a video payload) with the worker's key.
 * Rollover counters are tracked per SSRC; the SRTCP index per SSRC too.
 */
export class SrtpSession {
  readonly keyBase64: string;
  readonly #rtp: Keys;
  readonly #rtcp: Keys;
  readonly #rollover = new Map<number, { roc: number; lastSeq: number }>();
  readonly #rtcpIndex = new Map<number, number>();

  constructor(keyBase64: string = crypto.randomBytes(30).toString('base64')) {
    const master = Buffer.from(keyBase64, 'base64');
    if (master.length !== 30) throw new Error('an AES_CM_128_HMAC_SHA1_80 master key is 16 bytes of key and 14 of salt');
    this.keyBase64 = keyBase64;
    const key = master.subarray(0, 16);
    const salt = master.subarray(16);
    this.#rtp = {
      cipher: derive(key, salt, Label.RtpCipher, 16),
      auth: derive(key, salt, Label.RtpAuth, 20),
      salt: derive(key, salt, Label.RtpSalt, 14),
    };
    this.#rtcp = {
      cipher: derive(key, salt, Label.RtcpCipher, 16),
      auth: derive(key, salt, Label.RtcpAuth, 20),
      salt: derive(key, salt, Label.RtcpSalt, 14),
    };
  }

  /** An RTP packet as SRTP: its payload encrypted, the 80-bit tag appended. */
  protectRtp(packet: Buffer): Buffer {
    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    const roc = this.#rocFor(ssrc, seq);
    const offset = rtpHeaderLength(packet);
    const iv = packetIv(this.#rtp.salt, ssrc, roc * 0x10000 + seq);
    const cipher = crypto.createCipheriv('aes-128-ctr', this.#rtp.cipher, iv);
    const encrypted = Buffer.concat([packet.subarray(0, offset), cipher.update(packet.subarray(offset)), cipher.final()]);
    const rocBytes = Buffer.alloc(4);
    rocBytes.writeUInt32BE(roc);
    const tag = crypto.createHmac('sha1', this.#rtp.auth).update(encrypted).update(rocBytes).digest().subarray(0, tagLength);
    return Buffer.concat([encrypted, tag]);
  }

  /**
   * The payload of an SRTP packet from the worker, decrypted without checking its tag (a receiver
   * peeking at a VP8 descriptor; losing a packet to a forged tag is not what it measures). `roc`
   * is the sender's rollover count, 0 for the first 65536 packets of a stream.
   */
  rtpPayload(packet: Buffer, roc = 0): Buffer {
    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    const offset = rtpHeaderLength(packet);
    const iv = packetIv(this.#rtp.salt, ssrc, roc * 0x10000 + seq);
    const decipher = crypto.createDecipheriv('aes-128-ctr', this.#rtp.cipher, iv);
    return Buffer.concat([decipher.update(packet.subarray(offset, packet.length - tagLength)), decipher.final()]);
  }

  /** An RTCP compound packet as SRTCP: encrypted after the first 8 bytes, E flag and index, tag. */
  protectRtcp(packet: Buffer): Buffer {
    const ssrc = packet.readUInt32BE(4);
    const index = ((this.#rtcpIndex.get(ssrc) ?? -1) + 1) & 0x7fff_ffff;
    this.#rtcpIndex.set(ssrc, index);
    const cipher = crypto.createCipheriv('aes-128-ctr', this.#rtcp.cipher, packetIv(this.#rtcp.salt, ssrc, index));
    const trailer = Buffer.alloc(4);
    trailer.writeUInt32BE((0x8000_0000 | index) >>> 0);
    const body = Buffer.concat([packet.subarray(0, 8), cipher.update(packet.subarray(8)), cipher.final(), trailer]);
    const tag = crypto.createHmac('sha1', this.#rtcp.auth).update(body).digest().subarray(0, tagLength);
    return Buffer.concat([body, tag]);
  }

  /** An SRTCP packet's plain RTCP, or undefined when its tag does not match. */
  unprotectRtcp(packet: Buffer): Buffer | undefined {
    if (packet.length < 8 + 4 + tagLength) return undefined;
    const body = packet.subarray(0, packet.length - tagLength);
    const tag = crypto.createHmac('sha1', this.#rtcp.auth).update(body).digest().subarray(0, tagLength);
    if (!crypto.timingSafeEqual(tag, packet.subarray(packet.length - tagLength))) return undefined;
    const trailer = body.readUInt32BE(body.length - 4);
    const encrypted = body.subarray(8, body.length - 4);
    if (!(trailer & 0x8000_0000)) return Buffer.concat([body.subarray(0, 8), encrypted]);
    const ssrc = body.readUInt32BE(4);
    const decipher = crypto.createDecipheriv('aes-128-ctr', this.#rtcp.cipher, packetIv(this.#rtcp.salt, ssrc, trailer & 0x7fff_ffff));
    return Buffer.concat([body.subarray(0, 8), decipher.update(encrypted), decipher.final()]);
  }

  /** The rollover counter for a sent packet (sequence numbers only go forward here). */
  #rocFor(ssrc: number, seq: number): number {
    const state = this.#rollover.get(ssrc);
    if (!state) {
      this.#rollover.set(ssrc, { roc: 0, lastSeq: seq });
      return 0;
    }
    if (seq < state.lastSeq && state.lastSeq - seq > 0x8000) state.roc++;
    state.lastSeq = seq;
    return state.roc;
  }
}

/** Fixed header, CSRCs and the header extension. */
function rtpHeaderLength(packet: Buffer): number {
  let offset = 12 + (packet[0]! & 0x0f) * 4;
  if (packet[0]! & 0x10) offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  return offset;
}

/** RFC 3711 §4.3.1 with a key derivation rate of 0: AES-CM of the master key over (salt XOR label). */
function derive(masterKey: Buffer, masterSalt: Buffer, label: Label, length: number): Buffer {
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv);
  iv[7]! ^= label;
  const cipher = crypto.createCipheriv('aes-128-ctr', masterKey, iv);
  return Buffer.concat([cipher.update(Buffer.alloc(length)), cipher.final()]);
}

/** RFC 3711 §4.1.1: (salt · 2^16) XOR (SSRC · 2^64) XOR (index · 2^16). */
function packetIv(salt: Buffer, ssrc: number, index: number): Buffer {
  const iv = Buffer.alloc(16);
  salt.copy(iv);
  iv.writeUInt32BE((iv.readUInt32BE(4) ^ ssrc) >>> 0, 4);
  const high = Math.floor(index / 0x1_0000_0000);
  iv.writeUInt16BE(iv.readUInt16BE(8) ^ (high & 0xffff), 8);
  iv.writeUInt32BE((iv.readUInt32BE(10) ^ (index >>> 0)) >>> 0, 10);
  return iv;
}
