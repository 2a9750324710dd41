/** One RTSP request or response: its first line, headers (names in lower case) and body. */
export interface RtspMessage {
  startLine: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Splits an RTSP connection's bytes into what RFC 2326 puts on it: text messages, and binary
 * frames interleaved with them ($, channel, 16-bit length). Both ends of the simulated link (the
 * camera's sessions, the tests' recorder) read it the same way.
 */
export class RtspReader {
  #buffer = Buffer.alloc(0);
  readonly #onMessage: (message: RtspMessage) => void;
  readonly #onInterleaved: (channel: number, payload: Buffer) => void;

  constructor(handlers: { message: (message: RtspMessage) => void; interleaved: (channel: number, payload: Buffer) => void }) {
    this.#onMessage = handlers.message;
    this.#onInterleaved = handlers.interleaved;
  }

  push(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      if (this.#buffer.length > 0 && this.#buffer[0] === 0x24) {
        if (this.#buffer.length < 4 || this.#buffer.length < 4 + this.#buffer.readUInt16BE(2)) return;
        const length = this.#buffer.readUInt16BE(2);
        const channel = this.#buffer[1]!;
        const payload = this.#buffer.subarray(4, 4 + length);
        this.#buffer = this.#buffer.subarray(4 + length);
        this.#onInterleaved(channel, payload);
        continue;
      }
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = this.#buffer.subarray(0, end).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(
        lines.slice(1).map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      const bodyLength = Number(headers['content-length'] ?? 0);
      if (this.#buffer.length < end + 4 + bodyLength) return;
      const body = this.#buffer.subarray(end + 4, end + 4 + bodyLength).toString('utf8');
      this.#buffer = this.#buffer.subarray(end + 4 + bodyLength);
      this.#onMessage({ startLine: lines[0] ?? '', headers, body });
    }
  }
}
