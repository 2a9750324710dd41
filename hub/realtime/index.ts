/** realtime/: the socket layer every domain's events use: typed server and socket, event access, payload validation, channels. */
export { channels } from './channels.js';
export { DroppedEventWarnings } from './DroppedEventWarnings.js';
export { clientEventRoles, mayEmit } from './eventAccess.js';
export { renewIceServers } from './iceServerRenewal.js';
export { announceLoadShedding } from './loadState.js';
export { callerOf } from './callerOf.js';
export type { Caller, CallerHandlers, Handlers, HubServer, HubSocket, IceAccess, Seat, Session } from './RealtimeTypes.js';
export { SocketAccess, sameOriginHandshakes } from './SocketAccess.js';
export { allowLoadTestTransports, transportOptions } from './transportOptions.js';
export { SignallingError, parsePayload, toAckError } from './validation.js';
