import { type Caller, type Seat, SignallingError } from '../realtime/index.js';

/** The caller's seat, once admitted to the meeting (out of the lobby, with a peer in the room). */
export function admittedSeat({ seat, peerId }: Caller): Seat {
  if (!seat || peerId === undefined) throw new SignallingError('NOT_JOINED', 'meeting.joinFirst');
  return seat;
}

/** The caller's seat in a meeting that is live: what a site may do only while the meeting runs. */
export function liveSeat(caller: Caller): Seat {
  const seat = admittedSeat(caller);
  if (seat.live.status !== 'LIVE') throw new SignallingError('FORBIDDEN', 'meeting.notLive');
  return seat;
}

/** The meeting the caller chairs, live; a site that is not its chair is refused. */
export function chairedMeeting({ seat, user }: Caller): { live: Seat['live']; user: Caller['user'] } {
  if (!seat) throw new SignallingError('NOT_JOINED', 'meeting.joinFirst');
  if (!seat.isChair) throw new SignallingError('FORBIDDEN', 'meeting.chairOnly');
  if (seat.live.status !== 'LIVE') throw new SignallingError('FORBIDDEN', 'meeting.notLive');
  return { live: seat.live, user };
}
