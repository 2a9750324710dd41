import type { IncomingMessage } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { SessionEndReason } from '../../shared/accounts.js';
import type { HubServer } from './RealtimeTypes.js';
import type { AuthService } from '../accounts/index.js';
import { sessionToken, fromOwnOrigin } from '../http/index.js';

export interface SocketAccessOptions {
  io: HubServer;
  auth: AuthService;
  log: FastifyBaseLogger;
  /** Connections one account may hold at once (a browser tab is one). */
  maxSocketsPerAccount: number;
  /** How often connected sessions are marked as used and expired sessions purged. */
  sweepIntervalMs: number;
}

/**
 * Who may hold a socket: a signed-in account (the handshake's `auth.token`, or the session cookie)
 * whose password need not be changed first, within its connection cap. A session that ends
 * (logout, expiry, disabled account, password change or reset) takes its sockets with it at once:
 * they are told `auth:signedOut` and disconnected.
 */
export class SocketAccess {
  readonly #io: HubServer;
  readonly #auth: AuthService;
  readonly #log: FastifyBaseLogger;
  readonly #sweep: NodeJS.Timeout;
  readonly #onSessionsEnded = (sessionIds: string[], reason: SessionEndReason) => this.#signOut(new Set(sessionIds), reason);

  constructor({ io, auth, log, maxSocketsPerAccount, sweepIntervalMs }: SocketAccessOptions) {
    this.#io = io;
    this.#auth = auth;
    this.#log = log;
    io.use((socket, next) => {
      const offered = (socket.handshake.auth as { token?: unknown }).token;
      const token = typeof offered === 'string' ? offered : sessionToken(socket.handshake.headers);
      auth
        .authenticate(token)
        .then((user) => {
          if (!user) return next(new Error('UNAUTHENTICATED'));
          if (user.mustChangePassword) return next(new Error('PASSWORD_CHANGE_REQUIRED'));
          const held = [...io.of('/').sockets.values()].filter((s) => s.data.user?.id === user.id).length;
          if (held >= maxSocketsPerAccount) {
            log.warn({ username: user.username, held }, 'socket refused: too many connections for one account');
            return next(new Error('TOO_MANY_CONNECTIONS'));
          }
          socket.data.user = user;
          next();
        })
        .catch(next);
    });
    auth.on('sessionsEnded', this.#onSessionsEnded);
    this.#sweep = setInterval(() => {
      this.#sweepSessions().catch((err: unknown) => log.error({ err }, 'sweeping sessions failed'));
    }, sweepIntervalMs);
    this.#sweep.unref();
  }

  close(): void {
    clearInterval(this.#sweep);
    this.#auth.off('sessionsEnded', this.#onSessionsEnded);
  }

  async #sweepSessions(): Promise<void> {
    const connected = new Set<string>();
    for (const socket of this.#io.of('/').sockets.values()) if (socket.data.user) connected.add(socket.data.user.sessionId);
    await this.#auth.keepAlive([...connected]);
    const purged = await this.#auth.purgeExpired();
    if (purged > 0) this.#log.info({ purged }, 'expired sessions purged');
  }

  #signOut(sessionIds: Set<string>, reason: SessionEndReason): void {
    for (const socket of this.#io.of('/').sockets.values()) {
      if (!socket.data.user || !sessionIds.has(socket.data.user.sessionId)) continue;
      socket.emit('auth:signedOut', { reason });
      socket.disconnect(true);
    }
  }
}

/**
 * socket.io's `allowRequest`: a browser's handshake must come from the hub's own pages (its Origin's
 * host is the Host it asked for) or from an origin the operator allows; a cross-site page cannot
 * ride a signed-in browser's cookie. Clients that are not browsers send no Origin.
 */
export function sameOriginHandshakes(allowedOrigins: readonly string[]) {
  return (request: IncomingMessage, callback: (error: string | null | undefined, allowed: boolean) => void): void => {
    const own = fromOwnOrigin(request.headers, allowedOrigins);
    callback(own ? null : 'FORBIDDEN_ORIGIN', own);
  };
}
