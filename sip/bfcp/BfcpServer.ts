import { randomInt } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import type { SipLog } from '../SipEndpoint.js';
import { BfcpSession } from './BfcpSession.js';
import { BfcpErrorCode, type BfcpFloorHandler, type BfcpMessage } from './BfcpTypes.js';
import { errorCodeOf, errorReply, errorText, messageLength, parseBfcpMessage } from './bfcpMessage.js';

/** How long a connection may stay without saying whose it is (its first message's conference and user IDs). */
const unclaimedMs = 10_000;
/** Connections at once that have not said whose they are: more are closed (a scan, a flood). */
const maxUnclaimed = 64;

/**
 * The hub's BFCP floor control server (RFC 8855 over TCP, RFC 8856 in the session descriptions): one listener for every
 * call's content channel. Each call that took content has a session of its own (`open`: a conference ID and a user ID
 * of its own, which its answer gives); a connection belongs to the session its first message names, and only when it
 * comes from that call's address. What a session does with its requests is its call's business (`BfcpFloorHandler`).
 */
export class BfcpServer {
  readonly #server: net.Server;
  readonly #log: SipLog;
  readonly #sessions = new Map<number, BfcpSession>();
  #unclaimed = 0;

  private constructor(server: net.Server, log: SipLog) {
    this.#server = server;
    this.#log = log;
    server.on('connection', (socket) => this.#accept(socket));
    server.on('error', (err: unknown) => this.#log.warn({ err }, 'the BFCP listener failed'));
  }

  static async listen(options: { host: string; port: number; log: SipLog }): Promise<BfcpServer> {
    const server = net.createServer();
    server.listen(options.port, options.host);
    await once(server, 'listening');
    return new BfcpServer(server, options.log);
  }

  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  /**
   * A call's floor control: it takes connections from `remoteAddress` only (a call the hub places learns it from the
   * answer: `expectFrom`), for the floor of its content line.
   */
  open(options: { remoteAddress?: string; handler: BfcpFloorHandler }): BfcpSession {
    let conferenceId: number;
    do conferenceId = randomInt(1, 2 ** 32 - 1);
    while (this.#sessions.has(conferenceId));
    const session = new BfcpSession({
      conferenceId,
      userId: randomInt(1, 2 ** 16),
      remoteAddress: options.remoteAddress,
      handler: options.handler,
      log: this.#log,
      closed: () => this.#sessions.delete(conferenceId),
    });
    this.#sessions.set(conferenceId, session);
    return session;
  }

  async close(): Promise<void> {
    for (const session of [...this.#sessions.values()]) session.close();
    this.#server.close();
    await once(this.#server, 'close').catch(() => undefined);
  }

  #accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    socket.on('error', () => undefined); // a reset peer: its close follows
    if (this.#unclaimed >= maxUnclaimed) {
      socket.destroy();
      return;
    }
    this.#unclaimed++;
    let claimed = false;
    const unclaim = () => {
      if (claimed) return;
      claimed = true;
      this.#unclaimed--;
      clearTimeout(timer);
    };
    const timer = setTimeout(() => socket.destroy(), unclaimedMs);
    socket.once('close', unclaim);
    let pending = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      let length: number | undefined;
      try {
        length = messageLength(pending);
      } catch (error) {
        refuse(socket, undefined, error);
        return;
      }
      if (length === undefined || pending.length < length) return;
      const first = pending.subarray(0, length);
      const rest = pending.subarray(length);
      let message: BfcpMessage;
      try {
        message = parseBfcpMessage(first);
      } catch (error) {
        refuse(socket, undefined, error);
        return;
      }
      const session = this.#sessions.get(message.conferenceId);
      const from = socket.remoteAddress?.replace(/^::ffff:/, '');
      if (!session || from !== session.remoteAddress) {
        refuse(socket, message, BfcpErrorCode.ConferenceDoesNotExist, 'không có hội nghị BFCP này');
        return;
      }
      if (message.userId !== session.userId) {
        refuse(socket, message, BfcpErrorCode.UserDoesNotExist, 'không có người dùng BFCP này');
        return;
      }
      // the session reads this connection from now on, starting with this message and what came after it
      socket.off('data', onData);
      unclaim();
      session.attach(socket, Buffer.concat([first, rest]));
    };
    socket.on('data', onData);
  }
}

/** An Error to a connection that is nobody's (or unreadable), then its end: nothing it sends can be trusted to frame. */
function refuse(socket: net.Socket, message: BfcpMessage | undefined, error: unknown, info?: string): void {
  socket.end(errorReply(message, typeof error === 'number' ? error : errorCodeOf(error), info ?? errorText(error)));
}
