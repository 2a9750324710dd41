import { randomBytes } from 'node:crypto';
import type { NameAddr } from 'sip';

/** A session timer's terms (RFC 4028): its interval in seconds, and which side refreshes it. */
export interface SessionTimer {
  seconds: number;
  refresher: 'uac' | 'uas';
}

/**
 * The next step of a session timer (RFC 4028) for the hub's side of a dialog (`ownSide`): its own refresh at half the
 * interval when it is the refresher, else the end of the call if the far end has not refreshed shortly before the
 * interval runs out.
 */
export function scheduleSessionTimer(
  timer: SessionTimer,
  ownSide: 'uac' | 'uas',
  actions: { refresh: () => void; expire: () => void },
): NodeJS.Timeout {
  if (timer.refresher === ownSide) return setTimeout(actions.refresh, (timer.seconds * 1000) / 2);
  const graceSeconds = Math.min(32, timer.seconds / 3);
  return setTimeout(actions.expire, (timer.seconds - graceSeconds) * 1000);
}

/** A dialog's tag of the hub's side. */
export const newTag = (): string => randomBytes(6).toString('hex');

/** The `Session-Expires` header of a message (or its compact form `x`), when it has one; at least 90 s (RFC 4028's minimum). */
export function sessionExpires(message: { headers: Record<string, unknown> }): { seconds: number; refresher?: 'uac' | 'uas' } | undefined {
  const header = message.headers['session-expires'] ?? message.headers.x;
  const match = typeof header === 'string' ? /^\s*(\d+)\s*(?:;\s*refresher\s*=\s*(uac|uas))?/i.exec(header) : null;
  if (!match) return undefined;
  const refresher = match[2]?.toLowerCase();
  return { seconds: Math.max(90, Number(match[1])), ...(refresher === 'uac' || refresher === 'uas' ? { refresher } : {}) };
}

/** The first Contact's URI of a message: where the far end takes requests within the dialog. */
export function contactUri(message: { headers: Record<string, unknown> }): string | undefined {
  const contact = message.headers.contact;
  return Array.isArray(contact) ? (contact[0] as NameAddr | undefined)?.uri : undefined;
}

/** The Record-Route set of a message, as it came. */
export function recordRoutes(message: { headers: Record<string, unknown> }): NameAddr[] {
  const routes = message.headers['record-route'];
  return Array.isArray(routes) ? (routes as NameAddr[]) : [];
}
