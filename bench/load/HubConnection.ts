import { io, type Socket } from 'socket.io-client';
import type { AckResult, ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol.js';

type Payload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
type Result<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[1] extends (result: AckResult<infer T>) => void
  ? T
  : never;

/** Round trips of every acknowledged request, in ms, shared by all synthetic clients of a run. */
export const signallingRoundTrips: number[] = [];

/** A synthetic client's socket.io connection, as the page connects with its session's token. */
export class HubConnection {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;

  private constructor(socket: Socket<ServerToClientEvents, ClientToServerEvents>) {
    this.socket = socket;
  }

  /** Connects with a signed-in account's token (see `signIn`). */
  static async open(base: string, token: string): Promise<HubConnection> {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(base, {
      transports: ['websocket'],
      auth: { token },
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return new HubConnection(socket);
  }

  async request<E extends keyof ClientToServerEvents>(event: E, payload: Payload<E>): Promise<Result<E>> {
    const started = performance.now();
    // socket.io's typed emitWithAck does not see through the generic event name: the protocol types the payload above
    const untyped = this.socket as unknown as Socket;
    const result = (await untyped.timeout(30_000).emitWithAck(event, payload)) as AckResult<Result<E>>;
    signallingRoundTrips.push(performance.now() - started);
    if (!result.ok) throw new Error(`${event}: ${result.error.code} ${result.error.message}`);
    return result.data;
  }

  close(): void {
    this.socket.disconnect();
  }
}
