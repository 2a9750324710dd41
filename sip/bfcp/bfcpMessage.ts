import { BfcpMessageError } from '../errors.js';
import {
  BfcpAttributeType,
  BfcpErrorCode,
  BfcpPrimitive,
  groupedAttributeTypes,
  type BfcpAttribute,
  type BfcpMessage,
} from './BfcpTypes.js';

const headerBytes = 12;
/** What the hub reads of one message at most: a room system's requests are a few dozen bytes. */
export const maxMessageBytes = 8192;

/**
 * The length of the message at the head of `buffer` (its common header says it), or undefined while the header is
 * not all there. Throws on a header no BFCP over TCP can have: the stream cannot be resynchronised after it.
 */
export function messageLength(buffer: Buffer): number | undefined {
  if (buffer.length < 4) return undefined;
  const version = buffer[0]! >> 5;
  if (version !== 1 && version !== 2) throw new BfcpMessageError(`phiên bản BFCP ${version} không được hỗ trợ`, 'version');
  const length = headerBytes + buffer.readUInt16BE(2) * 4;
  if (length > maxMessageBytes) throw new BfcpMessageError('bản tin BFCP quá dài', 'length');
  return length;
}

/** One whole message (as `messageLength` cut it): its header and attributes, checked. */
export function parseBfcpMessage(buffer: Buffer): BfcpMessage {
  if (buffer.length < headerBytes) throw new BfcpMessageError('bản tin BFCP ngắn hơn phần đầu của nó', 'length');
  const length = messageLength(buffer);
  if (length !== buffer.length) throw new BfcpMessageError('độ dài bản tin BFCP không khớp', 'length');
  const first = buffer[0]!;
  // over TCP a message is never fragmented (the F bit is for UDP)
  if (first & 0x08) throw new BfcpMessageError('bản tin BFCP bị phân mảnh trên TCP', 'parse');
  return {
    version: (first >> 5) as 1 | 2,
    primitive: buffer[1]!,
    conferenceId: buffer.readUInt32BE(4),
    transactionId: buffer.readUInt16BE(8),
    userId: buffer.readUInt16BE(10),
    attributes: parseAttributes(buffer.subarray(headerBytes)),
  };
}

function parseAttributes(buffer: Buffer): BfcpAttribute[] {
  const attributes: BfcpAttribute[] = [];
  let at = 0;
  while (at < buffer.length) {
    if (buffer.length - at < 2) throw new BfcpMessageError('thuộc tính BFCP bị cắt', 'parse');
    const type = buffer[at]! >> 1;
    const mandatory = (buffer[at]! & 1) === 1;
    const length = buffer[at + 1]!;
    if (length < 2 || at + length > buffer.length) throw new BfcpMessageError('độ dài thuộc tính BFCP không hợp lệ', 'parse');
    const contents = buffer.subarray(at + 2, at + length);
    if (groupedAttributeTypes.has(type)) {
      if (contents.length < 2) throw new BfcpMessageError('thuộc tính nhóm BFCP thiếu mã của nó', 'parse');
      attributes.push({ type, mandatory, grouped: true, id: contents.readUInt16BE(0), children: parseAttributes(contents.subarray(2)) });
    } else {
      attributes.push({ type, mandatory, contents: Buffer.from(contents) });
    }
    at += padded(length);
  }
  return attributes;
}

/** A message on the wire: its attributes padded to 32 bits, its length in 32-bit words. */
export function encodeBfcpMessage(message: BfcpMessage): Buffer {
  const body = Buffer.concat(message.attributes.map(encodeAttribute));
  const header = Buffer.alloc(headerBytes);
  header[0] = message.version << 5;
  header[1] = message.primitive;
  header.writeUInt16BE(body.length / 4, 2);
  header.writeUInt32BE(message.conferenceId, 4);
  header.writeUInt16BE(message.transactionId, 8);
  header.writeUInt16BE(message.userId, 10);
  return Buffer.concat([header, body]);
}

function encodeAttribute(attribute: BfcpAttribute): Buffer {
  const contents = attribute.grouped
    ? Buffer.concat([uint16(attribute.id), ...attribute.children.map(encodeAttribute)])
    : attribute.contents;
  const length = 2 + contents.length;
  if (length > 255) throw new BfcpMessageError('thuộc tính BFCP quá dài', 'length');
  const out = Buffer.alloc(padded(length));
  out[0] = (attribute.type << 1) | (attribute.mandatory ? 1 : 0);
  out[1] = length;
  contents.copy(out, 2);
  return out;
}

const padded = (length: number) => Math.ceil(length / 4) * 4;

/** A text attribute's UTF-8 within one attribute (255 octets with its header), cut between characters, never inside one. */
function utf8Text(text: string): Buffer {
  let out = '';
  for (const character of text) {
    if (Buffer.byteLength(out + character) > 250) break;
    out += character;
  }
  return Buffer.from(out, 'utf8');
}
const uint16 = (value: number) => {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(value);
  return out;
};

/**
 * The attributes the hub writes (RFC 8855 §5.2), each as the RFC lays it out; none marked mandatory (M), since a
 * receiver must refuse a message whose mandatory attribute it does not know.
 */
export const attribute = {
  floorId: (id: number): BfcpAttribute => ({ type: BfcpAttributeType.FloorId, mandatory: false, contents: uint16(id) }),
  floorRequestId: (id: number): BfcpAttribute => ({ type: BfcpAttributeType.FloorRequestId, mandatory: false, contents: uint16(id) }),
  /** A request's status and its place in the queue (0: none). */
  requestStatus: (status: number, queuePosition = 0): BfcpAttribute => ({
    type: BfcpAttributeType.RequestStatus,
    mandatory: false,
    contents: Buffer.from([status, queuePosition]),
  }),
  statusInfo: (text: string): BfcpAttribute => ({
    type: BfcpAttributeType.StatusInfo,
    mandatory: false,
    contents: utf8Text(text),
  }),
  errorCode: (code: number): BfcpAttribute => ({ type: BfcpAttributeType.ErrorCode, mandatory: false, contents: Buffer.from([code]) }),
  errorInfo: (text: string): BfcpAttribute => ({
    type: BfcpAttributeType.ErrorInfo,
    mandatory: false,
    contents: utf8Text(text),
  }),
  supportedPrimitives: (primitives: readonly number[]): BfcpAttribute => ({
    type: BfcpAttributeType.SupportedPrimitives,
    mandatory: false,
    contents: Buffer.from(primitives),
  }),
  /** Each attribute type in the high 7 bits of its octet (the low bit reserved). */
  supportedAttributes: (types: readonly number[]): BfcpAttribute => ({
    type: BfcpAttributeType.SupportedAttributes,
    mandatory: false,
    contents: Buffer.from(types.map((type) => type << 1)),
  }),
  floorRequestInformation: (requestId: number, children: BfcpAttribute[]): BfcpAttribute => ({
    type: BfcpAttributeType.FloorRequestInformation,
    mandatory: false,
    grouped: true,
    id: requestId,
    children,
  }),
  overallRequestStatus: (requestId: number, children: BfcpAttribute[]): BfcpAttribute => ({
    type: BfcpAttributeType.OverallRequestStatus,
    mandatory: false,
    grouped: true,
    id: requestId,
    children,
  }),
  floorRequestStatus: (floorId: number, children: BfcpAttribute[] = []): BfcpAttribute => ({
    type: BfcpAttributeType.FloorRequestStatus,
    mandatory: false,
    grouped: true,
    id: floorId,
    children,
  }),
};

/** The 16-bit value of a message's first attribute of `type` (FLOOR-ID, FLOOR-REQUEST-ID, BENEFICIARY-ID), if any. */
export function uint16Attribute(message: BfcpMessage, type: number): number | undefined {
  const found = message.attributes.find((a) => a.type === type);
  if (!found || found.grouped) return undefined;
  if (found.contents.length < 2) throw new BfcpMessageError('thuộc tính BFCP ngắn hơn giá trị của nó', 'parse');
  return found.contents.readUInt16BE(0);
}

/** Every 16-bit value of `type` in the message (a FloorRequest may name several floors). */
export function uint16Attributes(message: BfcpMessage, type: number): number[] {
  return message.attributes.flatMap((a) => {
    if (a.type !== type || a.grouped) return [];
    if (a.contents.length < 2) throw new BfcpMessageError('thuộc tính BFCP ngắn hơn giá trị của nó', 'parse');
    return [a.contents.readUInt16BE(0)];
  });
}

/** The error code that answers what could not be read. */
export function errorCodeOf(error: unknown): number {
  if (!(error instanceof BfcpMessageError)) return BfcpErrorCode.UnableToParse;
  return { parse: BfcpErrorCode.UnableToParse, length: BfcpErrorCode.IncorrectMessageLength, version: BfcpErrorCode.UnsupportedVersion }[
    error.problem
  ];
}

export function errorText(error: unknown): string {
  return error instanceof BfcpMessageError ? error.message : 'bản tin BFCP không đọc được';
}

/** An Error (RFC 8855 §5.3.13) answering `request` (undefined: one that could not be read) with `code` and why, in Vietnamese. */
export function errorReply(request: BfcpMessage | undefined, code: number, info: string): Buffer {
  return encodeBfcpMessage({
    version: request?.version ?? 1,
    primitive: BfcpPrimitive.Error,
    conferenceId: request?.conferenceId ?? 0,
    transactionId: request?.transactionId ?? 0,
    userId: request?.userId ?? 0,
    attributes: [attribute.errorCode(code), attribute.errorInfo(info)],
  });
}
