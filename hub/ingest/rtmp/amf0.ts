import { HubError } from '../../../errors/index.js';
import { said } from '../../../shared/messages/index.js';
/** AMF0, as RTMP's commands carry it: what an encoder's connect, createStream and publish hold. */
export type Amf0Value = number | boolean | string | null | undefined | Date | Amf0Value[] | { [key: string]: Amf0Value };

const Marker = {
  Number: 0x00,
  Boolean: 0x01,
  String: 0x02,
  Object: 0x03,
  Null: 0x05,
  Undefined: 0x06,
  EcmaArray: 0x08,
  ObjectEnd: 0x09,
  StrictArray: 0x0a,
  Date: 0x0b,
  LongString: 0x0c,
} as const;

/** Bytes that are not AMF0 (or a kind an encoder's commands never hold). */
export class Amf0Error extends HubError {
  constructor(detail: string) {
    super('INVALID', said('ingest.rtmpProtocol', { detail }));
  }
}

/** Every value in `data`, in order. */
export function decodeAmf0(data: Buffer): Amf0Value[] {
  const reader = { data, offset: 0 };
  const values: Amf0Value[] = [];
  while (reader.offset < data.length) values.push(readValue(reader));
  return values;
}

interface Reader {
  data: Buffer;
  offset: number;
}

function need(reader: Reader, bytes: number): void {
  if (reader.offset + bytes > reader.data.length) throw new Amf0Error('AMF0 value cut short');
}

function readValue(reader: Reader, depth = 0): Amf0Value {
  if (depth > 16) throw new Amf0Error('AMF0 nested too deep');
  need(reader, 1);
  const marker = reader.data[reader.offset++]!;
  switch (marker) {
    case Marker.Number:
      need(reader, 8);
      reader.offset += 8;
      return reader.data.readDoubleBE(reader.offset - 8);
    case Marker.Boolean:
      need(reader, 1);
      return reader.data[reader.offset++] !== 0;
    case Marker.String:
      return readString(reader, 2);
    case Marker.LongString:
      return readString(reader, 4);
    case Marker.Object:
      return readProperties(reader, depth);
    case Marker.EcmaArray:
      need(reader, 4);
      reader.offset += 4;
      return readProperties(reader, depth);
    case Marker.StrictArray: {
      need(reader, 4);
      const count = reader.data.readUInt32BE(reader.offset);
      reader.offset += 4;
      const items: Amf0Value[] = [];
      for (let i = 0; i < count; i++) items.push(readValue(reader, depth + 1));
      return items;
    }
    case Marker.Date:
      need(reader, 10);
      reader.offset += 10;
      return new Date(reader.data.readDoubleBE(reader.offset - 10));
    case Marker.Null:
      return null;
    case Marker.Undefined:
      return undefined;
    default:
      throw new Amf0Error(`AMF0 marker ${marker} is not supported`);
  }
}

function readString(reader: Reader, lengthBytes: 2 | 4): string {
  need(reader, lengthBytes);
  const length = lengthBytes === 2 ? reader.data.readUInt16BE(reader.offset) : reader.data.readUInt32BE(reader.offset);
  reader.offset += lengthBytes;
  need(reader, length);
  reader.offset += length;
  return reader.data.toString('utf8', reader.offset - length, reader.offset);
}

function readProperties(reader: Reader, depth: number): { [key: string]: Amf0Value } {
  const properties: { [key: string]: Amf0Value } = {};
  for (;;) {
    const key = readString(reader, 2);
    need(reader, 1);
    if (key === '' && reader.data[reader.offset] === Marker.ObjectEnd) {
      reader.offset++;
      return properties;
    }
    properties[key] = readValue(reader, depth + 1);
  }
}

/** The values, in order (numbers, strings, booleans, null and plain objects: what the gate answers with). */
export function encodeAmf0(...values: Amf0Value[]): Buffer {
  return Buffer.concat(values.map((value) => writeValue(value)));
}

function writeValue(value: Amf0Value): Buffer {
  if (value === null) return Buffer.from([Marker.Null]);
  if (value === undefined) return Buffer.from([Marker.Undefined]);
  if (typeof value === 'number') {
    const buffer = Buffer.alloc(9);
    buffer[0] = Marker.Number;
    buffer.writeDoubleBE(value, 1);
    return buffer;
  }
  if (typeof value === 'boolean') return Buffer.from([Marker.Boolean, value ? 1 : 0]);
  if (typeof value === 'string') return Buffer.concat([Buffer.from([Marker.String]), shortString(value)]);
  if (value instanceof Date || Array.isArray(value)) throw new Amf0Error('the gate never writes dates or arrays');
  const parts: Buffer[] = [Buffer.from([Marker.Object])];
  for (const [key, item] of Object.entries(value)) parts.push(shortString(key), writeValue(item));
  parts.push(Buffer.from([0, 0, Marker.ObjectEnd]));
  return Buffer.concat(parts);
}

function shortString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
