import type { Caller, HubSocket } from './RealtimeTypes.js';

/** The caller a connection speaks for: its account, its seat in a meeting, its peer in the room. */
export function callerOf(socket: HubSocket): Caller {
  const session = socket.data.session;
  return { user: socket.data.user, seat: session, peerId: session?.media?.peerId };
}
