import type { types } from 'mediasoup';
import type { MeetingRoom } from './MeetingRoom.js';
import type { TransportAppData } from './MeetingRoomTypes.js';

/**
 * Plain RTP into the meeting: one transport per kind, since the sender sends each from a socket of its own,
 * locked onto the first sender that sends to it (comedia). A feed's peer may hold several. Over loopback from
 * ffmpeg passing on a feed; with `srtp`, from a SIP room system or MCU elsewhere, whose SDES keys its call
 * exchanges (RTCP on its own port, as they send it).
 */
export function openRtpInTransport(
  room: MeetingRoom,
  peerId: string,
  listenInfo: types.TransportListenInfo,
  /** `comedia: false`: it sends where `connect` says, not where its first packet came from (a relay on this machine). */
  options: { srtp?: boolean; comedia?: boolean } = {},
): Promise<types.PlainTransport<TransportAppData>> {
  const peer = room.peer(peerId);
  return peer.openTransport(
    'send',
    (appData) =>
      peer.router.createPlainTransport({
        listenInfo,
        rtcpMux: false,
        comedia: options.comedia ?? true,
        ...(options.srtp ? { enableSrtp: true, srtpCryptoSuite: 'AES_CM_128_HMAC_SHA1_80' as const } : {}),
        appData,
      }),
    true,
  );
}
