import type { SessionEndReason } from '../../shared/accounts.js';
import type { UserDto } from '../../shared/meetings.js';

export interface AuthenticatedUser extends UserDto {
  id: number;
  /** The session this request or socket signed in with (the SHA-256 of its token). */
  sessionId: string;
}

export interface AuthServiceOptions {
  /** A session unused this long ends (a browser with a connected socket counts as using it). */
  idleMs: number;
  /** A session ends this long after sign-in, used or not. */
  absoluteMs: number;
}

export interface AuthServiceEvents {
  /** These sessions ended (signed out, expired, account disabled or password changed): their sockets must go. */
  sessionsEnded: [sessionIds: string[], reason: SessionEndReason];
}
