import type { types } from 'mediasoup';
import type { MeetingRoom } from './MeetingRoom.js';
import type { TransportAppData } from './MeetingRoomTypes.js';

/**
 * Plain RTP into the meeting from a sender on this machine (ffmpeg passing on a feed from outside): one
 * transport per kind, since the sender sends each from a socket of its own, locked onto the first
 * sender that sends to it (comedia). A feed's peer may hold several.
 */
export function openRtpInTransport(
  room: MeetingRoom,
  peerId: string,
  listenInfo: types.TransportListenInfo,
): Promise<types.PlainTransport<TransportAppData>> {
  const peer = room.peer(peerId);
  return peer.openTransport(
    'send',
    (appData) => peer.router.createPlainTransport({ listenInfo, rtcpMux: false, comedia: true, appData }),
    true,
  );
}
