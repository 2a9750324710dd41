/** RTP and RTCP as the synthetic sites write and read them (RFC 3550, VP8 per RFC 7741). */

export interface RtpHeader {
  payloadType: number;
  marker: boolean;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  /** One-byte header extensions (RFC 8285): id → value. */
  extensions?: Array<[id: number, value: Buffer]>;
}

export function rtpPacket(header: RtpHeader, payload: Buffer): Buffer {
  const extensions = header.extensions ?? [];
  const extensionBytes = extensions.reduce((n, [, value]) => n + 1 + value.length, 0);
  const extensionWords = Math.ceil(extensionBytes / 4);
  const headerLength = 12 + (extensions.length ? 4 + extensionWords * 4 : 0);
  const packet = Buffer.alloc(headerLength + payload.length);
  packet[0] = 0x80 | (extensions.length ? 0x10 : 0);
  packet[1] = (header.marker ? 0x80 : 0) | header.payloadType;
  packet.writeUInt16BE(header.sequenceNumber & 0xffff, 2);
  packet.writeUInt32BE(header.timestamp >>> 0, 4);
  packet.writeUInt32BE(header.ssrc >>> 0, 8);
  if (extensions.length) {
    packet.writeUInt16BE(0xbede, 12);
    packet.writeUInt16BE(extensionWords, 14);
    let offset = 16;
    for (const [id, value] of extensions) {
      packet[offset++] = (id << 4) | (value.length - 1);
      value.copy(packet, offset);
      offset += value.length;
    }
  }
  payload.copy(packet, headerLength);
  return packet;
}

/** RTCP travels on the same socket (rtcp-mux): its packet types 200–207 sit where RTP's marker and PT are. */
export function isRtcp(packet: Buffer): boolean {
  return packet.length >= 8 && packet[1]! >= 192 && packet[1]! <= 223;
}

/**
 * A VP8 frame in RTP payloads: each with the descriptor Chromium sends (15-bit PictureID, TL0PICIDX, the
 * frame's temporal layer TID and layer-sync bit Y), mediasoup reading it to switch simulcast and temporal
 * layers cleanly.
 */
export function vp8Payloads(
  frame: Buffer,
  pictureId: number,
  tl0PicIdx: number,
  temporal: { layer: number; sync: boolean } = { layer: 0, sync: true },
  maxPayload = 1150,
): Buffer[] {
  const payloads: Buffer[] = [];
  for (let offset = 0; offset < frame.length; offset += maxPayload) {
    const descriptor = Buffer.from([
      0x80 | (offset === 0 ? 0x10 : 0),
      0xe0,
      0x80 | ((pictureId >> 8) & 0x7f),
      pictureId & 0xff,
      tl0PicIdx & 0xff,
      ((temporal.layer & 0x03) << 6) | (temporal.sync ? 0x20 : 0),
    ]);
    payloads.push(Buffer.concat([descriptor, frame.subarray(offset, offset + maxPayload)]));
  }
  return payloads;
}

/** Whether a VP8 payload starts a key frame (descriptor's S bit on partition 0, then the frame tag's P bit clear). */
export function isVp8KeyFrameStart(payload: Buffer): boolean {
  if (payload.length < 2) return false;
  const first = payload[0]!;
  if (!(first & 0x10) || (first & 0x07) !== 0) return false;
  let offset = 1;
  if (first & 0x80) {
    const extended = payload[offset++]!;
    if (extended & 0x80) offset += payload[offset]! & 0x80 ? 2 : 1;
    if (extended & 0x40) offset++;
    if (extended & 0x30) offset++;
  }
  return offset < payload.length && (payload[offset]! & 0x01) === 0;
}

/** Whether an H.264 payload (RFC 6184) starts an IDR picture or carries its parameter sets. */
export function isH264KeyFrameStart(payload: Buffer): boolean {
  const type = payload[0]! & 0x1f;
  if (type === 5 || type === 7) return true;
  // STAP-A: any of its units (an encoder may put an access unit delimiter or SEI before the parameter sets)
  if (type === 24) {
    for (let offset = 1; offset + 3 <= payload.length; offset += 2 + payload.readUInt16BE(offset))
      if ([5, 7].includes(payload[offset + 2]! & 0x1f)) return true;
    return false;
  }
  // FU-A: the start fragment of an IDR
  if (type === 28) return payload.length > 1 && (payload[1]! & 0x80) !== 0 && (payload[1]! & 0x1f) === 5;
  return false;
}

/** A sender report: the wall clock and RTP time of `ssrc` now, what it has sent (RFC 3550 §6.4.1). */
export function senderReport(ssrc: number, rtpTimestamp: number, packets: number, octets: number, now = Date.now()): Buffer {
  const report = Buffer.alloc(28);
  report[0] = 0x80;
  report[1] = 200;
  report.writeUInt16BE(6, 2);
  report.writeUInt32BE(ssrc >>> 0, 4);
  const ntpSeconds = Math.floor(now / 1000) + 2_208_988_800;
  report.writeUInt32BE(ntpSeconds >>> 0, 8);
  report.writeUInt32BE(Math.floor(((now % 1000) / 1000) * 0x1_0000_0000) >>> 0, 12);
  report.writeUInt32BE(rtpTimestamp >>> 0, 16);
  report.writeUInt32BE(packets >>> 0, 20);
  report.writeUInt32BE(octets >>> 0, 24);
  return report;
}

/** The SSRCs a compound RTCP packet asks key frames of (PLI and FIR, RFC 4585 / 5104). */
export function keyFrameRequests(rtcp: Buffer): number[] {
  const ssrcs: number[] = [];
  for (let offset = 0; offset + 4 <= rtcp.length;) {
    const format = rtcp[offset]! & 0x1f;
    const type = rtcp[offset + 1]!;
    const length = (rtcp.readUInt16BE(offset + 2) + 1) * 4;
    if (type === 206 && format === 1 && offset + 12 <= rtcp.length) ssrcs.push(rtcp.readUInt32BE(offset + 8));
    if (type === 206 && format === 4)
      for (let fci = offset + 12; fci + 8 <= Math.min(offset + length, rtcp.length); fci += 8) ssrcs.push(rtcp.readUInt32BE(fci));
    offset += length;
  }
  return ssrcs;
}

/** A decoder's request for a key frame: an empty receiver report, then a PLI for `mediaSsrc` (RFC 3550 §6.4.2, RFC 4585 §6.3.1). */
export function keyFrameRequest(senderSsrc: number, mediaSsrc: number): Buffer {
  const packet = Buffer.alloc(8 + 12);
  packet[0] = 0x80;
  packet[1] = 201;
  packet.writeUInt16BE(1, 2);
  packet.writeUInt32BE(senderSsrc >>> 0, 4);
  packet[8] = 0x81;
  packet[9] = 206;
  packet.writeUInt16BE(2, 10);
  packet.writeUInt32BE(senderSsrc >>> 0, 12);
  packet.writeUInt32BE(mediaSsrc >>> 0, 16);
  return packet;
}
