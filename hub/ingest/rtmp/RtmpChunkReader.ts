import { HubError } from '../../../errors/index.js';
import { said } from '../../../shared/messages/index.js';
/** One RTMP message, whole (its chunks joined). */
export interface RtmpMessage {
  type: number;
  streamId: number;
  /** Milliseconds, as the encoder stamped it (deltas added up). */
  timestamp: number;
  payload: Buffer;
}

/** The encoder's bytes are not RTMP chunks, or a message is larger than allowed. */
export class RtmpProtocolError extends HubError {
  constructor(detail: string) {
    super('INVALID', said('ingest.rtmpProtocol', { detail }));
  }
}

export const rtmpMessageTypes = {
  setChunkSize: 1,
  audio: 8,
  video: 9,
  dataAmf3: 15,
  commandAmf3: 17,
  dataAmf0: 18,
  commandAmf0: 20,
  aggregate: 22,
} as const;

interface ChunkStream {
  timestamp: number;
  delta: number;
  length: number;
  type: number;
  streamId: number;
  extended: boolean;
  /** The message being put together, and how much of it has come. */
  partial?: Buffer;
  received: number;
}

/**
 * Cuts an RTMP connection's bytes (after the handshake) into messages: the chunk headers of all four
 * formats, extended timestamps, interleaved chunk streams, and the sender's Set Chunk Size.
 * `maxMessageBytes` bounds what one message may claim, so a peer cannot make the hub allocate at will.
 */
export class RtmpChunkReader {
  readonly #streams = new Map<number, ChunkStream>();
  #chunkSize = 128;
  #pending: Buffer = Buffer.alloc(0);
  maxMessageBytes: number;

  constructor(maxMessageBytes: number) {
    this.maxMessageBytes = maxMessageBytes;
  }

  /** The messages `bytes` completes (there may be none yet). */
  push(bytes: Buffer): RtmpMessage[] {
    this.#pending = this.#pending.length === 0 ? bytes : Buffer.concat([this.#pending, bytes]);
    const messages: RtmpMessage[] = [];
    for (;;) {
      const consumed = this.#readChunk(messages);
      if (consumed === 0) break;
      this.#pending = this.#pending.subarray(consumed);
    }
    return messages;
  }

  /** One chunk off the front of the pending bytes: how many bytes it took (0: not all of it is here yet). */
  #readChunk(messages: RtmpMessage[]): number {
    const data = this.#pending;
    if (data.length < 1) return 0;
    const format = data[0]! >> 6;
    let offset = 1;
    let csid = data[0]! & 0x3f;
    if (csid === 0) {
      if (data.length < 2) return 0;
      csid = 64 + data[1]!;
      offset = 2;
    } else if (csid === 1) {
      if (data.length < 3) return 0;
      csid = 64 + data[1]! + data[2]! * 256;
      offset = 3;
    }
    const headerBytes = [11, 7, 3, 0][format]!;
    if (data.length < offset + headerBytes) return 0;
    const previous = this.#streams.get(csid);
    if (format !== 0 && !previous) throw new RtmpProtocolError(`chunk stream ${csid} continues a message it never started`);
    const stream: ChunkStream = previous ?? { timestamp: 0, delta: 0, length: 0, type: 0, streamId: 0, extended: false, received: 0 };
    let time = 0;
    if (format <= 2) time = data.readUIntBE(offset, 3);
    if (format <= 1) {
      stream.length = data.readUIntBE(offset + 3, 3);
      stream.type = data[offset + 6]!;
    }
    if (format === 0) stream.streamId = data.readUInt32LE(offset + 7);
    offset += headerBytes;
    const extended = format <= 2 ? time === 0xffffff : stream.extended;
    if (extended) {
      if (data.length < offset + 4) return 0;
      time = data.readUInt32BE(offset);
      offset += 4;
    }
    const starts = stream.partial === undefined;
    if (starts && stream.length > this.maxMessageBytes)
      throw new RtmpProtocolError(`a message of ${stream.length} bytes (at most ${this.maxMessageBytes} here)`);
    const bytes = Math.min(this.#chunkSize, stream.length - (starts ? 0 : stream.received));
    if (data.length < offset + bytes) return 0;

    // the header is taken only now that the whole chunk is here (a chunk read twice must not add its delta twice)
    stream.extended = extended;
    if (starts) {
      if (format === 0) stream.timestamp = time;
      else if (format <= 2) {
        stream.delta = time;
        stream.timestamp += time;
      } else stream.timestamp += stream.delta;
      stream.partial = Buffer.allocUnsafe(stream.length);
      stream.received = 0;
    }
    data.copy(stream.partial!, stream.received, offset, offset + bytes);
    stream.received += bytes;
    this.#streams.set(csid, stream);
    if (stream.received === stream.length) {
      const message = { type: stream.type, streamId: stream.streamId, timestamp: stream.timestamp, payload: stream.partial! };
      stream.partial = undefined;
      if (message.type === rtmpMessageTypes.setChunkSize) {
        if (message.payload.length < 4) throw new RtmpProtocolError('Set Chunk Size without a size');
        const size = message.payload.readUInt32BE(0) & 0x7fffffff;
        if (size < 1) throw new RtmpProtocolError('a chunk size of 0');
        this.#chunkSize = size;
      }
      messages.push(message);
    }
    return offset + bytes;
  }
}
