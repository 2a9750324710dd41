/** One RTP packet as the SFU sent it to the program (RFC 3550), its payload without padding or extensions. */
export interface RtpPacket {
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  marker: boolean;
  payload: Buffer;
}

/** Parses an RTP packet; undefined for RTCP (sent on the same port, rtcp-mux) and anything malformed. */
export function parseRtp(packet: Buffer): RtpPacket | undefined {
  if (packet.length < 12 || packet[0]! >> 6 !== 2) return undefined;
  const secondByte = packet[1]!;
  // RTCP's packet types 200–206 read as marker + payload type 72–78 (RFC 5761)
  if (secondByte >= 200 && secondByte <= 206) return undefined;
  const csrcCount = packet[0]! & 0x0f;
  let offset = 12 + csrcCount * 4;
  if (packet[0]! & 0x10) {
    if (packet.length < offset + 4) return undefined;
    offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  }
  let end = packet.length;
  if (packet[0]! & 0x20) end -= packet[packet.length - 1]!;
  if (offset > end) return undefined;
  return {
    payloadType: secondByte & 0x7f,
    marker: (secondByte & 0x80) !== 0,
    sequenceNumber: packet.readUInt16BE(2),
    timestamp: packet.readUInt32BE(4),
    ssrc: packet.readUInt32BE(8),
    payload: packet.subarray(offset, end),
  };
}

/** `a` comes after `b` in 16-bit sequence-number order (wrapping). */
export const seqAfter = (a: number, b: number) => a !== b && ((a - b) & 0xffff) < 0x8000;
