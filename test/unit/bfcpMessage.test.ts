import { describe, expect, it } from 'vitest';
import { encodeBfcpMessage, parseBfcpMessage } from '../../sip/bfcp/index.js';
import { attribute } from '../../sip/bfcp/bfcpMessage.js';
import { BfcpMessageError } from '../../sip/errors.js';

/** A message as a room system writes it, by hand: the common header (version 1, over TCP), then its attribute bytes. */
function message(attributes: number[], header: { version?: number; flags?: number; words?: number } = {}): Buffer {
  const body = Buffer.from(attributes);
  const out = Buffer.alloc(12 + body.length);
  out[0] = ((header.version ?? 1) << 5) | (header.flags ?? 0);
  out[1] = 1; // FloorRequest
  out.writeUInt16BE(header.words ?? body.length / 4, 2);
  out.writeUInt32BE(0x01020304, 4);
  out.writeUInt16BE(9, 8);
  out.writeUInt16BE(5, 10);
  body.copy(out, 12);
  return out;
}

describe('BFCP messages as the hub reads them (RFC 8855)', () => {
  it('reads the common header and the attributes, opening grouped ones, past their padding', () => {
    // FLOOR-ID 1 (mandatory), then FLOOR-REQUEST-INFORMATION 0x0007 holding OVERALL-REQUEST-STATUS 0x0007 with REQUEST-STATUS Granted
    const read = parseBfcpMessage(message([(2 << 1) | 1, 4, 0, 1, 15 << 1, 12, 0, 7, 18 << 1, 8, 0, 7, 5 << 1, 4, 3, 0]));
    expect([read.version, read.primitive, read.conferenceId, read.transactionId, read.userId]).toEqual([1, 1, 0x01020304, 9, 5]);
    expect(read.attributes[0]).toEqual({ type: 2, mandatory: true, contents: Buffer.from([0, 1]) });
    expect(read.attributes[1]).toMatchObject({
      type: 15,
      grouped: true,
      id: 7,
      children: [{ type: 18, grouped: true, id: 7, children: [{ type: 5, contents: Buffer.from([3, 0]) }] }],
    });
  });

  it.each([
    ['an attribute longer than the message', message([2 << 1, 12, 0, 1]), 'parse'],
    ['an attribute length below its own header', message([2 << 1, 1, 0, 1]), 'parse'],
    ['a grouped attribute without its identifier', message([15 << 1, 2, 0, 0]), 'parse'],
    ['a length that is not the message’s', message([2 << 1, 4, 0, 1], { words: 2 }), 'length'],
    ['a fragment (UDP only)', message([2 << 1, 4, 0, 1], { flags: 0x08 }), 'parse'],
    ['version 3', message([2 << 1, 4, 0, 1], { version: 3 }), 'version'],
  ] as const)('refuses %s, saying which error answers it', (_case, bytes, problem) => {
    expect(() => parseBfcpMessage(bytes)).toThrow(BfcpMessageError);
    expect(() => parseBfcpMessage(bytes)).toThrow(expect.objectContaining({ problem }));
  });

  it('cuts a long Vietnamese reason between characters, within one attribute', () => {
    const reason = 'Ủy ban nhân dân xã Mỹ Hòa Hưng đang trình bày: chờ kết thúc, hoặc xin chủ tọa. '.repeat(5);
    const written = encodeBfcpMessage({
      version: 1,
      primitive: 4,
      conferenceId: 1,
      transactionId: 1,
      userId: 1,
      attributes: [attribute.statusInfo(reason)],
    });
    const [info] = parseBfcpMessage(written).attributes;
    const text = !info || info.grouped ? '' : info.contents.toString('utf8');
    expect(text.length).toBeGreaterThan(100);
    expect(reason.startsWith(text)).toBe(true);
  });
});
