import type { Server, Socket } from 'socket.io';
import type { MeetingRoom } from '../../media-server/index.js';
import type { AckResult, ClientToServerEvents, ServerToClientEvents, TransportOptionsResponse } from '../../shared/protocol.js';
import type { MeetingState, MeetingStatus } from '../../shared/meetings.js';
import type { AuthenticatedUser } from '../accounts/index.js';
import type { LiveMeeting } from '../meetings/index.js';

/** A site's seat in a meeting: which meeting, which site, and whether it chairs. */
export interface Seat {
  live: LiveMeeting;
  siteCode: string;
  siteName: string;
  isChair: boolean;
}

/** A connection's place in a meeting: in the lobby until admitted, then with media in the room. */
export interface Session extends Seat {
  media?: { peerId: string; room: MeetingRoom };
  /** When the site was last heard from: a signalling packet, or bytes on its media transports. */
  lastSeenAt: number;
  /** Its worker died and it was asked to join again: its attendance runs on. */
  evicted?: boolean;
}

export interface SocketData {
  user: AuthenticatedUser;
  session?: Session;
}

/** Between hub nodes (cluster mode, through the Redis adapter): what the meeting's home decided. */
export interface InterServerEvents {
  'cluster:state': (state: MeetingState) => void;
  'cluster:status': (meetingId: string, status: MeetingStatus) => void;
}

export type HubServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export type Payload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
export type AckData<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[1] extends (
  result: AckResult<infer T>,
) => void
  ? T
  : never;
export type Handler<E extends keyof ClientToServerEvents> = (socket: HubSocket, payload: Payload<E>) => Promise<AckData<E>>;
export type Handlers<E extends keyof ClientToServerEvents> = { [K in E]: Handler<K> };

/**
 * Who sent an event that needs no connection of its own (the meeting's control events): its account, its
 * seat (none before it joined) and its peer in the room (none in the lobby). The node holding the
 * connection makes one from it; the meeting's home makes one from what that node forwarded.
 */
export interface Caller {
  user: AuthenticatedUser;
  seat?: Seat;
  peerId?: string;
}
export type CallerHandler<E extends keyof ClientToServerEvents> = (caller: Caller, payload: Payload<E>) => Promise<AckData<E>>;
export type CallerHandlers<E extends keyof ClientToServerEvents> = { [K in E]: CallerHandler<K> };

/** How a browser reaches the media: the relays it may use and whether it must use them. */
export type IceAccess = Pick<TransportOptionsResponse, 'iceServers' | 'iceTransportPolicy'>;
