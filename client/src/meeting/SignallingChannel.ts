import { io, type Socket } from 'socket.io-client';
import type { AckResult, ClientToServerEvents, ErrorCode, ServerToClientEvents } from '../../../shared/protocol.js';
import { saidOf, type Said } from '../../../shared/messages/index.js';

export type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type Payload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
type Result<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[1] extends (result: AckResult<infer T>) => void
  ? T
  : never;

/** A refused or timed-out request; `code` is the server's ErrorCode or TIMEOUT, `said` the server's message. */
export class SignallingRequestError extends Error {
  readonly code: ErrorCode | 'TIMEOUT';
  readonly said?: Said;
  constructor(code: ErrorCode | 'TIMEOUT', message: string, told?: Said) {
    super(message);
    this.name = 'SignallingRequestError';
    this.code = code;
    this.said = told;
  }
}

/** The typed socket.io connection: requests are acknowledged events that resolve or throw. */
export class SignallingChannel {
  readonly socket: HubSocket;
  readonly #timeoutMs: number;

  constructor(url?: string, timeoutMs = 10_000) {
    // Connected on demand by connect(), so a page can create a client before the site joins. The
    // browser's session cookie (HttpOnly, out of the page's reach) signs the handshake in.
    const options = { transports: ['websocket'], autoConnect: false };
    this.socket = url ? io(url, options) : io(options);
    this.#timeoutMs = timeoutMs;
  }

  async request<E extends keyof ClientToServerEvents>(event: E, payload: Payload<E>): Promise<Result<E>> {
    let result: AckResult<Result<E>>;
    try {
      const timed = this.socket.timeout(this.#timeoutMs);
      // socket.io's typings cannot follow a generic event name through emitWithAck.
      const acking = timed as unknown as { emitWithAck(e: E, p: Payload<E>): Promise<AckResult<Result<E>>> };
      result = await acking.emitWithAck(event, payload);
    } catch {
      throw new SignallingRequestError('TIMEOUT', `${event} timed out`);
    }
    if (!result.ok) throw new SignallingRequestError(result.error.code, result.error.message, saidOf(result.error));
    return result.data;
  }

  async connect(): Promise<void> {
    if (this.socket.connected) return;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => {
        this.socket.off('connect', onConnect);
        reject(error);
      };
      const onConnect = () => {
        this.socket.off('connect_error', onError);
        resolve();
      };
      this.socket.once('connect', onConnect);
      this.socket.once('connect_error', onError);
      this.socket.connect();
    });
  }

  close(): void {
    this.socket.disconnect();
  }
}
