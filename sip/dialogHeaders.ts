import { randomBytes } from 'node:crypto';
import type { NameAddr } from 'sip';

/** A session timer's terms (RFC 4028): its interval in seconds, and which side refreshes it. */
export interface SessionTimer {
  seconds: number;
  refresher: 'uac' | 'uas';
}

/** A dialog's tag of the hub's side. */
export const newTag = (): string => randomBytes(6).toString('hex');

/**
 * The `Session-Expires` header of a message (or its compact form `x`), when it has one; at least 90 s (RFC 4028's
 * minimum). One that names no refresher leaves it to the UAC, on either side of the hub: the hub answering a
 * caller's request has it refresh, and an answer to the hub's own INVITE leaves it to the hub.
 */
export function sessionExpires(message: { headers: Record<string, unknown> }): SessionTimer | undefined {
  const header = message.headers['session-expires'] ?? message.headers.x;
  const match = typeof header === 'string' ? /^\s*(\d+)\s*(?:;\s*refresher\s*=\s*(uac|uas))?/i.exec(header) : null;
  if (!match) return undefined;
  return { seconds: Math.max(90, Number(match[1])), refresher: match[2]?.toLowerCase() === 'uas' ? 'uas' : 'uac' };
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
