import type { AuthenticatedUser } from '../accounts/index.js';
import type { HubServer, IceAccess } from './RealtimeTypes.js';

/**
 * Keeps each connected page's TURN credentials fresh (`ice:servers`, every `everyMs`, half their life):
 * they are short-lived, so those of a session that ended (its sockets are disconnected with it) open no
 * relay once they expire, while a signed-in page always has valid ones for its next ICE gathering (an ICE
 * restart, a new transport). An allocation already made lives on: coturn checks credentials when one is made.
 */
export function renewIceServers(io: HubServer, iceServers: (user: AuthenticatedUser) => IceAccess['iceServers'], everyMs: number): void {
  io.on('connection', (socket) => {
    const user = socket.data.user;
    if (!user) return;
    const renewal = setInterval(() => socket.emit('ice:servers', { iceServers: iceServers(user) }), everyMs);
    socket.once('disconnect', () => clearInterval(renewal));
  });
}
